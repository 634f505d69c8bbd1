/**
 * Checks are shown to learners in words: the TUI lists each check by its `description`, never by
 * its raw id. A check without one is an error at the check, with an example in the lesson's
 * language of what to write.
 */
import { nodeNames } from '../checks/nodes.js';
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

/**
 * A check's `node:` names one of the lesson's nodes (front matter `nodes:`, default 1): a node
 * the lesson does not have would make the check fail on every run, for a reason no learner can
 * fix.
 */
export function checkNodes(lesson: Lesson, sink: DiagnosticSink): void {
  const count = lesson.meta.nodes ?? 1;
  const names = nodeNames(count);
  for (const step of lesson.steps) {
    for (const check of step.checks) {
      if (check.node === undefined || names.includes(check.node)) continue;
      sink.error(
        check,
        'check-node',
        count === 1
          ? `check "${check.id}" looks at node ${check.node}, but this lesson runs on one daemon: add \`nodes: ${Math.max(2, Number(/\d+$/.exec(check.node)?.[0] ?? 1) + 1)}\` to the front matter, or remove \`node:\``
          : `check "${check.id}" looks at node ${check.node}, but this lesson has ${count} nodes (${names.join(', ')}): name one of them, or raise \`nodes:\` in the front matter`,
      );
    }
  }
}
