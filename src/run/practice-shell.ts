/**
 * The practice shell: the learner's own bash, in the lesson's working directory, with the
 * lesson's daemon and docker shim in its environment, in a pseudo-terminal recorded by
 * script(1). Shell hooks tell docker-lab what the learner typed, its exit status and where its
 * output is in the recording; docker-lab answers with lines the shell prints before the next
 * prompt (a step passed, a near miss, a hint). Files in a private folder are the only channel:
 * no socket, no helper binary, and it works with bash 3.2 as with 5.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFile,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startShell, type ProcessResult } from './process.js';
import { plainTerminalText } from '../terminal-text.js';

export { plainTerminalText };

/** What the learner typed at the prompt, and what it did. */
export interface TypedCommand {
  script: string;
  exitCode: number;
  /** What the command printed on the terminal, control sequences and carriage returns removed. */
  output: string;
}

export interface PracticeShellOptions {
  cwd: string;
  /** The lesson's command environment (daemon, docker shim, process marker). */
  env: Record<string, string>;
  /** The learner's environment, to find their shell and home. */
  baseEnv: Record<string, string | undefined>;
  /** Shown at the start of every prompt, e.g. `first-run 2/4`. */
  prompt: string;
  /** Printed before the first prompt (the step's goal). */
  banner: string;
  /** Words the shell knows as docker-lab's own (hint, solution, check, skip, back). */
  words: readonly string[];
  /** Answers a command: the text is printed before the next prompt. */
  onCommand: (command: TypedCommand) => Promise<string>;
  /** Where a message that is not an answer goes (the terminal the shell is on). */
  write: (text: string) => void;
  /**
   * Open the shell in a tmux pane beside docker-lab (the learner is in tmux) instead of on this
   * terminal: docker-lab keeps its screen, and a message that is not an answer waits for the
   * shell's next prompt.
   */
  beside?: boolean;
  signal?: AbortSignal;
}

/** How long the prompt waits for docker-lab's answer before it shows anyway. */
const ANSWER_WAIT_TENTHS = 80;
/** A practice session can last a long lesson; Ctrl-C and `exit` end it, not a timer. */
const SESSION_LIMIT_MS = 8 * 60 * 60 * 1000;
const POLL_MS = 100;

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The rc file: the learner's own bashrc first, then the hooks (kept small and POSIX-ish). */
export function bashRc(dir: string, record: string, words: readonly string[]): string {
  return `# docker-lab practice shell: your own ~/.bashrc, then docker-lab's prompt hooks.
[ -f ~/.bashrc ] && . ~/.bashrc
__dl_dir=${shellQuote(dir)}
__dl_rec=${shellQuote(record)}
__dl_n=0
__dl_armed=
__dl_size() { wc -c < "$__dl_rec" 2>/dev/null | tr -d ' ' || echo 0; }
# Armed when the prompt is shown: the next command the DEBUG trap sees is the learner's.
__dl_preexec() {
  [ -n "$__dl_armed" ] || return 0
  case "$BASH_COMMAND" in __dl_*) return 0 ;; esac
  __dl_armed=
  __dl_size > "$__dl_dir/start"
}
__dl_precmd() {
  local status=$__dl_status i=0
  if [ -f "$__dl_dir/start" ]; then
    __dl_n=$((__dl_n + 1))
    {
      echo "$status"
      cat "$__dl_dir/start"
      __dl_size
      HISTTIMEFORMAT= builtin history 1 | sed 's/^ *[0-9]*[* ] *//'
    } > "$__dl_dir/typed.tmp"
    mv "$__dl_dir/typed.tmp" "$__dl_dir/typed.$__dl_n"
    rm -f "$__dl_dir/start"
    while [ ! -f "$__dl_dir/answer.$__dl_n" ] && [ $i -lt ${ANSWER_WAIT_TENTHS} ]; do
      sleep 0.1
      i=$((i + 1))
    done
    if [ -f "$__dl_dir/answer.$__dl_n" ]; then
      cat "$__dl_dir/answer.$__dl_n"
      rm -f "$__dl_dir/answer.$__dl_n"
    fi
  fi
  # What docker-lab said meanwhile (a step done from elsewhere), when the shell is beside it.
  if [ -f "$__dl_dir/notice" ]; then
    cat "$__dl_dir/notice"
    rm -f "$__dl_dir/notice"
  fi
  [ -f "$__dl_dir/prompt" ] && __dl_prompt=$(cat "$__dl_dir/prompt")
  PS1="[\\$__dl_prompt] \\W \\$ "
  # Last, with nothing after it: a command after it would fire the trap while armed.
  __dl_armed=1
}
${words.map((word) => `${word}() { :; }`).join('\n')}
# The learner's own PROMPT_COMMAND still runs, seeing the status of their command.
__dl_their_prompt_command=$PROMPT_COMMAND
__dl_return() { return "$1"; }
__dl_theirs() {
  [ -n "$__dl_their_prompt_command" ] || return 0
  __dl_return "$__dl_status"
  eval "$__dl_their_prompt_command"
}
# The status first, disarmed at once.
PROMPT_COMMAND='__dl_status=$?; __dl_armed=; __dl_theirs; __dl_precmd'
trap '__dl_preexec' DEBUG
[ -f "$__dl_dir/banner" ] && cat "$__dl_dir/banner"
`;
}

