/**
 * The run journal: what happened in a lesson lately, kept on disk for `docker-lab report`, so a
 * learner who is stuck can hand their instructor the commands they ran, what those printed and
 * what the checks said, without copying anything from the screen.
 *
 * One small file per lesson (`<state>/journal/<lang>/<id>.json`), rewritten atomically as the
 * run's events arrive, and bounded: the last JOURNAL_LIMITS.commands commands, each stream cut
 * to its last lines and bytes, the latest verdict of each check. A run that continues a lesson
 * continues its journal. A journal that cannot be read is started afresh, with a sentence saying
 * so; one that cannot be written is let be: the lesson never stops for its journal.
 *
 * Text is redacted as it is recorded (redact.ts: the environment's secrets, the home folder),
 * and again when a report is made.
 */
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { formatFailure } from '../checks/report.js';
import type { CheckResult } from '../checks/types.js';
import { isLang } from '../i18n/lang.js';
import type { Lesson, Step } from '../lesson/schema.js';
import { writeFileAtomic } from '../progress/atomic.js';
import { stateDir } from '../progress/paths.js';
import { makeRedactor, type Redact } from '../redact.js';
import type { RunnerEvent } from './events.js';
import { plainTerminalText } from './practice-shell.js';
import type { ProcessResult } from './process.js';

export const JOURNAL_VERSION = 1;

/** What a journal keeps at most: its file stays well under a megabyte whatever happens. */
export const JOURNAL_LIMITS = {
  /** The last commands (run by docker-lab or typed in the practice shell). */
  commands: 20,
  /** Of each command's stdout and of its stderr: the last lines ... */
  lines: 200,
  /** ... and at most this many bytes of them. */
  streamBytes: 8 * 1024,
  /** A command's script. */
  scriptBytes: 2 * 1024,
  /** The checks with a verdict (the latest verdict of each, most recent last). */
  checks: 30,
  /** A failing check's report (formatFailure), its beginning kept. */
  reportBytes: 6 * 1024,
  quizzes: 20,
  notes: 5,
  /** Titles, ids, a lesson's file path. */
  nameBytes: 512,
} as const;

const CommandEntrySchema = z.object({
  step: z.string(),
  script: z.string(),
  /** Run by docker-lab (Enter in the TUI) or typed by the learner in the practice shell. */
  source: z.enum(['lesson', 'typed']),
  background: z.boolean().optional(),
  /** null when the command was killed (timeout, Ctrl-C). */
  exitCode: z.number().int().nullable(),
  signal: z.string().optional(),
  timedOut: z.boolean(),
  aborted: z.boolean(),
  /** Unknown for typed commands. */
  durationMs: z.number().nonnegative().optional(),
  finishedAt: z.string(),
  /** The practice shell records one terminal: its text is in stdout. */
  stdout: z.string(),
  stderr: z.string(),
  /** Lines dropped from the head of each stream to keep the journal small. */
  droppedLines: z.object({ stdout: z.number().int(), stderr: z.number().int() }).optional(),
});
export type JournalCommand = z.infer<typeof CommandEntrySchema>;

const CheckEntrySchema = z.object({
  step: z.string(),
  id: z.string(),
  kind: z.string(),
  subject: z.string(),
  phase: z.enum(['before', 'after']),
  pass: z.boolean(),
  attempts: z.number().int(),
  elapsedMs: z.number(),
  at: z.string(),
  /** Set when the check could not be evaluated (the daemon did not answer). */
  error: z.string().optional(),
  /** The failure report for people (checks/report.ts), in the lesson's language. */
  report: z.string().optional(),
});
export type JournalCheck = z.infer<typeof CheckEntrySchema>;

