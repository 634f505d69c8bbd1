/**
 * Failure reports: first as data (what failed, expected against found, attempts, the container
 * snapshot, the likeliest fix), then rendered as plain text for a terminal in the learner's
 * language. Colour is the caller's choice (it knows about NO_COLOR and TTYs): pass a style.
 */
import { lineDiff, type DiffLine } from './diff.js';
import type { Matcher, MatcherObject } from './matcher-schema.js';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import type { CheckKind } from './schema.js';
import type { CheckResult, ContainerSnapshot, Mismatch } from './types.js';

export interface ReportMismatch {
  field: string;
  /** The matcher described for people. */
  expected: string;
  actual: unknown;
  /** When multi-line text should have equalled the expected text: how it differs. */
  diff?: DiffLine[];
}

export interface FailureReport {
  id: string;
  kind: CheckKind;
  subject: string;
  description?: string;
  /** The check is negated and failed because everything it states held. */
  negated: boolean;
  mismatches: ReportMismatch[];
  attempts: number;
  elapsedMs: number;
  timeoutMs: number;
  /** Why waiting stopped before the timeout (the state could not change by itself). */
  stoppedEarly?: string;
  /** Evaluation itself failed (daemon unreachable ...), or was cancelled. */
  error?: string;
  aborted?: boolean;
  snapshot?: ContainerSnapshot;
  fix?: { text: string; source: 'author' | 'suggested' };
}

/** The expected text when the matcher asks for equality with text, else undefined. */
function expectedText(matcher: Matcher | undefined): string | undefined {
  if (typeof matcher === 'string') return matcher;
  if (matcher && typeof matcher === 'object' && !Array.isArray(matcher)) {
    const equals = (matcher as MatcherObject).equals;
    if (typeof equals === 'string') return equals;
  }
  return undefined;
}

function reportMismatch(mismatch: Mismatch): ReportMismatch {
  const out: ReportMismatch = {
    field: mismatch.field,
    expected: mismatch.expected,
    actual: mismatch.actual,
  };
  const expected = expectedText(mismatch.matcher);
  if (
    expected !== undefined &&
    typeof mismatch.actual === 'string' &&
    (expected.includes('\n') || mismatch.actual.includes('\n'))
  ) {
    out.diff = lineDiff(expected, mismatch.actual);
  }
  return out;
}

/** Everything a failure report says, as data. `lang` picks the suggested fix's language. */
export function buildReport(result: CheckResult, lang: Lang): FailureReport {
  const { check, observation } = result;
  const { fix } = messages(lang);
  const negated = !result.error && check.not && observation.pass;
  const report: FailureReport = {
    id: check.id,
    kind: check.kind,
    subject: observation.subject,
    negated,
    mismatches: negated ? [] : observation.mismatches.map(reportMismatch),
    attempts: result.attempts,
    elapsedMs: result.elapsedMs,
    timeoutMs: check.timeoutMs,
  };
  if (check.description) report.description = check.description;
  if (result.error) {
    report.error = result.error;
    if (result.aborted) report.aborted = true;
  } else {
    // Only worth saying when there was time left to wait.
    if (observation.terminal && check.timeoutMs > result.elapsedMs) {
      report.stoppedEarly = observation.terminal;
    }
    if (observation.snapshot) report.snapshot = observation.snapshot;
    if (check.fix) report.fix = { text: check.fix, source: 'author' };
    else {
      const suggested = negated ? fix.negated : (observation.fix ?? fix.generic);
      report.fix = { text: suggested, source: 'suggested' };
    }
  }
  return report;
}

/** How each part of a report looks. Every function returns its text decorated (or as is). */
export interface ReportStyle {
  heading(text: string): string;
  field(text: string): string;
  removed(text: string): string;
  added(text: string): string;
  dim(text: string): string;
  fix(text: string): string;
}

const same = (text: string): string => text;
export const plainStyle: ReportStyle = {
  heading: same,
  field: same,
  removed: same,
  added: same,
  dim: same,
  fix: same,
};

const sgr =
  (open: string, close = '\x1b[0m') =>
  (text: string): string =>
    `\x1b[${open}m${text}${close}`;
export const colourStyle: ReportStyle = {
  heading: sgr('1;31'),
  field: sgr('1'),
  removed: sgr('31'),
  added: sgr('32'),
  dim: sgr('2'),
  fix: sgr('36'),
};

