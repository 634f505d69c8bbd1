/**
 * What a lesson run tells those who watch it (the TUI, verify's printer, the journal), and the
 * reports it gives: types only, so a listener needs no import of the run itself.
 */
import type { Check } from '../checks/schema.js';
import type { CheckResult } from '../checks/types.js';
import type { CleanupResult, Resource } from '../docker/ledger.js';
import type { Command, Lesson, Quiz, Step } from '../lesson/schema.js';
import type { ProcessResult, Stream } from './process.js';

export type RunMode = 'verify' | 'learner';
export type Phase = 'before' | 'after';
export type StepStatus = 'passed' | 'failed' | 'unsound' | 'skipped';

export type RunnerEvent =
  | { type: 'lesson-started'; lesson: Lesson; workdir: string }
  | { type: 'step-started'; step: Step; index: number }
  | { type: 'files-written'; step: Step; paths: string[] }
  | {
      type: 'command-started';
      step: Step;
      command: Command;
      /** The nth time an `output` check with `rerun: true` runs the command again. */
      rerun?: number;
    }
  | { type: 'output'; step: Step; command: Command; stream: Stream; chunk: string }
  | {
      type: 'command-finished';
      step: Step;
      command: Command;
      result: ProcessResult;
      rerun?: number;
    }
  | {
      type: 'check-result';
      step: Step;
      phase: Phase;
      result: CheckResult;
      expected: 'pass' | 'fail' | 'any';
    }
  | { type: 'quiz-result'; step: Step; quiz: Quiz; pass: boolean }
  /** A passing check kept values (`capture`); `all` is every value the run holds now. */
  | {
      type: 'values-captured';
      step: Step;
      values: Record<string, string>;
      all: Record<string, string>;
    }
  | {
      type: 'check-waiting';
      step: Step;
      check: Check;
      /** What the check looks at, and the first thing that did not match yet. */
      subject: string;
      found?: { field: string; actual: unknown };
      elapsedMs: number;
      timeoutMs: number;
    }
  | { type: 'mistake-tried'; step: Step; finding: MistakeFinding }
  | { type: 'step-finished'; step: Step; report: StepReport }
  | { type: 'cleanup-started'; resources: Resource[] }
  | { type: 'cleanup-finished'; result: CleanupResult }
  | {
      type: 'lesson-finished';
      report: LessonReport;
      /** Which attempt this was, when verify retries failed lessons (--retries). */
      attempt?: { number: number; of: number };
    };

export interface CommandRecord {
  command: Command;
  result: ProcessResult;
}

export interface PhaseFinding {
  check: Check;
  result: CheckResult;
  /** What this phase required of the check. */
  expected: 'pass' | 'fail' | 'any';
  ok: boolean;
}

/** verify's proof that a step's checks refuse one of its typical mistakes (`yaml near-miss`). */
export interface MistakeFinding {
  /** The wrong command, and where the near miss is written. */
  command: string;
  mistake: string;
  line: number;
  /** The checks refused it and the learner's report for it says the mistake's sentence. */
  proven: boolean;
  /** The check that refused it, and why it could stop looking (settled, or waited out). */
  refusedBy?: { id: string; settled: boolean; elapsedMs: number };
  /** The checks it was to fail and passed (all of them when it was not refused). */
  passed: string[];
  /** What the learner would read for it (formatFailure with the mistake), when it was refused. */
  learnerReport?: string;
  exitCode: number | null;
  durationMs: number;
  /** Why it is not proven, or could not be undone, in a sentence for authors. */
  problems: string[];
}

export interface StepReport {
  id: string;
  title: string;
  status: StepStatus;
  commands: CommandRecord[];
  before: PhaseFinding[];
  after: PhaseFinding[];
  quizzes: { id: string; pass: boolean; detail: string }[];
  durationMs: number;
  /** Why the step failed when no check says it (a command timed out, the run was aborted). */
  problems: string[];
  /** Its near misses, tried before its commands (verify). */
  mistakes?: MistakeFinding[];
}

export interface LessonReport {
  id: string;
  lang: string;
  file: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
  /** The daemon went away during the lesson (`reason` says so): later lessons cannot run. */
  daemonLost?: boolean;
  steps: StepReport[];
  durationMs: number;
  cleanup?: CleanupResult;
}
