/**
 * The order `verify --jobs N` starts lessons in: the longest first (longest processing time
 * first), so that a long lesson does not start last and hold up the end of the run while the
 * other slots are idle. How long a lesson takes is what it took the last time verify ran it on
 * this machine, remembered in docker-lab's cache folder; a lesson never timed here is estimated
 * from what it does. A slot whose sandbox already holds a lesson's images takes that lesson
 * before a longer one it would have to load images for, when the two are close (nextFor). All
 * of it is hints for the order only: nothing is skipped or judged by them.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from '../images/paths.js';
import type { Lesson } from '../lesson/schema.js';

/** A check given this long is one the author expects to wait on (a server starting). */
const WAITING_CHECK_MS = 30_000;

/**
 * How long a lesson takes, guessed from what it does (in ms, to compare with a remembered
 * duration): each command, near misses counted as commands (each runs one); each check that
 * waits (a database starting, a service converging: the course's long lessons are those); and
 * each node beyond the first (their daemons start, and a swarm forms). Quick checks and files
 * cost next to nothing. Fitted to the course's lessons on one warm sandbox (least squares over
 * the 15 that ran: it ranks the five longest as they ran, give or take one place).
 */
export function estimatedMs(lesson: Lesson | undefined): number {
  if (!lesson) return 0;
  let ms = 2_500 * ((lesson.meta.nodes ?? 1) - 1);
  for (const step of lesson.steps) {
    ms += 500 * (step.commands.length + step.mistakes.length);
    ms += 2_000 * step.checks.filter((check) => check.timeoutMs >= WAITING_CHECK_MS).length;
  }
  return ms;
}

/** Lesson id → how long its last verify took here (ms). Twins share an id, and a duration. */
export type Durations = Record<string, number>;

const FILE = 'verify-durations.json';

/** What verify remembers; nothing (or a file it cannot read) is nothing remembered. */
export async function readDurations(env: Record<string, string | undefined>): Promise<Durations> {
  try {
    const data = JSON.parse(await readFile(join(cacheDir(env), FILE), 'utf8')) as {
      lessons?: Record<string, unknown>;
    };
    const durations: Durations = {};
    for (const [id, ms] of Object.entries(data.lessons ?? {}))
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) durations[id] = ms;
    return durations;
  } catch {
    return {};
  }
}

/**
 * Remembers `measured` over what was there. Written whole through a rename, so a reader never
 * sees half a file; two runs ending together may lose one's figures, which only costs an order.
 */
export async function rememberDurations(
  env: Record<string, string | undefined>,
  measured: Durations,
): Promise<void> {
  if (Object.keys(measured).length === 0) return;
  const dir = cacheDir(env);
  const lessons = { ...(await readDurations(env)), ...measured };
  await mkdir(dir, { recursive: true });
  const partial = join(dir, `${FILE}.${process.pid}.partial`);
  await writeFile(partial, `${JSON.stringify({ version: 1, lessons }, null, 2)}\n`);
  await rename(partial, join(dir, FILE));
}

/**
 * How long each lesson is expected to take (ms): remembered, or else estimated. A lesson that
 * does not parse takes nothing.
 */
export function expectedMs(
  lessons: readonly (Lesson | undefined)[],
  remembered: Durations = {},
): number[] {
  return lessons.map((lesson) =>
    lesson ? (remembered[lesson.meta.id] ?? estimatedMs(lesson)) : 0,
  );
}

/**
 * The order lessons start in, given how long each is expected to take (expectedMs). One job: as
 * given. Several: the longest first; ties, and lessons that do not parse, in the order given.
 * Reports are still written in the order given.
 */
export function startOrder(length: readonly number[], jobs: number): number[] {
  const order = length.map((_, index) => index);
  if (jobs <= 1) return order;
  return order.sort((a, b) => length[b]! - length[a]! || a - b);
}

/**
 * Which of the lessons still waiting (in start order) a free slot takes: the first whose images
 * its sandbox already holds, among those expected to take at least half as long as the first
 * waiting; else the first. Loading an image into a sandbox costs seconds of CPU (MySQL's, 10 s
 * on a busy machine), and a run whose slots each load the same image pays it each time; a
 * lesson half as long as the longest waiting does not hold up the end of the run. Returns the
 * position in `waiting`.
 */
export function nextFor(
  waiting: readonly number[],
  length: readonly number[],
  holdsImages: (index: number) => boolean,
): number {
  if (waiting.length === 0) return -1;
  const longest = length[waiting[0]!]!;
  const ready = waiting.findIndex((index) => length[index]! >= longest / 2 && holdsImages(index));
  return ready === -1 ? 0 : ready;
}
