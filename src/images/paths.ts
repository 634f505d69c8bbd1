/**
 * Where docker-lab's own files are: the package root (with lessons/ and fixtures/images/),
 * found from this module's location so it works from src/ (tests), dist/ and an npm install.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures', 'images'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error('cannot find the docker-lab package (fixtures/images is missing)');
    dir = up;
  }
}

/** The stand-in recipes: fixtures/images/<recipe>/. */
export function recipesDir(): string {
  return join(packageRoot(), 'fixtures', 'images');
}

/** The bundled course: lessons/. */
export function courseDir(): string {
  return join(packageRoot(), 'lessons');
}

/** ${XDG_CACHE_HOME:-~/.cache}/docker-lab: the cached base root filesystem lives here. */
export function cacheDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'docker-lab');
}
