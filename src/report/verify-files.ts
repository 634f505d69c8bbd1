import type { Lang } from '../i18n/lang.js';
import type { LessonReport, StepReport } from '../run/events.js';
import { renderCheckFailure } from './check-failure.js';
import { PLAIN } from './diagnostics.js';
import { plainTerminalText } from '../terminal-text.js';

/** Reports of a verify run as files: JSON (data) and JUnit XML (for CI dashboards). */

const KEEP_OUTPUT = 16 * 1024;
const tail = (text: string) => (text.length > KEEP_OUTPUT ? text.slice(-KEEP_OUTPUT) : text);

export function verifyJson(reports: readonly LessonReport[]): string {
  const data = {
    summary: {
      passed: reports.filter((r) => r.status === 'passed').length,
      failed: reports.filter((r) => r.status === 'failed').length,
      skipped: reports.filter((r) => r.status === 'skipped').length,
    },
    lessons: reports.map((r) => ({
      ...r,
      steps: r.steps.map((s) => ({
        ...s,
        commands: s.commands.map((c) => ({
          line: c.command.line,
          script: c.command.script,
          exitCode: c.result.exitCode,
          timedOut: c.result.timedOut,
          durationMs: c.result.durationMs,
          stdout: tail(c.result.stdout),
          stderr: tail(c.result.stderr),
        })),
        before: s.before.map((f) => ({
          id: f.check.id,
          expected: f.expected,
          ok: f.ok,
          pass: f.result.pass,
          error: f.result.error,
        })),
        after: s.after.map((f) => ({
          id: f.check.id,
          ok: f.ok,
          attempts: f.result.attempts,
          elapsedMs: Math.round(f.result.elapsedMs),
          subject: f.result.observation.subject,
          mismatches: f.result.observation.mismatches.map(({ field, expected, actual }) => ({
            field,
            expected,
            actual,
          })),
          error: f.result.error,
        })),
      })),
    })),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

function xml(text: string): string {
  return (
    text
      // XML 1.0 forbids most control characters, and terminal output is full of them.
      // eslint-disable-next-line no-control-regex
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

function failureText(step: StepReport, lang: Lang): string {
  const parts: string[] = [];
  for (const f of step.before.filter((x) => !x.ok)) {
    parts.push(
      f.expected === 'fail' && !f.result.error
        ? `${f.check.id} already held before the step (unsound)`
        : renderCheckFailure(f.result, lang, PLAIN),
    );
  }
  for (const f of step.after.filter((x) => !x.ok))
    parts.push(renderCheckFailure(f.result, lang, PLAIN));
  for (const q of step.quizzes.filter((x) => !x.pass)) parts.push(`quiz ${q.id}: ${q.detail}`);
  parts.push(...step.problems);
  return parts.join('\n\n');
}

/** The common JUnit shape: testsuites > testsuite (a lesson) > testcase (a step). */
export function verifyJunit(reports: readonly LessonReport[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = reports.reduce((n, r) => n + Math.max(r.steps.length, 1), 0);
  const failures = reports.reduce(
    (n, r) => n + r.steps.filter((s) => s.status === 'failed' || s.status === 'unsound').length,
    0,
  );
  const time = reports.reduce((t, r) => t + r.durationMs, 0) / 1000;
  lines.push(
    `<testsuites name="docker-lab verify" tests="${total}" failures="${failures}" errors="0" time="${time.toFixed(3)}">`,
  );
  for (const r of reports) {
    const suiteFailures = r.steps.filter(
      (s) => s.status === 'failed' || s.status === 'unsound',
    ).length;
    const suiteSkipped =
      r.status === 'skipped'
        ? Math.max(r.steps.length, 1)
        : r.steps.filter((s) => s.status === 'skipped').length;
    lines.push(
      `  <testsuite name="${xml(`${r.id} (${r.lang})`)}" tests="${Math.max(r.steps.length, 1)}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="${(r.durationMs / 1000).toFixed(3)}" file="${xml(r.file)}">`,
    );
    if (r.status === 'skipped' || r.steps.length === 0) {
      lines.push(
        `    <testcase classname="${xml(`${r.lang}.${r.id}`)}" name="${xml(r.title)}" time="0">`,
      );
      lines.push(
        r.status === 'skipped'
          ? `      <skipped message="${xml(r.reason ?? 'skipped')}"/>`
          : `      <failure message="${xml(r.reason ?? 'failed')}"/>`,
      );
      lines.push('    </testcase>');
    }
    for (const s of r.steps) {
      lines.push(
        `    <testcase classname="${xml(`${r.lang}.${r.id}`)}" name="${xml(`${s.id}: ${s.title}`)}" time="${(s.durationMs / 1000).toFixed(3)}">`,
      );
      if (s.status === 'skipped')
        lines.push('      <skipped message="an earlier step did not pass"/>');
      if (s.status === 'failed' || s.status === 'unsound') {
        const text = failureText(s, r.lang as Lang);
        lines.push(
          `      <failure message="${xml(s.status === 'unsound' ? 'unsound: a check held before the step' : 'step failed')}">${xml(text)}</failure>`,
        );
      }
      const out = s.commands
        // As a terminal would show it: colour and cursor codes are not text (terminal-text.ts).
        .map(
          (c) =>
            `$ ${c.command.script}\n${plainTerminalText(`${tail(c.result.stdout)}${tail(c.result.stderr)}`)}`,
        )
        .join('\n');
      if (out) lines.push(`      <system-out>${xml(out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
