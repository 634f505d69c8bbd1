/**
 * `requires` names lessons to do first. The course list and the TUI show them by id, so each
 * must be a lesson of the same course: a lesson file in the same folder (the same language).
 */
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson } from './schema.js';
import { suggest } from './suggest.js';

const RULE = 'requires';

/**
 * "Did you mean" among a folder's ids, remembered per folder list: a course of many lessons
 * that all require a missing one asks the same question many times.
 */
const guesses = new WeakMap<readonly string[], Map<string, string | undefined>>();
function guess(id: string, known: readonly string[]): string | undefined {
  let byId = guesses.get(known);
  if (!byId) guesses.set(known, (byId = new Map()));
  if (!byId.has(id)) byId.set(id, suggest(id, known));
  return byId.get(id);
}

/** `known`: the ids of the lessons in the lesson's folder (itself included). */
export function checkRequires(
  lesson: Lesson,
  known: readonly string[],
  sink: DiagnosticSink,
): void {
  if (lesson.invalidMeta?.includes('requires')) return;
  const ids = new Set(known);
  (lesson.meta.requires ?? []).forEach((id, i) => {
    const at = lesson.metaPositions[`requires.${i}`] ??
      lesson.metaPositions.requires ?? { line: 1, col: 1 };
    if (id === lesson.meta.id) {
      sink.error(at, RULE, `the lesson "${id}" requires itself: remove it from \`requires\``);
    } else if (!ids.has(id)) {
      const near = guess(id, known);
      const hint = near && near !== lesson.meta.id ? ` (did you mean "${near}"?)` : '';
      sink.error(
        at,
        RULE,
        `requires "${id}", but no lesson of this course (this folder) has that id${hint}: name a lesson to do first by its id, or remove it`,
      );
    }
  });
}
