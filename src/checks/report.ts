/**
 * Failure reports: first as data (what failed, expected against found, attempts, the container
 * snapshot, the likeliest fix), then rendered as plain text for a terminal in the learner's
 * language. Colour is the caller's choice (it knows about NO_COLOR and TTYs): pass a style.
 */
import { lineDiff, showsMarks, type DiffLine } from './diff.js';
import type { Matcher, MatcherObject } from './matcher-schema.js';
import { CREATION_FIELDS } from './kinds/container.js';
import { condenseLog } from './log-condense.js';
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
  /** The expectation is a pattern (`matches`): a learner is shown what was found only. */
  pattern?: boolean;
}

export interface FailureReport {
  id: string;
  /** For a learner: the lesson's command that makes what the check looks at. */
  command?: string;
  /** For a learner: what is wrong with the command they typed, from the lesson's near misses. */
  mistake?: string;
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

function isTrimming(matcher: Matcher | undefined): boolean {
  return (
    typeof matcher === 'object' &&
    matcher !== null &&
    !Array.isArray(matcher) &&
    (matcher as MatcherObject).trim === true
  );
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
  const matcher = mismatch.matcher as unknown;
  if (typeof matcher === 'object' && matcher !== null && 'matches' in matcher) out.pattern = true;
  const expected = expectedText(mismatch.matcher);
  // With `trim: true`, what was compared is the trimmed text.
  const trim = isTrimming(mismatch.matcher);
  const actual =
    typeof mismatch.actual === 'string' && trim ? mismatch.actual.trim() : mismatch.actual;
  if (
    expected !== undefined &&
    typeof actual === 'string' &&
    (expected.includes('\n') ||
      actual.includes('\n') ||
      // Texts that differ only in spaces at an end: a diff shows where (`·`, `⏎`).
      (expected !== actual && expected.trim() === actual.trim()))
  ) {
    out.diff = lineDiff(expected, actual);
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
  /**
   * A report for a learner (the TUI, the practice shell), not an author: the check in words
   * instead of its id, no patterns to decipher, the logs condensed, and the lesson's own command
   * under a fix that re-creates (`command` finds it for the check).
   */
  learner?: {
    command?: (check: CheckResult['check']) => string | undefined;
    /**
     * The step's known mistake the learner made that this check refuses (mistakes.ts
     * `mistakeMade`): its sentence leads the report, before what was found.
     */
    mistake?: (check: CheckResult['check']) => string | undefined;
  };
}

/** Log lines a learner's report shows at most (an author's shows them all). */
const LEARNER_LOG_LINES = 8;

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

function renderMismatch(
  mismatch: ReportMismatch,
  lang: Lang,
  style: ReportStyle,
  learner: boolean,
): string[] {
  const m = messages(lang).check;
  const field = style.field(mismatch.field);
  // A pattern (`matches`) is the author's; a learner reads what was found.
  if (learner && mismatch.pattern && !mismatch.diff) {
    const actual =
      typeof mismatch.actual === 'string' && mismatch.actual.includes('\n')
        ? (mismatch.actual.trim().split('\n').at(-1) ?? '')
        : inline(mismatch.actual, lang);
    return [`  ${m.mismatchFound(field, actual)}`];
  }
  if (mismatch.diff) {
    return [
      `  ${m.mismatchBlock(field, mismatch.expected)}`,
      `    ${m.diffHeader}`,
      ...renderDiff(mismatch.diff, style),
      ...(mismatch.diff.some(showsMarks) ? [`    ${style.dim(m.whitespaceLegend)}`] : []),
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

function renderSnapshot(
  snapshot: ContainerSnapshot,
  lang: Lang,
  style: ReportStyle,
  learner: boolean,
): string[] {
  const m = messages(lang).check;
  const state = [
    snapshot.status,
    ...(snapshot.exitCode !== undefined ? [m.exitCode(snapshot.exitCode)] : []),
    ...(snapshot.health !== undefined ? [m.health(snapshot.health)] : []),
  ].join(m.stateSeparator);
  const lines = [`  ${m.snapshot(snapshot.name, snapshot.image, state)}`];
  if (snapshot.logTail.length === 0) lines.push(`    ${style.dim(m.noLogs)}`);
  else {
    const shown = learner
      ? condenseLog(snapshot.logTail, LEARNER_LOG_LINES, m.logRepeated)
      : snapshot.logTail;
    lines.push(`    ${(learner ? m.logTailLearner : m.logTail)(snapshot.logTail.length)}`);
    lines.push(...shown.map((line) => `    ${style.dim('|')} ${line}`));
  }
  return lines;
}

/** The report as terminal text, one line per fact, no trailing newline. */
export function renderReport(report: FailureReport, options: RenderOptions): string {
  const { lang } = options;
  const style = options.style ?? plainStyle;
  const m = messages(lang).check;
  const learner = options.learner !== undefined;
  const lines = learner
    ? [style.heading(m.failedWords(report.description ?? report.subject))]
    : [style.heading(m.failed(report.id, report.subject))];
  if (report.description && !learner) lines.push(`  ${style.dim(report.description)}`);
  if (report.mistake) lines.push(`  ${style.fix(m.knownMistake(report.mistake))}`);
  if (report.error) {
    lines.push(`  ${report.aborted ? m.aborted : m.error(report.error)}`);
    return lines.join('\n');
  }
  if (report.negated) lines.push(`  ${m.negated}`);
  for (const mismatch of report.mismatches)
    lines.push(...renderMismatch(mismatch, lang, style, learner));

  let tries = m.attempts(report.attempts, m.duration(report.elapsedMs));
  if (report.timeoutMs > 0) tries += m.timeout(m.duration(report.timeoutMs));
  lines.push(`  ${style.dim(tries)}`);
  if (report.stoppedEarly) lines.push(`  ${m.stoppedEarly(report.stoppedEarly)}`);
  if (report.snapshot) lines.push(...renderSnapshot(report.snapshot, lang, style, learner));
  if (report.fix) lines.push(`  ${style.fix(m.fix(report.fix.text))}`);
  if (report.command) lines.push(`  ${m.fixCommand}`, `    $ ${report.command}`);
  return lines.join('\n');
}

/** Shorthand: the rendered report of a failed result. */
export function formatFailure(result: CheckResult, options: RenderOptions): string {
  const report = buildReport(result, options.lang);
  // What re-creates or creates the object the check looks at, as the lesson wrote it.
  const recreate =
    !result.error &&
    result.observation.mismatches.some(
      (mm) => mm.field === 'exists' || CREATION_FIELDS.has(mm.field),
    );
  const command = recreate ? options.learner?.command?.(result.check) : undefined;
  const mistake = result.error ? undefined : options.learner?.mistake?.(result.check);
  return renderReport(
    { ...report, ...(command ? { command } : {}), ...(mistake ? { mistake } : {}) },
    options,
  );
}