const JournalSchema = z.object({
  version: z.literal(JOURNAL_VERSION),
  lesson: z.object({ id: z.string(), lang: z.string(), title: z.string(), file: z.string() }),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** How many times the lesson was opened since the journal began. */
  runs: z.number().int().min(0),
  /** The step the learner is on (the last one started). */
  step: z
    .object({ id: z.string(), title: z.string(), index: z.number().int(), of: z.number().int() })
    .optional(),
  commands: z.array(CommandEntrySchema),
  checks: z.array(CheckEntrySchema),
  quizzes: z.array(
    z.object({ step: z.string(), id: z.string(), pass: z.boolean(), at: z.string() }),
  ),
  /** What the journal itself has to say (an unreadable journal was started afresh). */
  notes: z.array(z.string()),
});
export type Journal = z.infer<typeof JournalSchema>;

/** Where a lesson's journal is: `<state>/journal/<lang>/<id>.json`. */
export function journalFile(
  env: Record<string, string | undefined>,
  lesson: { id: string; lang: string },
): string {
  return join(journalFolder(env), lesson.lang, `${lesson.id}.json`);
}

export function journalFolder(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'journal');
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** The last `bytes` bytes of `text` at most, never cutting a character in two. */
function lastBytes(text: string, bytes: number): string {
  if (byteLength(text) <= bytes) return text;
  const buffer = Buffer.from(text, 'utf8');
  let start = buffer.length - bytes;
  // Skip continuation bytes (10xxxxxx): start on a character's first byte.
  while (start < buffer.length && (buffer[start]! & 0xc0) === 0x80) start++;
  return buffer.subarray(start).toString('utf8');
}

/** The first `bytes` bytes of `text` at most, with an ellipsis line when cut. */
function firstBytes(text: string, bytes: number): string {
  if (byteLength(text) <= bytes) return text;
  const buffer = Buffer.from(text, 'utf8');
  let end = bytes - 4;
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--;
  return `${buffer.subarray(0, end).toString('utf8')}\n…`;
}

/**
 * Text is cut to a few times its budget before it is redacted (a command may print megabytes),
 * then redacted, then cut to its budget: a secret cut in two by the first cut lies in what the
 * second cut drops.
 */
const ROUGH = 4;

/**
 * A stream as the journal keeps it: terminal control sequences removed, then its last
 * `lines` lines within `bytes` bytes. Returns how many lines were dropped from the head.
 */
export function tailOf(
  text: string,
  lines: number = JOURNAL_LIMITS.lines,
  bytes: number = JOURNAL_LIMITS.streamBytes,
): { text: string; dropped: number } {
  const plain = plainTerminalText(text);
  if (plain === '') return { text: '', dropped: 0 };
  const all = plain.replace(/\n$/, '').split('\n');
  const kept: string[] = [];
  let size = 0;
  for (let i = all.length - 1; i >= 0 && kept.length < lines; i--) {
    const line = all[i]!;
    const cost = byteLength(line) + 1;
    if (size + cost > bytes) {
      // The last line alone is too long: keep its end rather than nothing.
      if (kept.length === 0) kept.unshift(lastBytes(line, bytes - 1));
      break;
    }
    kept.unshift(line);
    size += cost;
  }
  return { text: kept.join('\n'), dropped: all.length - kept.length };
}

export interface ReadJournal {
  journal?: Journal;
  /** Why the file could not be used, as a sentence (not JSON, a newer format, ...). */
  problem?: string;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it is not a journal';
  const where = issue.path.map(String).join('.');
  return `${where ? `${where}: ` : ''}${issue.message}`;
}

