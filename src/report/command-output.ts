/**
 * The commands' output in a failing step's report. When a command exited non-zero, the report
 * leads with the first such command (its command line, exit code and the tail of its output):
 * a name conflict in the first command explains the rest, and hides behind a later command's
 * usage text otherwise. Then the last command's output, when it is another command, as before.
 * Output is cleaned of escape codes (terminal-text.ts: the one place that cleans terminal text).
 */
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { plainTerminalText } from '../terminal-text.js';

/** What the report needs of a command that ran (a CommandRecord fits). */
export interface RanCommand {
  command: { script: string; background?: boolean };
  result: { stdout: string; stderr: string; exitCode: number | null; aborted?: boolean };
}

export const OUTPUT_TAIL_LINES = 20;

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${by}${line}`))
    .join('\n');
}

/** The first command that ran to its end and exited non-zero (background ones never end here). */
export function firstFailedCommand<C extends RanCommand>(commands: readonly C[]): C | undefined {
  return commands.find(
    (c) =>
      !c.command.background &&
      !c.result.aborted &&
      c.result.exitCode !== null &&
      c.result.exitCode !== 0,
  );
}

function block(record: RanCommand, lang: Lang, first: boolean): string | undefined {
  const m = messages(lang).check;
  const text = plainTerminalText(`${record.result.stdout}${record.result.stderr}`).trimEnd();
  const line = record.command.script.split('\n')[0] ?? '';
  const exit = record.result.exitCode;
  if (!text && !first) return undefined;
  const lines = text === '' ? [] : text.split('\n');
  const tail = lines.slice(-OUTPUT_TAIL_LINES);
  const head = first
    ? m.commandFailedFirst(line, exit ?? -1)
    : m.commandOutput(line, exit, tail.length, lines.length);
  return tail.length === 0
    ? `${head}\n  ${m.commandNoOutput}`
    : `${head}\n${indent(tail.join('\n'), '  ')}`;
}

/**
 * The output of a failing step's commands for its report: `lead`, the first command that failed
 * (it goes before everything else), and `last`, the last command's output when it is another
 * command (it goes after the checks, as the rest).
 */
export function commandOutputBlocks(
  commands: readonly RanCommand[],
  lang: Lang,
): { lead?: string; last?: string } {
  const failed = firstFailedCommand(commands);
  const end = commands[commands.length - 1];
  const last = end && end !== failed ? block(end, lang, false) : undefined;
  return {
    ...(failed ? { lead: block(failed, lang, true)! } : {}),
    ...(last ? { last } : {}),
  };
}
