/**
 * Where docker-lab's own files are: the package root (with lessons/ and fixtures/images/),
 * found from this module's location so it works from src/ (tests), dist/ and an npm install.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export { packageRoot } from '../package-root.js';

/** The stand-in recipes: fixtures/images/<recipe>/. */
export function recipesDir(): string {
  return join(packageRoot(), 'fixtures', 'images');
}

export { courseDir } from '../lesson/course.js';

/** ${XDG_CACHE_HOME:-~/.cache}/docker-lab: the cached base root filesystem lives here. */
export function cacheDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'docker-lab');
}
