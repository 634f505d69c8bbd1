/**
 * Rules for `output` checks that wait (docs/lesson-format.md, "output"): `rerun: true` runs the
 * step's command again on every attempt, so it needs a `timeout` to bound the attempts, and a
 * command it can run again unattended (not one that needs a terminal, nor one that stays in
 * the background).
 */
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson } from './schema.js';

const RULE = 'output-rerun';

export function checkOutputRules(lesson: Lesson, sink: DiagnosticSink): void {
  for (const step of lesson.steps) {
    // The command a check runs again may differ under verify and for a learner (`when=`).
    const modes = [
      step.commands.filter((c) => c.when !== 'learner'),
      step.commands.filter((c) => c.when !== 'ci'),
    ];
    for (const check of step.checks) {
      if (check.kind !== 'output' || check.spec.rerun !== true) continue;
      if (check.timeoutMs === 0)
        sink.error(
          check,
          RULE,
          `check "${check.id}" runs its command again (rerun: true) but has no timeout, so it would be tried once and never run again: add \`timeout:\` with how long to keep trying, like timeout: 30s`,
        );
      const ref = check.spec.command;
      const targets = new Set(
        modes.map((runs) => (ref === undefined ? runs.at(-1) : runs.findLast((c) => c.id === ref))),
      );
      const command =
        [...targets].find((c) => c?.interactive) ?? [...targets].find((c) => c?.background);
      if (command?.interactive)
        sink.error(
          check,
          RULE,
          `check "${check.id}" runs the command at line ${command.line} again (rerun: true), but it is interactive: nobody is at its terminal when a check runs it. Check a command that needs no terminal, or remove rerun`,
        );
      else if (command?.background)
        sink.error(
          check,
          RULE,
          `check "${check.id}" runs the command at line ${command.line} again (rerun: true), but it runs in the background: a check on it already waits for what it prints. Remove rerun`,
        );
    }
  }
}
