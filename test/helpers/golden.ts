import type { Diagnostic } from '../../src/lesson/diagnostics.js';

/**
 * Bad fixtures end with the diagnostics they must produce, one per line:
 *   <!-- expected diagnostics
 *   LINE:COL SEVERITY (RULE) MESSAGE      (a newline inside a message is written \n)
 *   -->
 */
const MARKER = '<!-- expected diagnostics';

export function goldenLine(d: Diagnostic): string {
  return `${d.line}:${d.col} ${d.severity} (${d.rule}) ${d.message.replace(/\n/g, '\\n')}`;
}

export function formatGolden(diagnostics: readonly Diagnostic[]): string {
  return `\n${MARKER}\n${diagnostics.map(goldenLine).join('\n')}\n-->\n`;
}

export function stripGolden(text: string): string {
  const at = text.lastIndexOf(`\n${MARKER}`);
  return at === -1 ? text : text.slice(0, at);
}

export function readGolden(text: string): string[] | undefined {
  const at = text.lastIndexOf(MARKER);
  if (at === -1) return undefined;
  const end = text.indexOf('-->', at);
  return text
    .slice(at + MARKER.length, end)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}
