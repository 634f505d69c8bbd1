/**
 * Recipe hashes: a stand-in is current when the hash of its recipe directory, combined with
 * the hash of the base it is built on, equals the one in its label. Anything that changes the
 * image (a Dockerfile line, an entrypoint script, its executable bit, the base) changes it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

export const LABEL_STANDIN_FOR = 'org.docker-lab.standin-for';
export const LABEL_RECIPE_HASH = 'org.docker-lab.recipe-hash';

async function files(dir: string, root = dir, out: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await files(path, root, out);
    else out.push(relative(root, path).split('\\').join('/'));
  }
  return out.sort();
}

/** sha256 over every file's path, executable bit and bytes, in a fixed order. */
export async function hashDirectory(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of await files(dir)) {
    const path = join(dir, name);
    const executable = ((await stat(path)).mode & 0o111) !== 0;
    const bytes = await readFile(path);
    hash.update(`${name}\0${executable ? 'x' : '-'}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** The hash a stand-in built from `recipeDir` on the base with `baseHash` carries. */
export async function standInRecipeHash(recipeDir: string, baseHash: string): Promise<string> {
  const dirHash = await hashDirectory(recipeDir);
  return createHash('sha256').update(`standin:v1\n${dirHash}\n${baseHash}\n`).digest('hex');
}
