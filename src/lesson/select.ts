import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';
import { loadLessonSources, type LessonSource } from './loader.js';
import { parseLesson } from './parser.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import type { Lesson } from './schema.js';
import { didYouMean } from './suggest.js';

export interface SelectedLesson {
  source: LessonSource;
  lesson?: Lesson;
  /** Set when the lesson cannot be run because it does not parse. */
  diagnostics: Diagnostic[];
}

/**
 * Turns command-line arguments into lessons: each argument is a file, a folder, or the id of a
 * course lesson (`first-run`, in every language unless --lang says which).
 */
export async function selectLessons(
  args: readonly string[],
  options: { cwd: string; courseDir: string; lang?: Lang },
): Promise<SelectedLesson[]> {
  const langs = options.lang ? [options.lang] : [...LANGUAGES];
  const paths: string[] = [];
  for (const arg of args.length > 0 ? args : [options.courseDir]) {
    if (existsSync(join(options.cwd, arg)) || existsSync(arg)) {
      paths.push(arg);
      continue;
    }
    const found = langs
      .map((lang) => join(options.courseDir, lang, `${arg}.md`))
      .filter((p) => existsSync(p));
    if (found.length === 0) {
      // Suggested only from where an id is looked for (a language's folder), never a lesson
      // elsewhere in the folder that this same id could not open.
      const folders = langs
        .map((lang) => join(options.courseDir, lang))
        .filter((folder) => existsSync(folder));
      const known = (await loadLessonSources(folders, options.cwd)).map((s) =>
        s.path.replace(/^.*\/([^/]+)\.md$/, '$1'),
      );
      throw new UsageError(
        `no lesson file, folder or course lesson id "${arg}"${didYouMean(arg, [...new Set(known)])}`,
      );
    }
    paths.push(...found);
  }
  const sources = await loadLessonSources(paths, options.cwd);
  const selected = sources.map((source) => {
    const result = parseLesson(source.shown, source.text, source);
    return {
      source,
      ...(result.lesson ? { lesson: result.lesson } : {}),
      diagnostics: result.diagnostics.filter((d) => d.severity === 'error'),
    };
  });
  return selected
    .filter((s) => !options.lang || !s.lesson || s.lesson.meta.lang === options.lang)
    .sort((a, b) => {
      const order = (s: SelectedLesson) => s.lesson?.meta.order ?? Number.MAX_SAFE_INTEGER;
      return order(a) - order(b) || a.source.shown.localeCompare(b.source.shown);
    });
}

/** `--shard 2/3`: which lessons this shard runs. Stable: decided by a hash of the file's path. */
export function parseShard(text: string): { index: number; total: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard takes i/n with 1 <= i <= n, like --shard 2/3, not "${text}"`);
  }
  return { index, total };
}

export function inShard(key: string, shard: { index: number; total: number }): boolean {
  const hash = createHash('sha1').update(key).digest().readUInt32BE(0);
  return hash % shard.total === shard.index - 1;
}
