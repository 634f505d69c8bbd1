/**
 * `docker-lab report`'s bundle as text: one Markdown file an instructor reads in any editor,
 * browser or issue tracker, and a learner can read before sending. Pure: the command gathers
 * the facts (versions, progress, the run journal, the doctor's report) and redacts the result.
 *
 * Its sections, in order: Summary (versions, system, language, lesson and step), Notes (what
 * could not be read), Checks (the latest verdict of each, with the failure report), Commands (the
 * last ones, oldest first, with exit code, duration and output), Doctor. The headings are the
 * same in every language, so an instructor (or a script) finds them; the failure reports are in
 * the lesson's language, as the learner saw them.
 */
import type { Journal, JournalCheck, JournalCommand } from '../run/journal.js';

export interface BundleLesson {
  /** `<lang>/<id>`. */
  key: string;
  title?: string;
  file?: string;
  /** The step the learner is on, from progress (or the journal). */
  step?: { id: string; title?: string; index?: number; of?: number };
  /** Completed step ids, from progress. */
  completed: string[];
  completedAt?: string;
  /** Hints revealed per step, from progress. */
  hints: Record<string, number>;
}

export interface BundleFacts {
  generatedAt: string;
  version: string;
  node: string;
  system: string;
  /** The learner's language, and where it came from. */
  language: string;
  lesson?: BundleLesson;
  journal?: Journal;
  /** The doctor's report, rendered for people (no colour). */
  doctor: string;
  doctorOk?: boolean;
  /** What could not be read, as sentences. */
  notes: string[];
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenced(text: string, info = 'text'): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** Inline code that its text cannot end early. */
function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A table cell: one line, `|` escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function describeExit(command: JournalCommand): string {
  if (command.background) return 'started in the background';
  if (command.timedOut) return 'killed at its timeout';
  if (command.aborted) return command.exitCode === null ? 'interrupted' : 'skipped';
  if (command.exitCode === null) return `killed${command.signal ? ` (${command.signal})` : ''}`;
  return `exit ${command.exitCode}`;
}

function summary(facts: BundleFacts): string[] {
  const rows: [string, string][] = [
    ['docker-lab', facts.version],
    ['Node.js', facts.node],
    ['system', facts.system],
    ['language', facts.language],
  ];
  const lesson = facts.lesson;
  if (lesson) {
    rows.push(['lesson', `${code(lesson.key)}${lesson.title ? `: ${lesson.title}` : ''}`]);
    if (lesson.file) rows.push(['lesson file', code(lesson.file)]);
    const step = lesson.step;
    if (lesson.completedAt) rows.push(['step', `completed the lesson at ${lesson.completedAt}`]);
    else if (step) {
      const where =
        step.index !== undefined && step.of !== undefined
          ? `${step.index + 1} of ${step.of}: `
          : '';
      rows.push(['step', `${where}${code(step.id)}${step.title ? `: ${step.title}` : ''}`]);
    } else rows.push(['step', 'not started']);
    rows.push([
      'completed steps',
      lesson.completed.length ? lesson.completed.map(code).join(', ') : 'none',
    ]);
    const hints = Object.entries(lesson.hints).filter(([, n]) => n > 0);
    if (hints.length)
      rows.push(['hints shown', hints.map(([step, n]) => `${code(step)} ${n}`).join(', ')]);
  } else rows.push(['lesson', 'none: no lesson was opened yet']);
  const journal = facts.journal;
  if (journal)
    rows.push([
      'journal',
      `${journal.runs} run${journal.runs === 1 ? '' : 's'} since ${journal.startedAt}, last event ${journal.updatedAt}`,
    ]);
  if (facts.doctorOk !== undefined)
    rows.push([
      'doctor',
      facts.doctorOk ? 'the course can run here' : 'the course cannot run here (see Doctor)',
    ]);
  return [
    '## Summary',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
  ];
}

function checkLine(check: JournalCheck): string {
  const mark = check.error ? '?' : check.pass ? '✓' : '✗';
  const detail = [
    `step ${code(check.step)}`,
    check.kind,
    check.phase === 'before' ? 'before the step' : undefined,
    `${check.attempts} attempt${check.attempts === 1 ? '' : 's'} in ${formatDuration(check.elapsedMs)}`,
    check.at,
  ]
    .filter(Boolean)
    .join(', ');
  return `### ${mark} ${code(check.id)}: ${check.subject.replace(/\n/g, ' ')} (${detail})`;
}

function checks(journal: Journal | undefined): string[] {
  const out = ['## Checks', ''];
  if (!journal || journal.checks.length === 0) {
    out.push('No check has a verdict in the journal yet.');
    return out;
  }
  out.push('The latest verdict of each check, most recent last.');
  for (const check of journal.checks) {
    out.push('', checkLine(check));
    if (check.report) out.push('', fenced(check.report));
  }
  return out;
}

function commands(journal: Journal | undefined): string[] {
  const out = ['## Commands', ''];
  if (!journal || journal.commands.length === 0) {
    out.push('No command is in the journal yet.');
    return out;
  }
  const n = journal.commands.length;
  out.push(
    `${n === 1 ? 'The last command' : `The last ${n} commands, oldest first`}; each stream keeps its last lines.`,
  );
  journal.commands.forEach((command, i) => {
    const facts = [
      `step ${code(command.step)}`,
      command.source === 'typed' ? 'typed in the practice shell' : 'run by docker-lab',
      describeExit(command),
      command.durationMs !== undefined ? formatDuration(command.durationMs) : undefined,
      command.finishedAt,
    ].filter(Boolean);
    out.push('', `### ${i + 1}. ${facts.join(', ')}`, '', fenced(command.script, 'sh'));
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = command[stream];
      const dropped = command.droppedLines?.[stream] ?? 0;
      if (text === '' && dropped === 0) continue;
      const label = command.source === 'typed' && stream === 'stdout' ? 'terminal' : stream;
      out.push(
        '',
        `${label}${dropped ? ` (the first ${dropped} line${dropped === 1 ? '' : 's'} left out)` : ''}:`,
        '',
        fenced(text),
      );
    }
    if (command.stdout === '' && command.stderr === '' && !command.background)
      out.push('', 'It printed nothing.');
  });
  return out;
}

/** The whole bundle (not yet redacted: the caller redacts the text as one). */
export function renderBundle(facts: BundleFacts): string {
  const notes = [...facts.notes, ...(facts.journal?.notes ?? [])];
  const lines = [
    '# docker-lab report',
    '',
    `Made by ${code('docker-lab report')} at ${facts.generatedAt}, for the learner's instructor. Secrets (tokens, passwords, registry credentials) are left out and the home folder is written ${code('~')}; no environment variable is included.`,
    '',
    ...summary(facts),
    ...(notes.length ? ['', '## Notes', '', ...notes.map((note) => `- ${note}`)] : []),
    '',
    ...checks(facts.journal),
    '',
    ...commands(facts.journal),
    '',
    '## Doctor',
    '',
    fenced(facts.doctor),
    '',
  ];
  return lines.join('\n');
}
