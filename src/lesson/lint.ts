import { relative } from 'node:path';
import { checkDescriptions, checkNodes } from './check-rules.js';
import { checkCommands } from './command-rules.js';
import { compareDiagnostics, DiagnosticSink, type Diagnostic } from './diagnostics.js';
import type { LessonSource } from './loader.js';
import { parseLesson } from './parser.js';
import type { Lesson } from './schema.js';
import { checkPlacement, checkTwin, twinPaths } from './twins.js';
import { checkHintsAgree } from './hint-rules.js';

export interface LintResult {
  diagnostics: Diagnostic[];
  lessons: number;
}

/**
 * Lints lessons: parse errors, command safety, placement, hints, check descriptions and twins. Twins that were not given
 * are read through `readTwin` (so the rule works on a single file too).
 */
export async function lintSources(
  sources: readonly LessonSource[],
  readTwin: (path: string) => Promise<string | undefined>,
  cwd: string,
): Promise<LintResult> {
  const diagnostics: Diagnostic[] = [];
  const parsed = new Map<string, Lesson | null>();
  for (const source of sources) {
    const result = parseLesson(source.shown, source.text, source);
    diagnostics.push(...result.diagnostics);
    parsed.set(source.path, result.partial ?? null);
  }
  const twinCache = new Map<string, Lesson | null | undefined>();
  const twinOf = async (path: string): Promise<Lesson | null | undefined> => {
    if (parsed.has(path)) return parsed.get(path);
    if (!twinCache.has(path)) {
      const text = await readTwin(path);
      twinCache.set(
        path,
        text === undefined ? undefined : (parseLesson(path, text).partial ?? null),
      );
    }
    return twinCache.get(path);
  };
  for (const source of sources) {
    const lesson = parsed.get(source.path);
    if (!lesson) continue;
    const sink = new DiagnosticSink(source.shown);
    checkCommands(lesson, sink);
    checkPlacement(lesson, sink);
    checkHintsAgree(lesson, sink);
    checkDescriptions(lesson, sink);
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
