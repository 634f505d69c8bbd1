import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bundled course: `lessons/` next to docker-lab's package.json, found by walking up from
 * this module (it runs from src/ under tsx and from dist/chunks/ when bundled).
 */
export function courseDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'lessons')))
      return join(dir, 'lessons');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`the bundled lessons were not found above ${from}`);
    dir = parent;
  }
}
