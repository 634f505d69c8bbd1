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
  | { type: 'command-started'; step: Step; command: Command }
  | { type: 'output'; step: Step; command: Command; stream: Stream; chunk: string }
  | { type: 'command-finished'; step: Step; command: Command; result: ProcessResult }
  | {
      type: 'check-result';
      step: Step;
      phase: Phase;
      result: CheckResult;
      expected: 'pass' | 'fail' | 'any';
    }
  | { type: 'quiz-result'; step: Step; quiz: Quiz; pass: boolean }
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
