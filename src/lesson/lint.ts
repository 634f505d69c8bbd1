import { dirname, relative } from 'node:path';
import { checkDescriptions, checkNodes } from './check-rules.js';
import { checkOutputRules } from './output-rules.js';
import { checkCommands } from './command-rules.js';
import { compareDiagnostics, DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { lessonFilesIn, type LessonSource } from './loader.js';
import { checkImagesDeclared } from './image-rules.js';
import { checkRequires } from './requires-rules.js';
import { parseLesson, type ParseResult } from './parser.js';
import type { Lesson } from './schema.js';
import { checkPlacement, checkTwin, twinPaths } from './twins.js';
import { checkHintsAgree } from './hint-rules.js';
import { checkCaptureOrder } from './capture-rules.js';

export interface LintResult {
  diagnostics: Diagnostic[];
  lessons: number;
}

/**
 * Lints lessons: parse errors, command safety, placement, hints, check descriptions and twins. Twins that were not given
 * are read through `readTwin` (so the rule works on a single file too).
 */
/** The `id:` of a lesson's front matter, read without parsing the lesson. */
function frontMatterId(text: string): string | undefined {
  const front = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  const id = front && /^id:[ \t]*["']?([^"'\s#]+)/m.exec(front[1]!);
  return id?.[1];
}

/** The lesson lint's own rules read: as parsed, or salvaged when its front matter is bad. */
function lintable(result: ParseResult): Lesson | null {
  return result.partial ?? result.salvaged ?? null;
}

export async function lintSources(
  sources: readonly LessonSource[],
  readTwin: (path: string) => Promise<string | undefined>,
  cwd: string,
  listFolder: (dir: string) => Promise<string[]> = lessonFilesIn,
): Promise<LintResult> {
  const diagnostics: Diagnostic[] = [];
  const parsed = new Map<string, Lesson | null>();
  for (const source of sources) {
    const result = parseLesson(source.shown, source.text, source);
    diagnostics.push(...result.diagnostics);
    parsed.set(source.path, lintable(result));
  }
  const twinCache = new Map<string, Lesson | null | undefined>();
  const twinOf = async (path: string): Promise<Lesson | null | undefined> => {
    if (parsed.has(path)) return parsed.get(path);
    if (!twinCache.has(path)) {
      const text = await readTwin(path);
      twinCache.set(path, text === undefined ? undefined : lintable(parseLesson(path, text)));
    }
    return twinCache.get(path);
  };
  // The ids of the lessons in a folder (for `requires`): a linted lesson's own, else the `id:`
  // line of each other lesson file's front matter.
  const folderIds = new Map<string, Promise<string[]>>();
  const idsIn = (dir: string): Promise<string[]> => {
    if (!folderIds.has(dir))
      folderIds.set(
        dir,
        listFolder(dir).then(async (files) => {
          const ids: string[] = [];
          for (const file of files) {
            const known = parsed.get(file);
            if (known) ids.push(known.meta.id);
            else {
              const id = frontMatterId((await readTwin(file)) ?? '');
              if (id) ids.push(id);
            }
          }
          return ids;
        }),
      );
    return folderIds.get(dir)!;
  };
  for (const source of sources) {
    const lesson = parsed.get(source.path);
    if (!lesson) continue;
    const sink = new DiagnosticSink(source.shown);
    checkCommands(lesson, sink);
    checkPlacement(lesson, sink);
    checkHintsAgree(lesson, sink);
    checkDescriptions(lesson, sink);
    checkOutputRules(lesson, sink);
    checkImagesDeclared(lesson, sink);
    if (lesson.meta.requires?.length)
      checkRequires(lesson, await idsIn(dirname(source.path)), sink);
    checkCaptureOrder(lesson, sink);
    checkNodes(lesson, sink);
    for (const twin of twinPaths(source.path)) {
      checkTwin(
        lesson,
        { lang: twin.lang, path: relative(cwd, twin.path), lesson: await twinOf(twin.path) },
        sink,
      );
    }
    diagnostics.push(...sink.items);
  }
  diagnostics.sort(compareDiagnostics);
  return { diagnostics, lessons: sources.length };
}
