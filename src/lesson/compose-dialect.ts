/**
 * Lessons are written for Compose v2 (`docker compose`, what Docker ships today). A machine with
 * only Compose v1 has `docker-compose` instead, which reads the same files and takes the same
 * subcommands. The lesson a learner sees there says `docker-compose`, and that is what runs:
 * never one command shown and another run, and no CI-only fallback in the lesson.
 *
 * Pure: which Compose the machine has is found out by run/compose-flavor.ts.
 */
import type { Lesson } from './schema.js';

/** What `docker compose` means on this machine. */
export type ComposeFlavor = 'v2' | 'v1' | 'none';

/** `docker compose` as a command (at a line start or after a space, ; & | ( or `), not `docker composer`. */
const V2_COMMAND = /(^|[\s;&|(`])docker\s+compose(?=$|[\s;&|)`])/gm;

/** The text with `docker compose` spelled as this machine's Compose wants it. */
export function composeDialect(text: string, flavor: ComposeFlavor): string {
  if (flavor !== 'v1') return text;
  // "v2, else v1" (`docker compose version || docker-compose version`) is then one command.
  return text.replace(V2_COMMAND, '$1docker-compose').replace(/^(.+?) \|\| \1$/gm, '$1');
}

/** Fenced shell blocks of rendered step prose (where the learner reads the command). */
const SHELL_FENCE =
  /^( {0,3})(`{3,}|~{3,})[ \t]*(sh|bash|shell)\b([^\n]*)\n([\s\S]*?)^\1\2[ \t]*$/gm;

function shellBlocksInDialect(markdown: string, flavor: ComposeFlavor): string {
  return markdown.replace(
    SHELL_FENCE,
    (_all, indent: string, fence: string, lang: string, info: string, body: string) =>
      `${indent}${fence}${lang}${info}\n${composeDialect(body, flavor)}${indent}${fence}`,
  );
}

/**
 * The lesson as this machine runs it: its commands, where the learner reads them, and the fixes
 * that quote them. Prose and hints are left alone (they explain both generations). Unchanged when the machine has Compose v2.
 */
export function lessonForCompose(lesson: Lesson, flavor: ComposeFlavor): Lesson {
  if (flavor !== 'v1') return lesson;
  const say = (text: string): string => composeDialect(text, flavor);
  return {
    ...lesson,
    steps: lesson.steps.map((step) => ({
      ...step,
      markdown: shellBlocksInDialect(step.markdown, flavor),
      commands: step.commands.map((command) => ({ ...command, script: say(command.script) })),
      mistakes: step.mistakes.map((mistake) => ({ ...mistake, command: say(mistake.command) })),
      checks: step.checks.map((check) =>
        check.fix === undefined ? check : { ...check, fix: say(check.fix) },
      ),
      ...(step.solution === undefined
        ? {}
        : {
            solution: {
              ...step.solution,
              markdown: shellBlocksInDialect(step.solution.markdown, flavor),
            },
          }),
    })),
  };
}

/** Whether any command of the lesson runs `docker compose` (only then is the machine asked). */
export function usesCompose(lesson: Lesson): boolean {
  return lesson.steps.some((step) =>
    step.commands.some((command) => new RegExp(V2_COMMAND.source, 'm').test(command.script)),
  );
}
