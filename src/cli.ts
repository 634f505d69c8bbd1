#!/usr/bin/env node
/**
 * Entry point: argv -> command. Kept tiny on purpose: `--version` and `--help` must not load
 * Ink, marked-terminal or dockerode, so every subcommand is imported lazily (esbuild splits
 * each into its own chunk).
 */
import { constants } from 'node:os';
import type { CommandIO, CommandMain } from './commands/types.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

type Loader = () => Promise<{ main: CommandMain }>;

const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  lint: {
    summary: 'check lesson files and report problems as file:line:col',
    load: () => import('./commands/lint.js'),
  },
  new: {
    summary: 'write a new lesson in every language, ready to edit, lint and verify',
    load: () => import('./commands/new.js'),
  },
  schema: {
    summary: 'print the JSON Schema of the lesson format for editors',
    load: () => import('./commands/schema.js'),
  },
  practice: {
    summary: 'open a lesson in a shell of your own: you type, each step is checked as you go',
    load: () => import('./commands/practice.js'),
  },
  verify: {
    summary: 'run lessons non-interactively and prove every step (for CI)',
    load: () => import('./commands/verify.js'),
  },
  doctor: {
    summary: 'diagnose the Docker daemon and this machine for the course',
    load: () => import('./commands/doctor.js'),
  },
  list: {
    summary: 'list the lessons of the course with your progress',
    load: () => import('./commands/list.js'),
  },
  reset: {
    summary: 'forget your progress in a lesson (or --all); Docker is not touched',
    load: () => import('./commands/reset.js'),
  },
  images: {
    summary: 'list, pull, build offline stand-ins of, export and import the course images',
    load: () => import('./commands/images.js'),
  },
  env: {
    summary: 'print the lines that point your terminal at the sandbox a lesson runs in',
    load: () => import('./commands/env.js'),
  },
  report: {
    summary: 'stuck? write one file for your instructor: your lesson, commands, checks, doctor',
    load: () => import('./commands/report.js'),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const rows = Object.entries(COMMANDS).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return [
    `docker-lab ${VERSION}: learn Docker by doing, in your terminal`,
    '',
    'Usage: docker-lab [lesson] [--lang en|zh-CN]   the interactive course',
    '       docker-lab <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    "  -h, --help     show this help (or a command's: docker-lab <command> --help)",
    '  -v, --version  print the version',
    '',
    'Lesson format: docs/lesson-format.md',
  ].join('\n');
}

/**
 * A lesson given to the TUI directly (`docker-lab first-run`, `docker-lab my-lesson.md`): a
 * path, or an id that is not a near-miss of a command name (`lnit` is a typo of `lint`).
 */
async function looksLikeLesson(arg: string): Promise<boolean> {
  if (arg.endsWith('.md') || arg.includes('/')) return true;
  const { suggest } = await import('./lesson/suggest.js');
  return /^[a-z0-9][a-z0-9-]*$/.test(arg) && suggest(arg, Object.keys(COMMANDS)) === undefined;
}

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${help()}\n`);
    return 0;
  }
  // No command, an option, or a lesson: the interactive course (npx docker-lab).
  if (
    first === undefined ||
    first.startsWith('-') ||
    (!COMMANDS[first] && (await looksLikeLesson(first)))
  ) {
    // On a terminal, the course list appears before the TUI's heavy modules load.
    const listScreen = argv.every(
      (arg) => arg.startsWith('-') || argv[argv.indexOf(arg) - 1] === '--lang',
    );
    if (
      listScreen &&
      io.stdout.isTTY &&
      io.stdin?.isTTY &&
      io.env.TERM !== 'dumb' &&
      !argv.includes('--help') &&
      !argv.includes('-h')
    ) {
      const [{ drawFirstFrame }, { languageFromLocale }] = await Promise.all([
        import('./ui/first-frame.js'),
        import('./lesson/language.js'),
      ]);
      const flag = argv[argv.indexOf('--lang') + 1];
      const lang = argv.includes('--lang')
        ? languageFromLocale(flag)
        : (['LC_ALL', 'LC_MESSAGES', 'LANG']
            .map((v) => languageFromLocale(io.env[v]))
            .find(Boolean) ?? 'en');
      const lines = lang ? drawFirstFrame(io.stdout, io.env, lang) : undefined;
      if (lines) {
        io = { ...io, firstFrameLines: lines };
        // Keys pressed before the TUI is ready must neither echo (it would move the frame) nor
        // wait for a newline: raw mode now, as the TUI will want it; restored whatever happens.
        const stdin = io.stdin as NodeJS.ReadStream;
        if (typeof stdin.setRawMode === 'function') {
          stdin.setRawMode(true);
          process.once('exit', () => stdin.setRawMode(false));
        }
      }
    }
    const { main } = await import('./commands/tui.js');
    return main(argv, io);
  }
  const command = COMMANDS[first];
  if (!command) {
    const { suggest } = await import('./lesson/suggest.js');
    const guess = suggest(first, Object.keys(COMMANDS));
    io.stderr.write(
      `docker-lab: unknown command "${first}"${guess ? ` (did you mean "${guess}"?)` : ''}.\n` +
        `Run "docker-lab --help" for the list of commands.\n`,
    );
    return 2;
  }
  const { main } = await command.load();
  return main(rest, io);
}

/**
 * A reader that went away (`| head`), or a terminal that was closed (EIO), must not crash a run
 * that still has to clean up.
 */
function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!['EPIPE', 'EIO', 'ERR_STREAM_DESTROYED'].includes(error.code ?? '')) throw error;
    });
  }
}

/** Ctrl-C, `kill`, and the terminal closed (a learner shutting the window on a sandbox). */
const STOPPING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function cli(): Promise<void> {
  ignoreBrokenPipes();
  const controller = new AbortController();
  // The run stops and cleans up; then the exit code says which signal ended it (128 + n), as a
  // shell reports it. A second Ctrl-C during cleanup ends docker-lab at once: the person asked
  // twice. A second SIGTERM or SIGHUP does not (a closing terminal's shell passes its own
  // SIGHUP on to the job the kernel already sent one). The handlers stay until the run has
  // ended: a library that sees no other handler for a signal (Ink's signal-exit) re-raises it,
  // which would end the process before its cleanup.
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received && signal === 'SIGINT') process.exit(128 + constants.signals[received]);
    received ??= signal;
    controller.abort();
  };
  for (const signal of STOPPING_SIGNALS) process.on(signal, onSignal);
  try {
    process.exitCode = await run(process.argv.slice(2), {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      cwd: process.cwd(),
      signal: controller.signal,
    });
  } catch (error) {
    const { formatFatal } = await import('./report/fatal.js');
    process.stderr.write(formatFatal(error));
    process.exitCode = error instanceof Error && 'exitCode' in error ? Number(error.exitCode) : 1;
  } finally {
    for (const signal of STOPPING_SIGNALS) process.off(signal, onSignal);
  }
  if (received) process.exitCode = 128 + constants.signals[received];
}

await cli();
