/**
 * `output`: what one of the step's own commands printed, and its exit status. The commands have
 * finished when checks run, so the observation is always terminal: waiting cannot change it.
 */
import { describeMatcher, type Lang } from '../matchers.js';
import { messages } from '../messages.js';
import type { Matcher } from '../matcher-schema.js';
import type { CheckContext, CheckKindStrategy, CommandOutput, Observation } from '../types.js';
import { clean, compareFields } from './support.js';

interface OutputSpec {
  command?: string;
  stdout?: Matcher;
  stderr?: Matcher;
  exitCode?: Matcher;
}

const FIELDS = ['stdout', 'stderr', 'exitCode'] as const;

function subject(raw: Record<string, unknown>, lang: Lang): string {
  return messages(lang).subjectOutput((raw as OutputSpec).command);
}

/** The named command's latest run, or the step's last command. */
function pick(
  outputs: readonly CommandOutput[],
  id: string | undefined,
): CommandOutput | undefined {
  if (id === undefined) return outputs.at(-1);
  return outputs.findLast((output) => output.id === id);
}

async function evaluate(raw: Record<string, unknown>, ctx: CheckContext): Promise<Observation> {
  const spec = raw as OutputSpec;
  const m = messages(ctx.lang);
  const output = pick(ctx.outputs, spec.command);
  const base = { subject: subject(raw, ctx.lang), terminal: m.terminalOutput };
  if (!output) {
    // Nothing ran: every expectation is unmet, negative ones too (`exitCode: { not: 0 }` must
    // not pass before the command it speaks of has run).
    const mismatches = FIELDS.filter((field) => spec[field] !== undefined).map((field) => ({
      field,
      expected: describeMatcher(spec[field] as Matcher, ctx.lang),
      actual: undefined,
    }));
    return {
      ...base,
      pass: false,
      mismatches,
      fix: spec.command ? m.fixUnknownCommand(spec.command) : m.fixNoOutput,
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
    fix: mismatches.some((mm) => mm.field === 'exitCode') ? m.fixExitCode : m.fixOutputText,
  };
}

export const outputKind: CheckKindStrategy = { kind: 'output', subject, evaluate };
