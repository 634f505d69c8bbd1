import { execFile } from 'node:child_process';

/** Runs the built docker-lab binary (npm test builds it first) and collects what it printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 300_000,
  /** Typed into the command's standard input, which then closes. */
  input?: string,
): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['dist/cli.js', ...args],
      {
        env: { ...process.env, NO_COLOR: '1', ...env },
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, ms: Date.now() - started });
      },
    );
    child.stdin?.end(input ?? '');
  });
}
