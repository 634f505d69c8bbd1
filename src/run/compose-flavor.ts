/**
 * Which Compose this machine has, asked the way a learner would find out: `docker compose
 * version` (the v2 plugin), else `docker-compose version` (v1). Asked once per process; both
 * answer without a daemon.
 */
import { execFile } from 'node:child_process';
import type { Lesson } from '../lesson/schema.js';
import { lessonForCompose, usesCompose, type ComposeFlavor } from '../lesson/compose-dialect.js';

function answers(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 15_000 }, (error) => resolve(!error));
  });
}

let asked: Promise<ComposeFlavor> | undefined;

export function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeFlavor> {
  asked ??= (async () => {
    if (await answers('docker', ['compose', 'version'], env)) return 'v2';
    if (await answers('docker-compose', ['version'], env)) return 'v1';
    return 'none';
  })();
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