/** The colours a terminal palette offers (src/report/diagnostics.ts `Style` fits). */
export interface Palette {
  red(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** A report style from the CLI's palette, so reports follow its NO_COLOR decision. */
export function styleFromPalette(palette: Palette): ReportStyle {
  return {
    heading: (text) => palette.bold(palette.red(text)),
    field: (text) => palette.bold(text),
    removed: (text) => palette.red(text),
    added: (text) => palette.green(text),
    dim: (text) => palette.dim(text),
    fix: (text) => text,
  };
}

export interface RenderOptions {
  lang: Lang;
  style?: ReportStyle;
}

/** Multi-line text shown as a block keeps at most this many lines (the last ones). */
const BLOCK_LINES = 40;

function inline(value: unknown, lang: Lang): string {
  if (value === undefined) return messages(lang).check.nothing;
  return JSON.stringify(value) ?? String(value);
}

function block(text: string, style: ReportStyle): string[] {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const shown = lines.slice(-BLOCK_LINES);
  const out = shown.map((line) => `    ${style.dim('|')} ${line}`);
  if (lines.length > shown.length)
    out.unshift(`    ${style.dim(`… (${lines.length - shown.length})`)}`);
  return out;
}

function renderDiff(diff: DiffLine[], style: ReportStyle): string[] {
  return diff.map((line) => {
    switch (line.op) {
      case 'skip':
        return `    ${style.dim(`… (${line.count})`)}`;
      case 'removed':
        return `    ${style.removed(`- ${line.text}`)}`;
      case 'added':
        return `    ${style.added(`+ ${line.text}`)}`;
      default:
        return `      ${line.text}`;
    }
  });
}

function renderMismatch(mismatch: ReportMismatch, lang: Lang, style: ReportStyle): string[] {
  const m = messages(lang).check;
  const field = style.field(mismatch.field);
  if (mismatch.diff) {
    return [
      `  ${m.mismatchBlock(field, mismatch.expected)}`,
      `    ${m.diffHeader}`,
      ...renderDiff(mismatch.diff, style),
    ];
  }
  if (typeof mismatch.actual === 'string' && mismatch.actual.includes('\n')) {
    return [
      `  ${m.mismatchBlock(field, mismatch.expected)}`,
      `    ${m.found}`,
      ...block(mismatch.actual, style),
    ];
  }
  return [`  ${m.mismatch(field, mismatch.expected, inline(mismatch.actual, lang))}`];
}

function renderSnapshot(snapshot: ContainerSnapshot, lang: Lang, style: ReportStyle): string[] {
  const m = messages(lang).check;
  const state = [
    snapshot.status,
    ...(snapshot.exitCode !== undefined ? [m.exitCode(snapshot.exitCode)] : []),
    ...(snapshot.health !== undefined ? [m.health(snapshot.health)] : []),
  ].join(m.stateSeparator);
  const lines = [`  ${m.snapshot(snapshot.name, snapshot.image, state)}`];
  if (snapshot.logTail.length === 0) lines.push(`    ${style.dim(m.noLogs)}`);
  else {
    lines.push(`    ${m.logTail(snapshot.logTail.length)}`);
    lines.push(...snapshot.logTail.map((line) => `    ${style.dim('|')} ${line}`));
  }
  return lines;
}

/** The report as terminal text, one line per fact, no trailing newline. */
export function renderReport(report: FailureReport, options: RenderOptions): string {
  const { lang } = options;
  const style = options.style ?? plainStyle;
  const m = messages(lang).check;
  const lines = [style.heading(m.failed(report.id, report.subject))];
  if (report.description) lines.push(`  ${style.dim(report.description)}`);
  if (report.error) {
    lines.push(`  ${report.aborted ? m.aborted : m.error(report.error)}`);
    return lines.join('\n');
  }
  if (report.negated) lines.push(`  ${m.negated}`);
  for (const mismatch of report.mismatches) lines.push(...renderMismatch(mismatch, lang, style));

  let tries = m.attempts(report.attempts, m.duration(report.elapsedMs));
  if (report.timeoutMs > 0) tries += m.timeout(m.duration(report.timeoutMs));
  lines.push(`  ${style.dim(tries)}`);
  if (report.stoppedEarly) lines.push(`  ${m.stoppedEarly(report.stoppedEarly)}`);
  if (report.snapshot) lines.push(...renderSnapshot(report.snapshot, lang, style));
  if (report.fix) lines.push(`  ${style.fix(m.fix(report.fix.text))}`);
  return lines.join('\n');
}

/** Shorthand: the rendered report of a failed result. */
export function formatFailure(result: CheckResult, options: RenderOptions): string {
  return renderReport(buildReport(result, options.lang), options);
}
