import type { Lang } from '../i18n/lang.js';
import type { Lesson, Step } from '../lesson/schema.js';
import type { LessonReport, PhaseFinding, StepReport } from '../run/events.js';
import { renderCheckFailure } from './check-failure.js';
import { PLAIN } from './diagnostics.js';
import { plainTerminalText } from '../terminal-text.js';

/** Reports of a verify run as files: JSON (data) and JUnit XML (for CI dashboards). */

/**
 * One lesson as verify ran it: its last attempt's report, the attempts before it (all failed:
 * a lesson is retried only after a failure), and the lesson itself when it parsed (JUnit names
 * every check, those of steps never reached too).
 */
export interface VerifiedLesson {
  report: LessonReport;
  earlier: LessonReport[];
  maxAttempts: number;
  lesson?: Lesson;
}

export const attemptsOf = (v: VerifiedLesson): number => v.earlier.length + 1;
/** Passed after at least one failed attempt. */
export const isFlaky = (v: VerifiedLesson): boolean =>
  v.report.status === 'passed' && v.earlier.length > 0;

const KEEP_OUTPUT = 16 * 1024;
const tail = (text: string) => (text.length > KEEP_OUTPUT ? text.slice(-KEEP_OUTPUT) : text);

function jsonReport(r: LessonReport) {
  return {
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
  };
}

