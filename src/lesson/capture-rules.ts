/**
 * Captured values (`capture` on a check, `${NAME}` later) are only there once the check that
 * keeps them has passed. A `${NAME}` naming a capture of this lesson before that point would run
 * with the text `${NAME}` in it (or the shell's empty variable): an error at the use, saying
 * where the value is captured. A `${NAME}` no check of the lesson captures is the shell's.
 */
import { referencedNames } from '../checks/capture.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson } from './schema.js';

const RULE = 'capture-before-use';

interface CapturedAt {
  step: number;
  check: number;
  line: number;
}

/** Every string a check holds (its spec and options), for the `${NAME}` it references. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function checkCaptureOrder(lesson: Lesson, sink: DiagnosticSink): void {
  const captured = new Map<string, CapturedAt>();
  lesson.steps.forEach((step, s) =>
    step.checks.forEach((check, k) => {
      for (const { name } of check.capture ?? [])
        if (!captured.has(name)) captured.set(name, { step: s, check: k, line: check.line });
    }),
  );
  if (captured.size === 0) return;
  const where = (at: CapturedAt) =>
    `step ${at.step + 1} ("${lesson.steps[at.step]!.title}"), line ${at.line}`;

  lesson.steps.forEach((step, s) => {
    for (const command of step.commands) {
      command.script.split('\n').forEach((text, offset) => {
        for (const ref of referencedNames(text)) {
          const at = captured.get(ref.name);
          // A step's commands run before its checks: a value its own checks capture is too late.
          if (!at || at.step < s) continue;
          sink.error(
            { line: command.line + 1 + offset, col: command.col + ref.index },
            RULE,
            `\${${ref.name}} is used before it is captured: the check that captures ${ref.name} is in ${where(at)}, after this command runs. Capture it in an earlier step, or use the value in a later one.`,
          );
        }
      });
    }
    step.checks.forEach((check, k) => {
      const names = new Set(strings(check).flatMap((text) => referencedNames(text)));
      for (const name of new Set([...names].map((r) => r.name))) {
        const at = captured.get(name);
        // Checks run in order: an earlier check of the same step may capture what this one uses.
        if (!at || at.step < s || (at.step === s && at.check < k)) continue;
        sink.error(
          check,
          RULE,
          `check "${check.id}" uses \${${name}} before it is captured (by the check in ${where(at)}). Capture it in an earlier check or step, or use it in a later one.`,
        );
      }
    });
  });
}
