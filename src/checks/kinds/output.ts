/**
 * `output`: what one of the step's own commands printed, and its exit status. A command that
 * has finished cannot change its output, so that observation is terminal: waiting cannot change
 * it. Two cases wait: a `background` command still running (what it printed so far, which
 * grows), and `rerun: true`, where each attempt after the first runs the command again.
 */
import { describeMatcher } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type {
  CheckContext,
  CheckKindStrategy,
  CommandOutput,
  Mismatch,
  Observation,
} from '../types.js';
import { clean, compareFields } from './support.js';

type OutputSpec = CheckSpec<'output'>;

const FIELDS = ['stdout', 'stderr', 'text', 'exitCode'] as const;

function subject(spec: OutputSpec, lang: Lang): string {
  return messages(lang).subject.output(spec.command);
}

/** The named command's latest run, or the step's last command. */
function pick(
  outputs: readonly CommandOutput[],
  id: string | undefined,
): CommandOutput | undefined {
  if (id === undefined) return outputs.at(-1);
  return outputs.findLast((output) => output.id === id);
}

async function evaluate(spec: OutputSpec, ctx: CheckContext): Promise<Observation> {
  const m = messages(ctx.lang);
  let output = pick(ctx.outputs, spec.command);
  const base = { subject: subject(spec, ctx.lang) };
  if (!output) {
    // Nothing ran: every expectation is unmet, negative ones too (`exitCode: { not: 0 }` must
    // not pass before the command it speaks of has run). Never re-run here: before the step,
    // the step's command must not run.
    const mismatches = FIELDS.flatMap((field) => {
      const matcher = spec[field];
      return matcher === undefined
        ? []
        : [{ field, expected: describeMatcher(matcher, ctx.lang), actual: undefined }];
    });
    return {
      ...base,
      terminal: m.check.terminalOutput,
      pass: false,
      mismatches,
      fix: spec.command ? m.fix.unknownCommand(spec.command) : m.fix.noOutput,
    };
  }
  // The first attempt judges what the step's run printed; each later one runs it again.
  const rerun = spec.rerun === true && (ctx.attempt ?? 1) > 1 && ctx.rerun !== undefined;
  if (rerun) output = (await ctx.rerun!(spec.command, ctx.signal)) ?? output;
  const running = output.running === true;
  const stdout = clean(output.stdout);
  const stderr = clean(output.stderr);
  const actual = {
    stdout,
    stderr,
    text: output.text === undefined ? stdout + stderr : clean(output.text),
    exitCode: running ? undefined : output.exitCode,
  };
  const mismatches: Mismatch[] = compareFields(spec, actual, FIELDS, ctx.lang).map((mm) =>
    // A running command has no exit status yet: say so rather than "nothing".
    mm.field === 'exitCode' && running ? { ...mm, actual: m.word.stillRunning() } : mm,
  );
  const fix =
    spec.rerun === true
      ? m.fix.rerunOutput(spec.command)
      : !mismatches.some((mm) => mm.field === 'exitCode')
        ? m.fix.outputText
        : running
          ? m.fix.stillRunning(spec.command)
          : m.fix.exitCode;
  return {
    ...base,
    // What a finished command printed cannot change, unless the check runs it again.
    ...(running || spec.rerun === true ? {} : { terminal: m.check.terminalOutput }),
    pass: mismatches.length === 0,
    mismatches,
    observed: actual,
    fix,
  };
}

export const outputKind: CheckKindStrategy<'output'> = { kind: 'output', subject, evaluate };
