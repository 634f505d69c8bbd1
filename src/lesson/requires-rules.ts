/**
 * `requires` names lessons to do first. The course list and the TUI show them by id, so each
 * must be a lesson of the same course: a lesson file in the same folder (the same language).
 */
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson } from './schema.js';
import { didYouMean } from './suggest.js';

const RULE = 'requires';

/** `known`: the ids of the lessons in the lesson's folder (itself included). */
export function checkRequires(
  lesson: Lesson,
  known: readonly string[],
  sink: DiagnosticSink,
): void {
  if (lesson.invalidMeta?.includes('requires')) return;
  const others = known.filter((id) => id !== lesson.meta.id);
  (lesson.meta.requires ?? []).forEach((id, i) => {
    const at = lesson.metaPositions[`requires.${i}`] ??
      lesson.metaPositions.requires ?? {
        line: 1,
        col: 1,
      };
    if (id === lesson.meta.id) {
      sink.error(at, RULE, `the lesson "${id}" requires itself: remove it from \`requires\``);
    } else if (!others.includes(id)) {
      sink.error(
        at,
        RULE,
        `requires "${id}", but no lesson of this course (this folder) has that id${didYouMean(id, others)}: name a lesson to do first by its id, or remove it`,
      );
    }
  });
}
