/**
 * Paths inside the lesson's working directory, symbolic links resolved. A lesson's commands may
 * make `out` a link to a folder elsewhere; a later `file=out/x` block (or a file check of
 * `out/x`) must not follow it out. The path is walked one component at a time from the working
 * directory: every component that exists is resolved, and the first one that leads outside is
 * named in the refusal.
 */
import { DockerLabError } from '../errors.js';
import { lstat, mkdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export class OutsideWorkdirError extends DockerLabError {
  override name = 'OutsideWorkdirError';
  constructor(
    /** The path as the lesson wrote it. */
    readonly path: string,
    /** The component that is a link leading outside, relative to the working directory. */
    readonly link: string,
    /** Where that link leads. */
    readonly target: string,
  ) {
    super({
      what: `${path} would leave the lesson's working directory: ${link} is a symbolic link to ${target}`,
    });
  }
}

const within = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The real path of `path` (relative to `workdir`), refusing any that leaves it. Components that
 * do not exist yet are kept as written (they will be made inside). Throws OutsideWorkdirError.
 */
export async function insideWorkdir(workdir: string, path: string): Promise<string> {
  const root = await realpath(workdir);
  const wanted = resolve(root, path);
  if (!within(root, wanted)) throw new OutsideWorkdirError(path, path, wanted);
  let current = root;
  const parts = relative(root, wanted).split(sep).filter(Boolean);
  for (const [index, part] of parts.entries()) {
    const next = join(current, part);
    const info = await lstat(next).catch(() => undefined);
    if (!info) return join(next, ...parts.slice(index + 1));
    if (info.isSymbolicLink()) {
      const link = relative(root, next);
      const target = await realpath(next).catch(async () => {
        // A dangling link: where it points, resolved against its folder.
        const text = await readlink(next);
        return isAbsolute(text) ? text : resolve(dirname(next), text);
      });
      if (!within(root, target)) throw new OutsideWorkdirError(path, link, target);
      current = target;
    } else {
      current = next;
    }
  }
  return current;
}

/** Makes the folders of a file that is to be written inside the working directory. */
export async function prepareInside(workdir: string, path: string): Promise<string> {
  const target = await insideWorkdir(workdir, path);
  await mkdir(dirname(target), { recursive: true });
  // The folders now exist: resolve again, in case a link appeared in between.
  return insideWorkdir(workdir, path);
}
