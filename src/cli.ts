#!/usr/bin/env node
/**
 * Entry point: argv -> command. Kept tiny on purpose: `--version` and `--help` must not load
 * Ink, marked-terminal or dockerode, so every subcommand is imported lazily (esbuild splits
 * each into its own chunk).
 */
import type { CommandIO, CommandMain } from './commands/types.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

type Loader = () => Promise<{ main: CommandMain }>;

const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  lint: {
    summary: 'check lesson files and report problems as file:line:col',
    load: () => import('./commands/lint.js'),
  },
  schema: {
    summary: 'print the JSON Schema of the lesson format for editors',
    load: () => import('./commands/schema.js'),
  },
  verify: {
    summary: 'run lessons non-interactively and prove every step (for CI)',
    load: () => import('./commands/verify.js'),
  },
  doctor: {
    summary: 'diagnose the Docker daemon and this machine for the course',
    load: () => import('./commands/doctor.js'),
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
    'Usage: docker-lab <command> [options]',
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

export async function run(argv: string[], io: CommandIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${help()}\n`);
    return first === undefined ? 2 : 0;
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

/** A reader that went away (`| head`) must not crash a run that still has to clean up. */
function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
  }
}

async function cli(): Promise<void> {
  ignoreBrokenPipes();
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
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
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

await cli();
