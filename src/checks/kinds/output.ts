/**
 * `output`: what one of the step's own commands printed, and its exit status. The commands have
 * finished when checks run, so the observation is always terminal: waiting cannot change it.
 */
import { describeMatcher } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, CommandOutput, Observation } from '../types.js';
import { clean, compareFields } from './support.js';

type OutputSpec = CheckSpec<'output'>;

const FIELDS = ['stdout', 'stderr', 'exitCode'] as const;

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
  const output = pick(ctx.outputs, spec.command);
  const base = { subject: subject(spec, ctx.lang), terminal: m.check.terminalOutput };
  if (!output) {
    // Nothing ran: every expectation is unmet, negative ones too (`exitCode: { not: 0 }` must
    // not pass before the command it speaks of has run).
    const mismatches = FIELDS.flatMap((field) => {
      const matcher = spec[field];
      return matcher === undefined
        ? []
        : [{ field, expected: describeMatcher(matcher, ctx.lang), actual: undefined }];
    });
    return {
      ...base,
      pass: false,
      mismatches,
      fix: spec.command ? m.fix.unknownCommand(spec.command) : m.fix.noOutput,
    };
  }
  const actual = {
    stdout: clean(output.stdout),
    stderr: clean(output.stderr),
    exitCode: output.exitCode,
  };
  const mismatches = compareFields(spec, actual, FIELDS, ctx.lang);
  return {
    ...base,
    pass: mismatches.length === 0,
    mismatches,
    observed: actual,
    fix: mismatches.some((mm) => mm.field === 'exitCode') ? m.fix.exitCode : m.fix.outputText,
  };
}

export const outputKind: CheckKindStrategy<'output'> = { kind: 'output', subject, evaluate };
