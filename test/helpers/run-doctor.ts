/** Runs a command's main in-process with captured streams and a given environment. */
import { PassThrough } from 'node:stream';
import type { CommandMain } from '../../src/commands/types.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment is this process's, minus anything that chooses a daemon, plus `env`; the
 * registry probe goes to a closed loopback port so tests send nothing off the machine.
 */
export async function runDoctor(
  main: CommandMain,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const base = { ...process.env };
  for (const key of [
    'DOCKER_HOST',
    'DOCKER_CONTEXT',
    'DOCKER_TLS',
    'DOCKER_TLS_VERIFY',
    'DOCKER_CERT_PATH',
    'NO_COLOR',
    'FORCE_COLOR',
  ]) {
    delete base[key];
  }
  const code = await main(args, {
    stdout,
    stderr,
    env: { ...base, DOCKER_LAB_REGISTRY_PROBE: 'https://127.0.0.1:1', NO_COLOR: '1', ...env },
    cwd: process.cwd(),
  });
  return { code, stdout: out, stderr: err };
}
