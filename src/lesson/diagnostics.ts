import type { Position } from './source.js';

export type Severity = 'error' | 'warning';

/** One problem in a lesson, located to the character, with the fix in the message. */
export interface Diagnostic extends Position {
  file: string;
  severity: Severity;
  /** Stable rule name, e.g. `schema`, `unknown-key`, `dangerous-command`. */
  rule: string;
  message: string;
}

export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  constructor(readonly file: string) {}

  error(at: Position, rule: string, message: string): void {
    this.items.push({
      file: this.file,
      line: at.line,
      col: at.col,
      severity: 'error',
      rule,
      message,
    });
  }

  warning(at: Position, rule: string, message: string): void {
    this.items.push({
      file: this.file,
      line: at.line,
      col: at.col,
      severity: 'warning',
      rule,
      message,
    });
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule)
  );
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