/** Parses a `typed.N` file: status, start offset, end offset, then the command line. */
export function parseTyped(text: string): {
  exitCode: number;
  start: number;
  end: number;
  script: string;
} {
  const [status = '0', start = '0', end = '0', ...script] = text.split('\n');
  return {
    exitCode: Number(status) || 0,
    start: Number(start) || 0,
    end: Number(end) || 0,
    script: script.join('\n').trim(),
  };
}

export class PracticeShell {
  private answering = false;
  /** Settles when the learner has left the shell (exit, Ctrl-D) or the signal ended it. */
  readonly finished: Promise<ProcessResult>;

  private constructor(
    private readonly dir: string,
    private readonly record: string,
    private readonly options: PracticeShellOptions,
    started: Promise<ProcessResult>,
  ) {
    this.finished = started.finally(() => rm(dir, { recursive: true, force: true }));
  }

  /** Opens the shell on the terminal; docker-lab keeps answering until it is left. */
  static async open(options: PracticeShellOptions): Promise<PracticeShell> {
    const dir = await mkdtemp(join(tmpdir(), 'docker-lab-practice-'));
    const record = join(dir, 'session.log');
    const rc = join(dir, 'bashrc');
    await writeFile(rc, bashRc(dir, record, options.words));
    await writeFile(join(dir, 'banner'), options.banner);
    await writeFile(join(dir, 'prompt'), options.prompt);
    await writeFile(record, '');
    const bash = findBash(options.baseEnv);
    if (options.beside) return PracticeShell.openBeside(options, { dir, record, rc, bash });
    const running = startShell(`exec ${shellQuote(bash)} --rcfile ${shellQuote(rc)} -i`, {
      cwd: options.cwd,
      env: {
        ...options.env,
        HOME: options.baseEnv.HOME ?? options.env.HOME ?? '/',
        TERM: options.baseEnv.TERM ?? 'xterm',
      },
      timeoutMs: SESSION_LIMIT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      tty: true,
      inheritStdio: true,
      recordTo: record,
    });
    return PracticeShell.answering(dir, record, options, running.result);
  }

