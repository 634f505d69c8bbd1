import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { twinPaths } from '../lesson/twins.js';
import type { Style } from '../report/diagnostics.js';
import type { CommandIO } from './types.js';

/**
 * `verify --watch`: the author's loop. The lessons are verified, then again each time one of
 * them, its twin, or a file it names in its folder is saved. Saves are debounced (an editor
 * writes a file in several steps); a save during a run queues one run after it, never a second
 * run beside it on the daemon. Ctrl-C lets the current run finish its cleanup, then ends.
 */
export interface WatchOptions {
  io: CommandIO;
  write: (text: string) => void;
  style: Style;
  /** Clear the screen before each run (a terminal), rather than print a separator (a log). */
  clear: boolean;
  /** The lessons to verify, read afresh: their paths and texts. */
  files: () => Promise<{ path: string; text: string }[]>;
  /** One verify run; its exit code. */
  run: () => Promise<number>;
  debounceMs?: number;
}

const DEBOUNCE_MS = 250;

/** Files in the lesson's folder (and below) whose path relative to it the lesson's text names. */
async function filesNamedIn(lessonPath: string, text: string): Promise<string[]> {
  const folder = dirname(lessonPath);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const named: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(folder, path).split(sep).join('/');
    if (path !== lessonPath && rel.length > 2 && text.includes(rel)) named.push(path);
  }
  return named;
}

/** Every file whose save re-runs the lessons. */
async function watchedFiles(
  lessons: readonly { path: string; text: string }[],
): Promise<Set<string>> {
  const files = new Set<string>();
  for (const lesson of lessons) {
    const path = resolve(lesson.path);
    files.add(path);
    for (const twin of twinPaths(path)) files.add(twin.path);
    for (const named of await filesNamedIn(path, lesson.text)) files.add(named);
  }
  return files;
}

export async function watchLessons(options: WatchOptions): Promise<number> {
  const { io, write, style } = options;
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  let files = new Set<string>();
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let queued: string | undefined;
  let code = 0;
  let wake: () => void = () => {};
  let stopped = false;

  const stopWatching = () => {
    for (const w of watchers) w.close();
    watchers = [];
  };
  // Folders are watched, not files: an editor saves by writing a new file and renaming it over
  // the old one, which a watch on the old file would not see.
  const startWatching = () => {
    stopWatching();
    const folders = new Set([...files].map((f) => dirname(f)));
    for (const folder of folders) {
      try {
        const w = watch(folder, { recursive: false }, (_event, name) => {
          if (!name) return;
          const path = join(folder, name.toString());
          if (files.has(path)) changed(path);
        });
        w.on('error', () => {});
        watchers.push(w);
      } catch {
        // A twin's folder that does not exist yet: nothing there to save.
      }
    }
  };
  // A named file in a subfolder is watched through its own folder, above.
  const changed = (path: string) => {
    if (stopped) return;
    if (running) {
      queued = path;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => void runOnce(path), debounceMs);
  };

  const runOnce = async (cause?: string) => {
    running = true;
    try {
      const time = new Date().toTimeString().slice(0, 8);
      const why = cause ? `${relative(io.cwd, cause) || basename(cause)} changed` : 'first run';
      if (options.clear) write('\x1b[2J\x1b[3J\x1b[H');
      else if (cause) write('\n');
      write(`${style.dim(`──── ${time} ${why} ────`)}\n`);
      try {
        code = await options.run();
        files = await watchedFiles(await options.files());
      } catch (error) {
        // A lesson that cannot be read now (deleted mid-save, not a lesson any more) is said,
        // and the watch goes on: the next save may fix it.
        code = 1;
        write(`${(error as Error).message}\n`);
      }
      if (!io.signal?.aborted) {
        startWatching();
        write(
          style.dim(
            `watching ${files.size} file${files.size === 1 ? '' : 's'} for changes; Ctrl-C ends\n`,
          ),
        );
      }
    } finally {
      running = false;
    }
    // One save or many during the run: one more run, after it.
    if (queued && !io.signal?.aborted) {
      const next = queued;
      queued = undefined;
      clearTimeout(timer);
      timer = setTimeout(() => void runOnce(next), debounceMs);
    } else if (io.signal?.aborted) wake();
  };

  const ended = new Promise<void>((resolve) => {
    wake = resolve;
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener(
      'abort',
      () => {
        stopped = true;
        clearTimeout(timer);
        stopWatching();
        // The current run sees the same signal: it stops and removes what it created.
        if (!running) resolve();
      },
      { once: true },
    );
  });
  files = await watchedFiles(await options.files());
  await runOnce();
  await ended;
  stopWatching();
  return code;
}
