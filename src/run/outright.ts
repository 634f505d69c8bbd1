/**
 * A command that failed outright: the shell or docker refused it before it did anything (exit
 * 125 docker refused, 126 found but not runnable, 127 no such command). Waiting out the step's
 * checks then only makes the learner (or CI) wait minutes in silence for something that cannot
 * happen, so the step ends at once with what failed and what to do.
 *
 * The one place that decides it; verify and the TUI word it in their language.
 */
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import type { Command, Step } from '../lesson/schema.js';
import type { ProcessResult } from './process.js';

export type OutrightKind = 'docker-refused' | 'not-runnable' | 'not-found';

export interface OutrightFailure {
  kind: OutrightKind;
  exitCode: number;
  /** The last thing the command said on stderr (or stdout), trimmed: usually the reason. */
  said: string;
  /** A program docker has no subcommand for (`docker compose` without the plugin). */
  missingDockerCommand?: string;
}

const KINDS: Record<number, OutrightKind> = {
  125: 'docker-refused',
  126: 'not-runnable',
  127: 'not-found',
};

const MAX_SAID = 240;

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines[lines.length - 1] ?? '';
  return line.length > MAX_SAID ? `${line.slice(0, MAX_SAID - 1)}…` : line;
}

/** The outright failure a finished command shows, or undefined when it ran (pass or fail). */
export function outrightFailure(result: ProcessResult): OutrightFailure | undefined {
  if (result.exitCode === null || result.timedOut || result.aborted) return undefined;
  // docker 20.10: "docker: 'compose' is not a docker command." (exit 125 or 1); 24+: "unknown
  // command: docker compose" (exit 1). Either way docker has no such command: outright.
  const missing =
    /docker: '([\w-]+)' is not a docker command/.exec(result.stderr)?.[1] ??
    /unknown command: docker ([\w-]+)/.exec(result.stderr)?.[1];
  const kind =
    KINDS[result.exitCode] ?? (missing && result.exitCode !== 0 ? 'not-found' : undefined);
  if (!kind) return undefined;
  const said = lastLine(result.stderr) || lastLine(result.stdout);
  return {
    kind,
    exitCode: result.exitCode,
    said,
    ...(missing ? { missingDockerCommand: missing } : {}),
  };
}

/** One sentence: which command, what happened, what it said, what to do. */
export function describeOutright(
  failure: OutrightFailure,
  where: { file: string; line: number },
  lang: Lang,
): string {
  const r = messages(lang).run;
  const said = failure.said ? r.outrightSaid(failure.said) : '';
  const fix =
    failure.missingDockerCommand === 'compose' ? r.outrightNoCompose : r.outrightFix[failure.kind];
  return r.outrightFailed(
    `${where.file}:${where.line}`,
    failure.exitCode,
    r.outright[failure.kind],
    said,
    fix,
  );
}

/**
 * Whether the author stated the exit code this command must end with (an `output` check naming
 * it, or naming none when it is the step's last command): then a 125 or 127 may be the lesson's
 * point, and the checks decide.
 */
export function authorStatesExit(step: Step, command: Command, isLast: boolean): boolean {
  return step.checks.some((check) => {
    if (check.kind !== 'output' || check.spec.exitCode === undefined) return false;
    const named = check.spec.command;
    return named === undefined ? isLast : named === command.id;
  });
}
