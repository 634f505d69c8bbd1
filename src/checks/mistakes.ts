/**
 * A step's typical mistakes (the lesson's `yaml near-miss` block): a command a learner is likely
 * to type instead of the right one, what is wrong with it in the lesson's language, and which of
 * the step's checks must refuse it. verify runs each one and proves that the checks do refuse it
 * (run/lesson-run.ts); a learner who types one is told the sentence in the check's report
 * (report.ts). Not to be confused with near-miss.ts, which compares names on the daemon.
 */
import { z } from 'zod';
import { DurationSchema, IdSchema } from './schema.js';

export const MistakeSchema = z.strictObject({
  /** The wrong command, as a learner would type it. */
  command: z.string().trim().min(1),
  /** What is wrong with it, in the lesson's language, for the learner's report. */
  mistake: z.string().trim().min(1),
  /** The checks that must refuse it; default: every check of the step. */
  fails: z.array(IdSchema).min(1).optional(),
  /**
   * The longest a check waits for the mistake's outcome (the author's claim that the right
   * command makes it pass sooner; verify holds the step to it). Default: the check's timeout.
   */
  wait: DurationSchema.optional(),
});
export type MistakeSpec = z.infer<typeof MistakeSchema>;
export const MISTAKE_KEYS = Object.keys(MistakeSchema.shape);

export const MistakesSchema = z.array(MistakeSchema).min(1);

/** A mistake as the lesson holds it: where it was written, `wait` in milliseconds. */
export interface Mistake {
  command: string;
  mistake: string;
  fails?: string[];
  waitMs?: number;
  line: number;
  col: number;
}

/** One spelling of a command: blanks and line continuations collapsed, ends trimmed. */
export function normaliseCommand(script: string): string {
  return script
    .replace(/\\\r?\n/g, ' ')
    .trim()
    .split(/\s+/)
    .join(' ');
}

/**
 * An `output` check that reads a command by id cannot judge a near miss: the mistake is typed
 * instead of the step's commands, and that command's output is not there.
 */
export function judgesMistakes(check: { kind: string; spec?: unknown }): boolean {
  if (check.kind !== 'output') return true;
  return (check.spec as { command?: string } | undefined)?.command === undefined;
}

/**
 * The checks a mistake must be refused by: those it names, else all of them that can judge it
 * (see `judgesMistakes`).
 */
export function refusingChecks<C extends { id: string; kind: string; spec?: unknown }>(
  mistake: Mistake,
  checks: readonly C[],
): C[] {
  return mistake.fails
    ? checks.filter((c) => mistake.fails!.includes(c.id))
    : checks.filter(judgesMistakes);
}

/**
 * The mistake the learner made, if one of the commands they typed is one of the step's mistakes
 * (compared with blanks normalised) that `checkId` is meant to refuse.
 */
export function mistakeMade(
  mistakes: readonly Mistake[],
  typed: readonly string[],
  checkId: string,
): Mistake | undefined {
  const said = new Set(typed.map(normaliseCommand));
  return mistakes.find(
    (m) =>
      said.has(normaliseCommand(m.command)) && (m.fails === undefined || m.fails.includes(checkId)),
  );
}
