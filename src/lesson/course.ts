import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/** The bundled course: `lessons/` in docker-lab's own folder. */
export function courseDir(): string {
  return join(packageRoot(), 'lessons');
}
