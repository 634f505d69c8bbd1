import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { stateDir } from './paths.js';

/**
 * Lessons from outside the bundled course run commands on the learner's machine, so the learner
 * trusts each one once. Trust is for the file's exact content: an edited lesson asks again.
 */
function trustFile(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'trusted.json');
}

export function lessonDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readTrusted(env: Record<string, string | undefined>): Promise<string[]> {
  try {
    const data = JSON.parse(await readFile(trustFile(env), 'utf8')) as unknown;
    return Array.isArray(data) ? data.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export async function isTrusted(
  env: Record<string, string | undefined>,
  text: string,
): Promise<boolean> {
  return (await readTrusted(env)).includes(lessonDigest(text));
}

export async function trust(env: Record<string, string | undefined>, text: string): Promise<void> {
  const trusted = new Set(await readTrusted(env));
  trusted.add(lessonDigest(text));
  await writeFileAtomic(trustFile(env), `${JSON.stringify([...trusted], null, 2)}\n`);
}
