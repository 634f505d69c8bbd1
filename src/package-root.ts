import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * docker-lab's own folder (package.json with lessons/ and fixtures/images/), found by walking up
 * from this module: it runs from src/ under tsx, from dist/chunks/ when bundled, and from an
 * npm install.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  if (root) return root;
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lessons'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`the docker-lab package (with its lessons/) was not found above ${from}`);
    dir = up;
  }
}
