/**
 * Checks are shown to learners in words: the TUI lists each check by its `description`, never by
 * its raw id. A check without one is an error at the check, with an example in the lesson's
 * language of what to write.
 */
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson } from './schema.js';

const RULE = 'check-description';

/** How a description reads in each course language (any other language gets the English one). */
const EXAMPLES: Record<string, { language: string; example: string }> = {
  en: { language: 'English', example: 'the container dl-hello exited with code 0' },
  'zh-CN': { language: 'Chinese', example: '容器 dl-hello 以退出码 0 结束' },
};

export function checkDescriptions(lesson: Lesson, sink: DiagnosticSink): void {
  const { language, example } = EXAMPLES[lesson.meta.lang] ?? EXAMPLES.en!;
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
