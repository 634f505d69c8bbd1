/**
 * All process spawning for lesson commands lives here. Each command runs in a process group of
 * its own, so a timeout or Ctrl-C kills the command *and its children* (a `sleep` behind a
 * pipe, a `docker logs -f` started by a script). Interactive commands get a pseudo-terminal from
 * `script(1)`, which needs no native addon.
 */
import { execa, type ResultPromise } from 'execa';
import {
  killMarked,
  killMarkedSync,
  MARKER_VARIABLE,
  newMarker,
  ownMarkerPrefix,
  signalMarked,
} from './process-tracker.js';
import { Typist, typeLines } from './typist.js';

export type Stream = 'stdout' | 'stderr';

export interface ProcessOptions {
  cwd: string;
  /** The complete environment (nothing is inherited implicitly). */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Typed into the command's stdin (its terminal when `tty`), then stdin is closed. */
  input?: string;
  /** Give the command a pseudo-terminal (docker run -it, attach, a database shell). */
  tty?: boolean;
  /**
   * Hand the real terminal to the command (the TUI's interactive hand-off). With `tty` too, the
   * session is recorded to `recordTo` by script(1), so checks can still read its output.
   */
  inheritStdio?: boolean;
  recordTo?: string;
  onOutput?: (chunk: string, stream: Stream) => void;
  /** Bytes of each stream kept for checks; beyond this the head is dropped. */
  maxKeptBytes?: number;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  /** null when the command was killed. */
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

const GRACE_MS = 2_000;
/** After the shell exits, how long output still in the pipes may take to arrive. */
const DRAIN_MS = 200;
const DEFAULT_KEPT = 16 * 1024 * 1024;

/** Groups still running, killed if docker-lab itself exits (a crash must not leave orphans). */
const live = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals, group = true): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) killGroup(pid, 'SIGKILL');
    killMarkedSync(ownMarkerPrefix());
  });
}

/** The argv that runs a shell script, inside a pseudo-terminal when asked. */
export function shellArgv(
  script: string,
  tty: boolean,
  platform = process.platform,
  record = '/dev/null',
): [string, string[]] {
  if (!tty) return ['sh', ['-c', script]];
  // util-linux script: -q quiet, -e exit with the child's status, -c the command (run by $SHELL);
  // the last argument is where it records the session, flushed (-f) so it can be read live.
  if (platform === 'linux')
    return ['script', [record === '/dev/null' ? '-qec' : '-qfec', script, record]];
  // BSD/macOS script takes the record file, then the command as trailing arguments.
  return ['script', ['-q', record, 'sh', '-c', script]];
}

class Collector {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1)
      this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return this.chunks.join('');
  }
}

export interface RunningProcess {
  pid: number | undefined;
  result: Promise<ProcessResult>;
  /** Stops the whole group: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<ProcessResult>;
}

export function startShell(script: string, options: ProcessOptions): RunningProcess {
  installExitHook();
  const started = Date.now();
  const [file, args] = shellArgv(script, options.tty === true, process.platform, options.recordTo);
  const stdout = new Collector(options.maxKeptBytes ?? DEFAULT_KEPT);
  const stderr = new Collector(options.maxKeptBytes ?? DEFAULT_KEPT);
  const inherit = options.inheritStdio === true;
  const marker = newMarker();
  const env = { ...options.env, [MARKER_VARIABLE]: marker };
  const child: ResultPromise = execa(file, args, {
    cwd: options.cwd,
    // `script` runs the command with $SHELL; make that a POSIX shell whatever the learner uses.
    env: options.tty ? { ...env, SHELL: '/bin/sh' } : env,
    extendEnv: false,
    // A command handed the terminal must stay in the terminal's foreground process group, or
    // reading from it stops it (SIGTTIN); every other command gets a group of its own to kill.
    detached: !inherit,
    cleanup: false,
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    stdin: inherit ? 'inherit' : options.input !== undefined ? 'pipe' : 'ignore',
    stdout: inherit ? 'inherit' : 'pipe',
    stderr: inherit ? 'inherit' : 'pipe',
  });
  const pid = child.pid;
  if (pid !== undefined) live.add(pid);
  let timedOut = false;
  let aborted = false;
  let finished = false;

  // Input for a terminal is typed line by line as the program asks for it (see typist.ts).
  const typist = options.tty && options.input !== undefined ? new Typist() : undefined;
  const exited = new AbortController();
  const collect = (stream: Stream, collector: Collector) => {
    const source = stream === 'stdout' ? child.stdout : child.stderr;
    source?.setEncoding('utf8');
    source?.on('data', (chunk: string) => {
      // A pseudo-terminal ends lines with CRLF; checks and logs want plain LF.
      const text = options.tty ? chunk.replace(/\r\n/g, '\n') : chunk;
      typist?.saw(text);
      collector.push(text);
      options.onOutput?.(text, stream);
    });
  };
  collect('stdout', stdout);
  collect('stderr', stderr);
  if (options.input !== undefined && child.stdin) {
    child.stdin.on('error', () => {
      // The command may exit before reading all its input; that is its business.
    });
    if (typist) {
      const stdin = child.stdin;
      void typeLines(options.input, (text) => stdin.write(text), typist, exited.signal).then(() => {
        stdin.end();
      });
    } else {
      child.stdin.end(options.input);
    }
  }

  let forceTimer: NodeJS.Timeout | undefined;
  const terminate = () => {
    if (pid === undefined) return;
    killGroup(pid, 'SIGTERM', !inherit);
    void signalMarked(marker, 'SIGTERM');
    forceTimer ??= setTimeout(() => {
      killGroup(pid, 'SIGKILL', !inherit);
      void killMarked(marker);
    }, GRACE_MS);
  };
  // When the shell is gone the command is over. What it started in the background (`cmd &`,
  // `setsid ... &`) lives on until the lesson ends (LessonRun kills it by its marker); if it
  // holds the output pipes, they are closed on our side so the result does not wait for it.
  // Killing its group here would race a `setsid` that has not yet left the group.
  let drainTimer: NodeJS.Timeout | undefined;
  child.on('exit', () => {
    drainTimer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, DRAIN_MS);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    terminate();
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    terminate();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const result = (async (): Promise<ProcessResult> => {
    const outcome = await child;
    finished = true;
    if (drainTimer) clearTimeout(drainTimer);
    exited.abort();
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // The shell is gone; make sure nothing it started lingers in its group.
    if (pid !== undefined) {
      if (!inherit) killGroup(pid, 'SIGKILL');
      live.delete(pid);
    }
    if (forceTimer) clearTimeout(forceTimer);
    const killed = timedOut || aborted || outcome.signal !== undefined;
    return {
      stdout: stdout.text(),
      stderr: stderr.text(),
      exitCode: killed ? null : (outcome.exitCode ?? null),
      ...(outcome.signal ? { signal: outcome.signal } : {}),
      timedOut,
      aborted,
      durationMs: Date.now() - started,
    };
  })();

  return {
    pid,
    result,
    stop() {
      // A command that already ended needs no killing (and no kill timer keeping docker-lab up).
      if (finished) return result;
      aborted = true;
      terminate();
      return result;
    },
  };
}

/** Runs a shell script to its end (or its timeout, or the abort) and returns what it did. */
export function runShell(script: string, options: ProcessOptions): Promise<ProcessResult> {
  return startShell(script, options).result;
}
