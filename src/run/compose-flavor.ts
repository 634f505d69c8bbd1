/**
 * Which Compose this machine has, asked the way a learner would find out: `docker compose
 * version` (the v2 plugin), else `docker-compose version` (v1). Asked once per process; both
 * answer without a daemon.
 */
import { execFile } from 'node:child_process';
import type { Lesson } from '../lesson/schema.js';
import { lessonForCompose, usesCompose, type ComposeFlavor } from '../lesson/compose-dialect.js';

/** Which Compose answered, and its version as it says it (`2.26.1`, `1.29.2`). */
export interface ComposeFound {
  flavor: ComposeFlavor;
  version?: string;
}

function version(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args, 'version', '--short'],
      { env, timeout: timeoutMs, ...(signal ? { signal } : {}) },
      (error, stdout) => resolve(error ? undefined : String(stdout).trim()),
    );
  });
}

/**
 * The one test for "which Compose is here", used by the runner (which form lessons show) and
 * doctor (what it reports): v2 wins when both answer, as `docker compose` is current.
 */
export async function findCompose(
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ComposeFound> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const [v2, v1] = await Promise.all([
    version('docker', ['compose'], env, timeoutMs, options.signal),
    version('docker-compose', [], env, timeoutMs, options.signal),
  ]);
  if (v2 !== undefined) return { flavor: 'v2', version: v2 };
  if (v1 !== undefined) return { flavor: 'v1', version: v1 };
  return { flavor: 'none' };
}

let asked: Promise<ComposeFlavor> | undefined;

/** The flavour lessons are shown in, asked once per process. */
export function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeFlavor> {
  asked ??= findCompose(env).then((found) => found.flavor);
  return asked;
}

/** The lesson as this machine runs and shows it (`docker-compose` where only v1 is here). */
export async function lessonForThisMachine(
  lesson: Lesson,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Lesson> {
  if (!usesCompose(lesson)) return lesson;
  return lessonForCompose(lesson, await detectCompose(env));
}
