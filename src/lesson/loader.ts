import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../commands/types.js';

/** A lesson file as read from disk; `shown` is the path as the user should see it. */
export interface LessonSource {
  path: string;
  shown: string;
  text: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.'))
        await walk(join(dir, entry.name), out);
    } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) {
      out.push(join(dir, entry.name));
    }
  }
}

/**
 * Finds lessons: a file named on the command line is always a lesson; inside folders, only
 * Markdown files that open with front matter are (a README next to lessons is not one).
 */
export async function loadLessonSources(
  paths: readonly string[],
  cwd: string,
): Promise<LessonSource[]> {
  const sources: LessonSource[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${given}`);
    const files: string[] = [];
    if (info.isDirectory()) await walk(absolute, files);
    else files.push(absolute);
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const text = await readFile(file, 'utf8');
      if (info.isDirectory() && !/^\uFEFF?---[ \t]*\r?\n/.test(text)) continue;
      sources.push({ path: file, shown: relative(cwd, file) || file, text });
    }
  }
  return sources;
}

/** Reads a file if it exists (for twins that were not named on the command line). */
export async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}