  /** Answers what the learner types until the shell ends. */
  private static answering(
    dir: string,
    record: string,
    options: PracticeShellOptions,
    ended: Promise<ProcessResult>,
  ): PracticeShell {
    let done = false;
    const result = ended.finally(() => (done = true));
    const shell = new PracticeShell(dir, record, options, result);
    void (async () => {
      while (!done) {
        await Promise.race([result, new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
        if (!done) await shell.answerTyped().catch(() => undefined);
      }
    })();
    return shell;
  }

  /**
   * The shell in a new tmux pane to the right: started by the tmux server (so the lesson's
   * environment is set in its rc file), recorded by script(1) as on a terminal of its own, and
   * ended with the pane (exit in it, or docker-lab closes it when the lesson ends).
   */
  private static async openBeside(
    options: PracticeShellOptions,
    files: { dir: string; record: string; rc: string; bash: string },
  ): Promise<PracticeShell> {
    const env = { ...options.env, TERM: options.baseEnv.TERM ?? 'xterm' };
    const exports = Object.entries(env)
      .filter(([key]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      .map(([key, value]) => `export ${key}=${shellQuote(value)}`)
      .join('\n');
    const rc = await readFile(files.rc, 'utf8');
    await writeFile(files.rc, `${exports}\ncd ${shellQuote(options.cwd)}\n${rc}`);
    const channel = `docker-lab-${randomBytes(6).toString('hex')}`;
    const inner = `exec ${shellQuote(files.bash)} --rcfile ${shellQuote(files.rc)} -i`;
    const command = `script -qfec ${shellQuote(inner)} ${shellQuote(files.record)}; tmux wait-for -S ${channel}`;
    const pane = await tmux(options.baseEnv, [
      'split-window',
      '-h',
      '-P',
      '-F',
      '#{pane_id}',
      '-c',
      options.cwd,
      command,
    ]);
    const ended = tmux(options.baseEnv, ['wait-for', channel]).then((): ProcessResult => ({
      stdout: '',
      stderr: '',
      exitCode: 0,
      timedOut: false,
      aborted: false,
      durationMs: 0,
    }));
    // Ctrl-C or the end of the lesson closes the pane; its end then ends the wait above.
    const close = () =>
      void tmux(options.baseEnv, ['kill-pane', '-t', pane.trim()])
        .catch(() => undefined)
        .then(() => tmux(options.baseEnv, ['wait-for', '-S', channel]).catch(() => undefined));
    options.signal?.addEventListener('abort', close, { once: true });
    const shell = PracticeShell.answering(files.dir, files.record, options, ended);
    shell.closePane = close;
    return shell;
  }

  /** Closes the pane of a shell opened beside docker-lab (nothing for one on this terminal). */
  closePane: () => void = () => {};

  /** A message that is not an answer (a step done from elsewhere): printed at once. */
  say(text: string): void {
    // Beside docker-lab, the shell's terminal is not ours: the message waits for its prompt.
    if (this.options.beside) {
      void appendFile(join(this.dir, 'notice'), text).catch(() => undefined);
      return;
    }
    // The shell's line editor has the terminal in raw mode: a newline alone does not return.
    this.options.write(text.replace(/\r?\n/g, '\r\n'));
  }

  /** A command the learner typed is running: its own answer will speak for the step. */
  get commandRunning(): boolean {
    if (this.answering || existsSync(join(this.dir, 'start'))) return true;
    try {
      return readdirSync(this.dir).some((name) => name.startsWith('typed.'));
    } catch {
      return false;
    }
  }

  /** Shown at the start of the prompt from the next one on. */
  async setPrompt(prompt: string): Promise<void> {
    await writeFile(join(this.dir, 'prompt'), prompt);
  }

  private async answerTyped(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => /^typed\.\d+$/.test(name));
    } catch {
      return;
    }
    for (const name of names.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))) {
      const file = join(this.dir, name);
      const typed = parseTyped(await readFile(file, 'utf8'));
      this.answering = true;
      await rm(file, { force: true });
      const output = plainTerminalText(await this.slice(typed.start, typed.end));
      let answer: string;
      try {
        answer = await this.options.onCommand({
          script: typed.script,
          exitCode: typed.exitCode,
          output,
        });
      } catch (error) {
        answer = `${(error as Error).message}\n`;
      } finally {
        this.answering = false;
      }
      const target = join(this.dir, `answer.${name.slice(6)}`);
      // The shell was left while the answer was being made: the folder is gone.
      if (!existsSync(this.dir)) return;
      await writeFile(`${target}.tmp`, answer);
      await rename(`${target}.tmp`, target);
    }
  }

  /** The bytes of the recording between two offsets, as text. */
  private async slice(start: number, end: number): Promise<string> {
    if (end <= start) return '';
    const handle = await open(this.record, 'r');
    try {
      const buffer = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  }
}

/** bash: the learner's $SHELL when it is bash, else the first bash on PATH, else /bin/bash. */
export function findBash(env: Record<string, string | undefined>): string {
  if (env.SHELL && /\/bash$/.test(env.SHELL) && existsSync(env.SHELL)) return env.SHELL;
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (dir && existsSync(join(dir, 'bash'))) return join(dir, 'bash');
  }
  return '/bin/bash';
}

/** Runs tmux with the learner's environment (its TMUX names their server and session). */
function tmux(env: Record<string, string | undefined>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('tmux', args, { env: env as NodeJS.ProcessEnv }, (error, stdout) =>
      error ? reject(error) : resolve(String(stdout)),
    );
  });
}
