import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { Lang } from '../i18n/lang.js';

/** The bundled course: `lessons/` in docker-lab's own folder. */
export function bundledCourseDir(): string {
  return join(packageRoot(), 'lessons');
}

/**
 * The course every command works on (list, the TUI and its first frame, images, verify,
 * reset): DOCKER_LAB_COURSE_DIR when set (a course being written, tests), else the bundled one.
 * Called without an environment: the bundled course.
 */
export function courseDir(env: Record<string, string | undefined> = {}): string {
  return env.DOCKER_LAB_COURSE_DIR || bundledCourseDir();
}

/** What the course rule needs of a lesson: its id, its language and its place in the course. */
export interface CourseEntry {
  meta: { id: string; lang: Lang; order?: number | undefined };
}

/**
 * The course a learner sees in `lang`, the one rule for list, the TUI and reset: each lesson in
 * the learner's language, and a lesson not yet translated in its own language (English first)
 * rather than missing from the course; in `order`, then by id.
 */
export function courseInLanguage<T extends CourseEntry>(lessons: readonly T[], lang: Lang): T[] {
  const rank = (entry: T) => (entry.meta.lang === lang ? 0 : entry.meta.lang === 'en' ? 1 : 2);
  // Two files of one id and language (files named on the command line) are both kept.
  const chosen = new Map<string, T[]>();
  for (const entry of lessons) {
    const held = chosen.get(entry.meta.id);
    if (!held || rank(entry) < rank(held[0]!)) chosen.set(entry.meta.id, [entry]);
    else if (rank(entry) === rank(held[0]!)) held.push(entry);
  }
  return [...chosen.values()]
    .flat()
    .sort(
      (a, b) =>
        (a.meta.order ?? Number.MAX_SAFE_INTEGER) - (b.meta.order ?? Number.MAX_SAFE_INTEGER) ||
        a.meta.id.localeCompare(b.meta.id),
    );
}
