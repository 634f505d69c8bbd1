/**
 * The lesson's working directory at the same path on a daemon host that shares no folder with
 * this machine, kept in step through the daemon helper, so `-v "$PWD/data:/var/lib/mysql"` means
 * the same folder on both sides.
 *
 * Each side's last-synced listing (type, size, mode, modification time) is kept; a sync moves
 * only what changed on one side since then. Before a command, what changed here goes there
 * (files a step wrote, what a command on this machine made); after a command and before a file
 * check, what changed there comes here (what containers wrote into bind mounts). Only changed
 * files move, so a database's files being written on the daemon host are never sent back over
 * themselves. The copy on the daemon host, and any folder made to hold it, goes with the lesson.
 */
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join, posix, relative } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { HOST_ROOT, type DaemonHelper } from '../docker/helper.js';
import { insideWorkdir, OutsideWorkdirError, prepareInside } from '../fs/inside.js';

interface Entry {
  type: 'file' | 'dir' | 'link';
  size: number;
  /** Seconds. */
  mtime: number;
  mode: number;
}

type Listing = Map<string, Entry>;

const same = (a: Entry | undefined, b: Entry | undefined): boolean =>
  a !== undefined &&
  b !== undefined &&
  a.type === b.type &&
  a.size === b.size &&
  a.mtime === b.mtime &&
  (a.type === 'link' || a.mode === b.mode);

/** Paths in `now` that are new or changed since `then`, and those gone. */
function changes(then: Listing, now: Listing): { changed: string[]; gone: string[] } {
  const changed = [...now.keys()].filter((path) => !same(then.get(path), now.get(path)));
  // A folder whose only change is its mtime (a file in it changed) moves with that file.
  const gone = [...then.keys()].filter((path) => !now.has(path));
  return { changed: changed.sort(), gone: gone.sort() };
}

/** `previous`, with the entries of `paths` (and their folders) taken from `fresh`. */
function absorb(previous: Listing, fresh: Listing, paths: string[]): Listing {
  const next = new Map(previous);
  const touched = new Set<string>();
  for (const path of paths) {
    for (let at = path; at && at !== '.'; at = posix.dirname(at)) touched.add(at);
  }
  for (const path of touched) {
    const entry = fresh.get(path);
    if (entry) next.set(path, entry);
    else next.delete(path);
  }
  // Below a removed folder nothing is left.
  for (const path of [...next.keys()]) {
    if (!fresh.has(path) && [...touched].some((t) => path.startsWith(`${t}/`))) next.delete(path);
  }
  return next;
}

async function listHere(root: string, dir = root, into: Listing = new Map()): Promise<Listing> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info) continue;
    const key = relative(root, path).split('\\').join('/');
    const type = info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'file';
    if (!info.isSymbolicLink() && !info.isDirectory() && !info.isFile()) continue;
    into.set(key, {
      type,
      size: type === 'dir' ? 0 : info.size,
      mtime: Math.floor(info.mtimeMs / 1000),
      mode: info.mode & 0o7777,
    });
    if (type === 'dir') await listHere(root, path, into);
  }
  return into;
}

/** Marks a folder on the daemon's host as docker-lab's copy (kept when a learner keeps a lesson). */
export const COPY_MARKER = '.docker-lab-copy';

/**
 * A relative path that stays inside the folder: no empty, `.` or `..` segment. A name a container
 * chose can hold a newline, and so forge a line of the listing: such a key is never used.
 */
