import type { Diagnostic } from '../lesson/diagnostics.js';

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
export const COLOR: Style = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
const id = (text: string) => text;
export const PLAIN: Style = { red: id, yellow: id, green: id, dim: id, bold: id };

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return COLOR;
  return stream.isTTY ? COLOR : PLAIN;
}

/** `file:line:col  severity  message  (rule)`: the form editors and CI logs link to. */
export function formatDiagnostic(d: Diagnostic, style: Style = PLAIN): string {
  const severity = d.severity === 'error' ? style.red('error') : style.yellow('warning');
  const [first, ...rest] = d.message.split('\n');
  const indent = ' '.repeat(4);
  const more = rest.map((line) => `\n${indent}${line}`).join('');
  return `${style.bold(`${d.file}:${d.line}:${d.col}`)}  ${severity}  ${first}  ${style.dim(`(${d.rule})`)}${more}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatLintSummary(
  diagnostics: readonly Diagnostic[],
  lessons: number,
  style: Style = PLAIN,
): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length === 0)
    return style.green(`✓ ${plural(lessons, 'lesson')} checked, no problems`);
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const text = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${files} of ${plural(lessons, 'lesson')}`;
  return errors > 0 ? style.red(`✖ ${text}`) : style.yellow(`! ${text}`);
}