export function verifyJson(lessons: readonly VerifiedLesson[]): string {
  const count = (status: LessonReport['status']) =>
    lessons.filter((v) => v.report.status === status).length;
  const data = {
    summary: {
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      flaky: lessons.filter(isFlaky).length,
    },
    lessons: lessons.map((v) => ({
      ...jsonReport(v.report),
      attempts: attemptsOf(v),
      maxAttempts: v.maxAttempts,
      flaky: isFlaky(v),
      // The failed attempts before the last, in order: what went wrong each time.
      earlierAttempts: v.earlier.map(jsonReport),
    })),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

function xml(text: string): string {
  return (
    text
      // XML 1.0 forbids most control characters, and terminal output is full of them.
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

const oneLine = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .slice(0, 500);

/** What a check that did not do its part says: a one-line message, and the whole report. */
function findingFailure(
  f: PhaseFinding,
  phase: 'before' | 'after',
  lang: Lang,
): { message: string; body: string } {
  const rendered = renderCheckFailure(f.result, lang, PLAIN);
  if (phase === 'before' && f.expected === 'fail' && !f.result.error)
    return {
      message: `unsound: ${f.check.id} already held before the step ran, so it proves nothing about the step (line ${f.check.line})`,
      body: `${f.check.id} already held before the step ran, so it proves nothing about the step (line ${f.check.line}).\nMake it check what the step changes; if it legitimately holds beforehand, mark it \`before: pass\` or \`before: any\`.`,
    };
  // The first line names the check; the next says what was expected and what was found.
  const lines = rendered
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== f.check.description);
  const detail = lines[1] ?? lines[0] ?? f.check.id;
  const prefix =
    phase === 'before' && f.expected === 'pass'
      ? 'expected to hold before the step (before: pass), and did not: '
      : '';
  return { message: oneLine(`${f.check.id}: ${prefix}${detail}`), body: rendered };
}

interface Case {
  name: string;
  time: number;
  failure?: { message: string; body: string };
  skipped?: string;
  flaky: { message: string; body: string }[];
  out?: string;
}

/** The failure of a check in one attempt's step, if it had one. */
function checkFailure(
  step: StepReport | undefined,
  checkId: string,
  lang: Lang,
): { message: string; body: string } | undefined {
  const before = step?.before.find((f) => f.check.id === checkId && !f.ok);
  if (before) return findingFailure(before, 'before', lang);
  const after = step?.after.find((f) => f.check.id === checkId && !f.ok);
  return after ? findingFailure(after, 'after', lang) : undefined;
}

function stepOutput(step: StepReport): string {
  return (
    step.commands
      // As a terminal would show it: colour and cursor codes are not text (terminal-text.ts).
      .map(
        (c) =>
          `$ ${c.command.script}\n${plainTerminalText(`${tail(c.result.stdout)}${tail(c.result.stderr)}`)}`,
      )
      .join('\n')
  );
}

const NOT_REACHED = 'an earlier step did not pass';
const NOT_EVALUATED = 'not evaluated: the step failed before its checks (see its problem)';

/** The test cases of one step: one per check and quiz, one per problem that is not a check. */
function stepCases(
  step: Step | undefined,
  report: StepReport | undefined,
  earlier: (StepReport | undefined)[],
  lang: Lang,
): Case[] {
  const id = step?.id ?? report?.id ?? '?';
  const cases: Case[] = [];
  const out = report ? stepOutput(report) : '';
  const checks = step
    ? step.checks.map((c) => ({ id: c.id, description: c.description }))
    : [...(report?.after ?? []), ...(report?.before ?? [])]
        .map((f) => ({ id: f.check.id, description: f.check.description }))
        .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i);
  for (const check of checks) {
    const after = report?.after.find((f) => f.check.id === check.id);
    const c: Case = {
      name: `${id}/${check.id}${check.description ? `: ${check.description}` : ''}`,
      time: after ? after.result.elapsedMs / 1000 : 0,
      flaky: earlier.flatMap((s) => checkFailure(s, check.id, lang) ?? []),
    };
    const failure = checkFailure(report, check.id, lang);
    if (!report || report.status === 'skipped') c.skipped = NOT_REACHED;
    else if (failure) c.failure = failure;
    // Not judged after the step (its command failed first): neither passed nor failed.
    else if (!after && report.status !== 'passed') c.skipped = NOT_EVALUATED;
    cases.push(c);
  }
  for (const quiz of step?.quizzes ?? []) {
    const result = report?.quizzes.find((q) => q.id === quiz.id);
    cases.push({
      name: `${id}/${quiz.id}: ${quiz.question}`,
      time: 0,
      flaky: earlier.flatMap((s) => {
        const q = s?.quizzes.find((x) => x.id === quiz.id && !x.pass);
        return q ? [{ message: oneLine(`quiz ${q.id}: ${q.detail}`), body: q.detail }] : [];
      }),
      ...(!result
        ? { skipped: report?.status === 'skipped' || !report ? NOT_REACHED : NOT_EVALUATED }
        : result.pass
          ? {}
          : {
              failure: {
                message: oneLine(`quiz ${result.id}: ${result.detail}`),
                body: result.detail,
              },
            }),
    });
  }
  // A failing command, a timeout, a refused file: not a check, a test case of its own.
  (report?.problems ?? []).forEach((problem, i) =>
    cases.push({
      name: `${id}/problem-${i + 1}: ${oneLine(problem).slice(0, 120)}`,
      time: 0,
      failure: { message: oneLine(problem), body: problem },
      flaky: [],
    }),
  );
  // Problems of earlier attempts of a step that then passed: on its first test case.
  const earlierProblems = earlier.flatMap((s) =>
    (s?.problems ?? []).map((p) => ({ message: oneLine(p), body: p })),
  );
  if (earlierProblems.length > 0 && cases[0]) cases[0].flaky.push(...earlierProblems);
  if (out && cases[0]) cases[0].out = out;
  return cases;
}

function lessonCases(v: VerifiedLesson): Case[] {
  const r = v.report;
  const lang = (r.lang || 'en') as Lang;
  if (r.status === 'skipped')
    return [{ name: `lesson: ${r.title}`, time: 0, skipped: r.reason ?? 'skipped', flaky: [] }];
  const steps = v.lesson?.steps;
  const cases = steps
    ? steps.flatMap((step) =>
        stepCases(
          step,
          r.steps.find((s) => s.id === step.id),
          v.earlier.map((e) => e.steps.find((s) => s.id === step.id)),
          lang,
        ),
      )
    : r.steps.flatMap((s) =>
        stepCases(
          undefined,
          s,
          v.earlier.map((e) => e.steps.find((x) => x.id === s.id)),
          lang,
        ),
      );
  // Why a lesson failed with no step to blame (it did not parse, it could not begin).
  if (r.status === 'failed' && !cases.some((c) => c.failure))
    cases.unshift({
      name: `lesson: ${r.title}`,
      time: 0,
      failure: { message: oneLine(r.reason ?? 'failed'), body: r.reason ?? 'failed' },
      flaky: [],
    });
  return cases;
}

/**
 * The common JUnit shape: testsuites > testsuite (a lesson) > testcase (a check, a quiz, or a
 * problem that is not a check). A lesson that passed after failed attempts keeps each earlier
 * failure as `<flakyFailure>` inside the passing test case (the Maven Surefire convention).
 */
export function verifyJunit(lessons: readonly VerifiedLesson[]): string {
  const suites = lessons.map((v) => ({ v, cases: lessonCases(v) }));
  const all = suites.flatMap((s) => s.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const time = lessons.reduce(
    (t, v) => t + v.report.durationMs + v.earlier.reduce((n, e) => n + e.durationMs, 0),
    0,
  );
  lines.push(
    `<testsuites name="docker-lab verify" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0" skipped="${all.filter((c) => c.skipped).length}" time="${(time / 1000).toFixed(3)}">`,
  );
  for (const { v, cases } of suites) {
    const r = v.report;
    lines.push(
      `  <testsuite name="${xml(`${r.id} (${r.lang})`)}" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}" errors="0" skipped="${cases.filter((c) => c.skipped).length}" time="${(r.durationMs / 1000).toFixed(3)}" file="${xml(r.file)}">`,
    );
    for (const c of cases) {
      lines.push(
        `    <testcase classname="${xml(r.id)}" name="${xml(c.name)}" file="${xml(r.file)}" time="${c.time.toFixed(3)}">`,
      );
      if (c.skipped) lines.push(`      <skipped message="${xml(c.skipped)}"/>`);
      if (c.failure)
        lines.push(
          `      <failure message="${xml(c.failure.message)}" type="check">${xml(c.failure.body)}</failure>`,
        );
      // Earlier attempts' failures: flaky when the test case passed in the end, reruns that
      // failed too when it did not (Surefire's flakyFailure and rerunFailure).
      const kind = c.failure ? 'rerunFailure' : 'flakyFailure';
      for (const f of c.flaky)
        lines.push(
          `      <${kind} message="${xml(f.message)}" type="check"><stackTrace>${xml(f.body)}</stackTrace></${kind}>`,
        );
      if (c.out) lines.push(`      <system-out>${xml(c.out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