/** Reads a journal file: the journal, nothing (no file yet), or why it cannot be used. */
export async function readJournal(file: string): Promise<ReadJournal> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    return { problem: `the journal ${file} could not be read (${code ?? String(error)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: `the journal ${file} is not valid JSON` };
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > JOURNAL_VERSION) {
    return {
      problem: `the journal ${file} was written by a newer docker-lab (journal format ${version}, this one knows ${JOURNAL_VERSION})`,
    };
  }
  const parsed = JournalSchema.safeParse(data);
  if (!parsed.success) {
    return {
      problem: `the journal ${file} does not match the journal format (${firstIssue(parsed.error)})`,
    };
  }
  return { journal: parsed.data };
}

/** Every journal in the state folder, most recently updated first. */
export async function listJournals(
  env: Record<string, string | undefined>,
): Promise<{ file: string; lang: string; id: string; updatedAt?: string; problem?: string }[]> {
  const root = journalFolder(env);
  const found: { file: string; lang: string; id: string; updatedAt?: string; problem?: string }[] =
    [];
  const langs = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const lang of langs) {
    if (!lang.isDirectory()) continue;
    const names = await readdir(join(root, lang.name)).catch(() => []);
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const file = join(root, lang.name, name);
      const read = await readJournal(file);
      found.push({
        file,
        lang: lang.name,
        id: name.slice(0, -'.json'.length),
        ...(read.journal ? { updatedAt: read.journal.updatedAt } : {}),
        ...(read.problem ? { problem: read.problem } : {}),
      });
    }
  }
  return found.sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
}

export interface JournalOptions {
  /** The environment of the run: the state folder, and the secrets never to write down. */
  env: Record<string, string | undefined>;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
}

/**
 * A lesson's journal while it runs. `record` takes every RunnerEvent (most change nothing);
 * writes are queued so the file always holds the latest complete state, and at most one write
 * waits behind the one under way.
 */
export class RunJournal {
  private writing: Promise<void> = Promise.resolve();
  private pending = false;
  private broken = false;
  private readonly redact: Redact;
  private readonly now: () => Date;

  private constructor(
    readonly file: string,
    private data: Journal,
    /** How many steps the lesson has. */
    private readonly steps: number,
    options: JournalOptions,
  ) {
    const home = options.env.HOME || homedir();
    this.redact = makeRedactor({ env: options.env, home });
    this.now = options.now ?? (() => new Date());
  }

  /** The journal of `lesson`, continued when one exists, started afresh when it cannot be read. */
  static async open(lesson: Lesson, options: JournalOptions): Promise<RunJournal> {
    const meta = { id: lesson.meta.id, lang: lesson.meta.lang };
    const file = journalFile(options.env, meta);
    const now = (options.now ?? (() => new Date()))().toISOString();
    const read = await readJournal(file).catch((error: unknown): ReadJournal => ({
      problem: String(error),
    }));
    const notes = read.problem
      ? [`At ${now} ${read.problem}, so this journal was started afresh.`]
      : [];
    const data: Journal = read.journal
      ? { ...read.journal, notes: [...read.journal.notes, ...notes] }
      : {
          version: JOURNAL_VERSION,
          lesson: { ...meta, title: lesson.meta.title, file: lesson.file },
          startedAt: now,
          updatedAt: now,
          runs: 0,
          commands: [],
          checks: [],
          quizzes: [],
          notes,
        };
    const journal = new RunJournal(file, data, lesson.steps.length, options);
    journal.data.lesson = {
      ...meta,
      title: journal.name(lesson.meta.title),
      file: journal.name(lesson.file),
    };
    journal.data.notes = journal.data.notes.slice(-JOURNAL_LIMITS.notes);
    return journal;
  }

  /** What the journal holds now (a copy). */
  snapshot(): Journal {
    return structuredClone(this.data);
  }

  /** The beginning of a text (a title, a script, a report), redacted. */
  private head(text: string, bytes: number): string {
    return firstBytes(this.redact(firstBytes(text, ROUGH * bytes)), bytes);
  }

  /** The end of a stream, redacted. */
  private tail(text: string): { text: string; dropped: number } {
    const rough = tailOf(text, 2 * JOURNAL_LIMITS.lines, ROUGH * JOURNAL_LIMITS.streamBytes);
    const cut = tailOf(this.redact(rough.text));
    return { text: cut.text, dropped: rough.dropped + cut.dropped };
  }

  private name(text: string): string {
    return this.head(text, JOURNAL_LIMITS.nameBytes);
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** One event of the run; what matters to a report is written down. Never throws. */
  record(event: RunnerEvent): void {
    try {
      if (this.take(event)) this.save();
    } catch {
      // The journal serves a report; a bug in it must not stop the lesson.
    }
  }

  private take(event: RunnerEvent): boolean {
    switch (event.type) {
      case 'lesson-started':
        this.data.runs += 1;
        break;
      case 'step-started':
        this.data.step = {
          id: event.step.id,
          title: this.name(event.step.title),
          index: event.index,
          of: this.steps,
        };
        break;
      case 'command-finished':
        this.addCommand(event.step, event.command.script, 'lesson', event.result, {
          background: event.command.background,
        });
        break;
      case 'check-result':
        // Cancelled (the learner moved on): not a verdict.
        if (event.result.aborted) return false;
        this.addCheck(event.step, event.phase, event.result);
        break;
      case 'quiz-result': {
        const entry = {
          step: event.step.id,
          id: event.quiz.id,
          pass: event.pass,
          at: this.stamp(),
        };
        this.data.quizzes = [
          ...this.data.quizzes.filter((q) => q.step !== entry.step || q.id !== entry.id),
          entry,
        ].slice(-JOURNAL_LIMITS.quizzes);
        break;
      }
      default:
        return false;
    }
    return true;
  }

  /** A command the learner typed in the practice shell. Never throws. */
  typed(step: Step, typed: { script: string; output: string; exitCode: number }): void {
    try {
      this.addCommand(
        step,
        typed.script,
        'typed',
        {
          stdout: typed.output,
          stderr: '',
          exitCode: typed.exitCode,
          timedOut: false,
          aborted: false,
        },
        {},
      );
      this.save();
    } catch {
      // As in record.
    }
  }

  private addCommand(
    step: Step,
    script: string,
    source: 'lesson' | 'typed',
    result: Omit<ProcessResult, 'durationMs'> & { durationMs?: number },
    extra: { background?: boolean },
  ): void {
    const stdout = this.tail(result.stdout);
    const stderr = this.tail(result.stderr);
    const entry: JournalCommand = {
      step: step.id,
      script: this.head(script, JOURNAL_LIMITS.scriptBytes),
      source,
      ...(extra.background ? { background: true } : {}),
      exitCode: result.exitCode,
      ...(result.signal ? { signal: result.signal } : {}),
      timedOut: result.timedOut,
      aborted: result.aborted,
      ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}),
      finishedAt: this.stamp(),
      stdout: stdout.text,
      stderr: stderr.text,
      ...(stdout.dropped || stderr.dropped
        ? { droppedLines: { stdout: stdout.dropped, stderr: stderr.dropped } }
        : {}),
    };
    this.data.commands = [...this.data.commands, entry].slice(-JOURNAL_LIMITS.commands);
  }

  private addCheck(step: Step, phase: 'before' | 'after', result: CheckResult): void {
    const lang = isLang(this.data.lesson.lang) ? this.data.lesson.lang : 'en';
    const entry: JournalCheck = {
      step: step.id,
      id: result.check.id,
      kind: result.check.kind,
      subject: this.name(result.observation.subject),
      phase,
      pass: result.pass,
      attempts: result.attempts,
      elapsedMs: result.elapsedMs,
      at: this.stamp(),
      ...(result.error ? { error: this.name(result.error) } : {}),
      ...(!result.pass || result.error
        ? {
            report: this.head(formatFailure(result, { lang }), JOURNAL_LIMITS.reportBytes),
          }
        : {}),
    };
    this.data.checks = [
      ...this.data.checks.filter((c) => c.step !== entry.step || c.id !== entry.id),
      entry,
    ].slice(-JOURNAL_LIMITS.checks);
  }

  /** Writes the latest state after the write under way (if any); failures are let be. */
  private save(): void {
    this.data.updatedAt = this.stamp();
    if (this.broken || this.pending) return;
    this.pending = true;
    this.writing = this.writing.then(async () => {
      this.pending = false;
      if (this.broken) return;
      try {
        await writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 1)}\n`);
      } catch {
        // A state folder that cannot be written: no journal this run, and no lesson stopped.
        this.broken = true;
      }
    });
  }

  /** Resolves when everything recorded so far is on disk (or could not be written). */
  flush(): Promise<void> {
    return this.writing;
  }
}