export function safeKey(key: string): boolean {
  return (
    key !== '' &&
    !key.startsWith('/') &&
    key.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

/** One line per path: `type|size|mtime|mode(octal)|path`, from busybox stat. */
export function parseStatListing(text: string, base: string): Listing {
  const listing: Listing = new Map();
  for (const line of text.split('\n')) {
    const parts = line.split('|');
    if (parts.length < 5) continue;
    const [kind, size, mtime, mode] = parts;
    const path = parts.slice(4).join('|');
    if (!path.startsWith(`${base}/`)) continue;
    const type =
      kind === 'directory'
        ? 'dir'
        : kind === 'symbolic link'
          ? 'link'
          : kind!.startsWith('regular')
            ? 'file'
            : undefined;
    if (!type) continue;
    const key = path.slice(base.length + 1);
    if (!safeKey(key) || key === COPY_MARKER) continue;
    listing.set(key, {
      type,
      size: type === 'dir' ? 0 : Number(size),
      mtime: Number(mtime),
      mode: parseInt(mode!, 8),
    });
  }
  return listing;
}

export class WorkdirMirror {
  private here: Listing = new Map();
  private there: Listing = new Map();
  /** The first folder of the path that did not exist on the daemon host: removed at the end. */
  private made: string | undefined;

  private constructor(
    private readonly helper: DaemonHelper,
    /** The working directory's real path here, and the same path there. */
    readonly path: string,
  ) {}

  private get remote(): string {
    return `${HOST_ROOT}${this.path}`;
  }

  static async start(helper: DaemonHelper, path: string): Promise<WorkdirMirror> {
    const mirror = new WorkdirMirror(helper, path);
    // Which part of the path is missing there, so that exactly it is removed at the end. A
    // folder that is already there is used only when it is empty or docker-lab's own copy (a
    // lesson whose containers the learner kept): anything else there is somebody's.
    const script =
      'p="$1"; first=""; while [ "$p" != "/host" ] && [ ! -e "$p" ]; do first="$p"; p="$(dirname "$p")"; done; ' +
      'if [ -z "$first" ] && [ ! -e "$1/$2" ] && [ -n "$(ls -A "$1" 2>/dev/null)" ]; then echo taken; exit 3; fi; ' +
      'state=new; [ -e "$1/$2" ] && state=kept; mkdir -p "$1" && touch "$1/$2" && echo "$state|$first"';
    const made = await helper.run(['sh', '-c', script, 'sh', mirror.remote, COPY_MARKER]);
    if (made.exitCode === 3)
      throw new Error(
        `the folder ${path} already exists on the daemon's host with files that are not docker-lab's: it is left alone. Move it away there, or give docker-lab another state folder here (XDG_STATE_HOME), then open the lesson again.`,
      );
    if (made.exitCode !== 0)
      throw new Error(
        `the working directory could not be made on the daemon's host: ${made.stderr.trim()}`,
      );
    const [state, first] = made.stdout.toString('utf8').trim().split('|');
    if (first) mirror.made = first;
    if (state === 'kept') {
      // The learner's kept copy: both sides as they are now are the baseline, so neither
      // overwrites the other; from here on only changes move.
      mirror.here = await listHere(path);
      mirror.there = await mirror.listThere();
    }
    return mirror;
  }

  private async listThere(): Promise<Listing> {
    const result = await this.helper.run([
      'find',
      this.remote,
      '-mindepth',
      '1',
      '-exec',
      'stat',
      '-c',
      '%F|%s|%Y|%a|%n',
      '{}',
      '+',
    ]);
    return parseStatListing(result.stdout.toString('utf8'), this.remote);
  }

  /** What changed here since the last sync goes to the daemon's host. */
  async push(): Promise<void> {
    const now = await listHere(this.path);
    const { changed, gone } = changes(this.here, now);
    if (gone.length > 0) {
      await this.helper.run(['rm', '-rf', '--', ...gone.map((p) => posix.join(this.remote, p))]);
    }
    if (changed.length > 0) {
      const pack = tar.pack();
      const packing = (async () => {
        for (const path of changed) {
          const entry = now.get(path)!;
          const header = { name: path, mode: entry.mode, mtime: new Date(entry.mtime * 1000) };
          const full = join(this.path, path);
          if (entry.type === 'dir') pack.entry({ ...header, type: 'directory' });
          else if (entry.type === 'link')
            pack.entry({ ...header, type: 'symlink', linkname: await readlink(full) });
          else {
            const content = await readFile(full).catch(() => undefined);
            if (content) pack.entry({ ...header, size: content.length }, content);
          }
        }
        pack.finalize();
      })();
      await Promise.all([
        this.helper.putArchive(
          Readable.from(pack as unknown as AsyncIterable<Buffer>),
          this.remote,
        ),
        packing,
      ]);
    }
    this.here = now;
    // What was sent is synced there too; anything else that changed there meanwhile (a
    // container writing) still comes here at the next pull. Nothing sent: nothing to absorb,
    // and no listing to ask the daemon's host for (an exec in the helper, before every command).
    if (changed.length > 0 || gone.length > 0)
      this.there = absorb(this.there, await this.listThere(), [...changed, ...gone]);
  }

  /** What changed on the daemon's host since the last sync comes here. */
  async pull(): Promise<void> {
    const now = await this.listThere();
    const { changed, gone } = changes(this.there, now);
    for (const path of gone) {
      // Keys are checked when read; the entry itself goes (a link, not what it points to), and
      // a link on the way to it that leads out of the folder is not followed.
      const folder = posix.dirname(path);
      const parent =
        folder === '.' ? this.path : await insideWorkdir(this.path, folder).catch(() => undefined);
      if (parent) await rm(join(parent, posix.basename(path)), { recursive: true, force: true });
    }
    const wanted = changed.filter((p) => now.get(p)!.type !== 'dir' || !this.here.has(p));
    if (wanted.length > 0) await this.fetch(wanted);
    // Folders' modes and times after their files (writing a file changes its folder's mtime).
    for (const path of changed.filter((p) => now.get(p)!.type === 'dir').reverse()) {
      const entry = now.get(path)!;
      const full = join(this.path, path);
      await mkdir(full, { recursive: true }).catch(() => undefined);
      await utimes(full, entry.mtime, entry.mtime).catch(() => undefined);
    }
    this.there = now;
    // Likewise: only what was written here counts as synced; a command's own changes still go.
    this.here = absorb(this.here, await listHere(this.path), [...changed, ...gone]);
  }

  private async fetch(paths: string[]): Promise<void> {
    // Parents before children; tar takes names relative to the working directory there.
    const result = await this.helper.run([
      'tar',
      '-c',
      '-f',
      '-',
      '-C',
      this.remote,
      '--no-recursion',
      '--',
      ...paths,
    ]);
    const extract = tar.extract();
    const done = (async () => {
      for await (const entry of extract) {
        const { name, type, mode, mtime, linkname } = entry.header;
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        let target: string;
        try {
          target = await prepareInside(this.path, name);
        } catch (error) {
          // A link made there that leads out of the folder here is not followed.
          if (error instanceof OutsideWorkdirError) continue;
          throw error;
        }
        const modeBits = (mode ?? 0o644) & 0o7777;
        if (type === 'directory') {
          await mkdir(target, { recursive: true });
        } else if (type === 'symlink' && linkname) {
          await rm(target, { force: true, recursive: true });
          await symlink(linkname, target);
          continue;
        } else if (type === 'file' || type === 'contiguous-file') {
          await rm(target, { force: true, recursive: true }).catch(() => undefined);
          // Owner read/write whatever the container gave it: the runner must be able to read
          // and, at the end, remove what a container wrote as another user.
          await writeFile(target, Buffer.concat(chunks), { mode: modeBits | 0o600 });
        } else continue;
        if (mtime) await utimes(target, mtime, mtime).catch(() => undefined);
      }
    })();
    extract.end(result.stdout);
    await done;
  }

  /**
   * Removes the copy on the daemon's host, and the folders made for it. A folder that was there
   * before (empty, or a kept copy) keeps existing: only what is inside goes.
   */
  async remove(): Promise<void> {
    const command = this.made
      ? ['rm', '-rf', '--', this.made]
      : ['find', this.remote, '-mindepth', '1', '-delete'];
    await this.helper.run(command).catch(() => undefined);
  }
}

/** The listing helpers, for tests. */
export const forTests = { changes, listHere, absorb };
