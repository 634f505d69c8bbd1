/**
 * Checks are shown to learners in words: the TUI lists each check by its `description`, never by
 * its raw id. A check without one is an error at the check, with an example in the lesson's
 * language of what to write.
 */
import { LANGUAGE_NAMES } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson } from './schema.js';

const RULE = 'check-description';

export function checkDescriptions(lesson: Lesson, sink: DiagnosticSink): void {
  const language = LANGUAGE_NAMES[lesson.meta.lang];
  const example = messages(lesson.meta.lang).lint.checkDescriptionExample;
  for (const step of lesson.steps) {
    for (const check of step.checks) {
      if (check.description?.trim()) continue;
      const [problem, fix] =
        check.description === undefined
          ? ['has no description', 'Add `description: ...` to the check:']
          : ['has an empty description', 'Write in its `description:`'];
      sink.error(
        check,
        RULE,
        `check "${check.id}" ${problem}: learners see checks in words, never by id. ${fix} a short phrase in ${language} saying what it checks, as the learner reads it, like "${example}"`,
      );
    }
  }
}
