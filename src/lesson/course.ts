import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

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
