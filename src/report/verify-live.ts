import type { Lang } from '../i18n/lang.js';
import type { CheckResult } from '../checks/types.js';
import type { LessonReport, PhaseFinding, RunnerEvent, StepReport } from '../run/events.js';
import { renderCheckFailure } from './check-failure.js';
import { commandOutputBlocks } from './command-output.js';
import type { Style } from './diagnostics.js';

/**
 * Prints a verify run as it happens: each lesson and step, every command before it runs, and for
 * what fails, the failure report and the tail of the command's output. `plain` is the same
 * without colour or symbols, for logs.
 */
export interface LivePrinterOptions {
  write: (text: string) => void;
  style: Style;
  plain: boolean;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${by}${line}`))
    .join('\n');
}

export function createLivePrinter(options: LivePrinterOptions): (event: RunnerEvent) => void {
  const { write, style, plain } = options;
  const mark = {
    pass: plain ? 'PASS' : style.green('✓'),
    fail: plain ? 'FAIL' : style.red('✗'),
    skip: plain ? 'SKIP' : style.yellow('-'),
    unsound: plain ? 'UNSOUND' : style.red('✗'),
  };
  let lang: Lang = 'en';

  const findings = (report: StepReport): string[] => {
    const out: string[] = [];
    for (const f of report.before.filter((x: PhaseFinding) => !x.ok)) {
      if (f.result.error) out.push(renderCheckFailure(f.result, lang, style));
      else if (f.expected === 'fail') {
        out.push(
          `${style.bold(f.check.id)} already held before the step ran, so it proves nothing about the step (line ${f.check.line}).\n` +
            'Make it check what the step changes; if it legitimately holds beforehand, mark it `before: pass` or `before: any`.',
        );
      } else {
        out.push(
          `${style.bold(f.check.id)} was expected to hold before the step (before: pass), and did not:\n${renderCheckFailure(f.result, lang, style)}`,
        );
      }
    }
    for (const f of report.after.filter((x) => !x.ok))
      out.push(renderCheckFailure(f.result as CheckResult, lang, style));
    for (const q of report.quizzes.filter((x) => !x.pass))
      out.push(`quiz ${style.bold(q.id)}: ${q.detail}`);
    out.push(...report.problems);
    // The first command that failed leads (a name conflict explains a later usage text), then
    // the last command's output; escape codes are stripped.
    if (report.status !== 'passed') {
      const { lead, last } = commandOutputBlocks(report.commands, lang);
      if (lead) out.unshift(lead);
      if (last) out.push(last);
    }
    return out;
  };

  return (event) => {
    switch (event.type) {
      case 'lesson-started':
        lang = event.lesson.meta.lang;
        write(
          `${style.bold(`${plain ? '==' : '▶'} ${event.lesson.meta.id} (${event.lesson.meta.lang})`)} ${event.lesson.title}  ${style.dim(event.lesson.file)}\n`,
        );
        break;
      case 'command-started':
        // A check running the command again (`rerun: true`) says so once, not at every try.
        if (event.rerun === undefined || event.rerun === 1)
          write(
            style.dim(
              indent(
                `$ ${event.command.script}${event.rerun === 1 ? '  (run again by a check until its output matches)' : ''}`,
                '    ',
              ),
            ) + '\n',
          );
        break;
      case 'mistake-tried': {
        // A near miss: a wrong command tried before the step's own, which its checks must refuse.
        const f = event.finding;
        const verdict = f.refusedBy
          ? `refused by ${f.refusedBy.id}${f.proven ? '' : ', not proven (below)'}`
          : 'NOT refused (below)';
        write(
          style.dim(indent(`near miss (line ${f.line}): $ ${f.command.split('\n')[0]}`, '    ')) +
            ` ${f.proven ? verdict : style.red(verdict)}\n`,
        );
        break;
      }
      case 'step-finished': {
        const r = event.report;
        const m =
          r.status === 'passed' ? mark.pass : r.status === 'unsound' ? mark.unsound : mark.fail;
        write(
          `  ${m} ${r.id}: ${r.title} ${style.dim(`(${seconds(r.durationMs)})`)}${r.status === 'unsound' ? ' unsound' : ''}\n`,
        );
        for (const block of findings(r)) write(`${indent(block, '      ')}\n`);
        break;
      }
      case 'cleanup-finished': {
        const { removed, failed } = event.result;
        if (removed.length > 0)
          write(
            style.dim(
              `  cleaned up ${removed.length} resource${removed.length === 1 ? '' : 's'} the lesson created\n`,
            ),
          );
        // One line per reason: a daemon that went away fails every removal the same way.
        const byError = new Map<string, string[]>();
        for (const f of failed)
          byError.set(f.error, [
            ...(byError.get(f.error) ?? []),
            `${f.resource.type} ${f.resource.name}`,
          ]);
        for (const [error, what] of byError)
          write(`  ${mark.fail} could not remove ${what.join(', ')}: ${error}\n`);
        break;
      }
      case 'lesson-finished': {
        const r: LessonReport = event.report;
        const skipped = r.steps.filter((s) => s.status === 'skipped').length;
        const m =
          r.status === 'passed' ? mark.pass : r.status === 'skipped' ? mark.skip : mark.fail;
        const attempt = event.attempt && event.attempt.of > 1 ? event.attempt : undefined;
        const verdict =
          attempt && r.status === 'passed' && attempt.number > 1
            ? `passed on attempt ${attempt.number} of ${attempt.of} (flaky)`
            : attempt && r.status === 'failed'
              ? attempt.number < attempt.of
                ? `failed on attempt ${attempt.number} of ${attempt.of}, trying again`
                : `failed on all ${attempt.of} attempts`
              : r.status;
        write(
          `${m} ${r.id} (${r.lang}) ${verdict} in ${seconds(r.durationMs)}${skipped > 0 && r.status !== 'skipped' ? `, ${skipped} step${skipped === 1 ? '' : 's'} not reached` : ''}${r.daemonLost ? ': the Docker daemon went away (above)' : r.reason ? `: ${r.reason}` : ''}\n\n`,
        );
        break;
      }
      default:
        break;
    }
  };
}

/** `N passed, N failed`, then `, N skipped` and `, N flaky (passed on a retry)` when there are. */
export function formatVerifySummary(reports: readonly LessonReport[], flaky = 0): string {
  const count = (status: LessonReport['status']) =>
    reports.filter((r) => r.status === status).length;
  const skipped = count('skipped');
  return `${count('passed')} passed, ${count('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}${flaky > 0 ? `, ${flaky} flaky (passed on a retry)` : ''}`;
}
