/**
 * What the TUI shows, as data: the session (effects) writes it, the views (Ink, plain) read it.
 * Pure state and pure transitions only, so they can be tested and reasoned about alone.
 */
import type { Lang } from '../i18n/lang.js';
import type { Lesson, Quiz } from '../lesson/schema.js';

export type StepPhase = 'idle' | 'running' | 'checking' | 'passed' | 'failed';

export interface CheckView {
  id: string;
  /** The check in words, as the learner reads it: its description, or its id when it has none. */
  title: string;
  pass: boolean;
  /** The failure report, rendered for the terminal. */
  report?: string;
}

export interface StepView {
  phase: StepPhase;
  running?: string;
  output: string[];
  outputTotal: number;
  lastExit?: number | null;
  checks: CheckView[];
  hintsShown: number;
  showSolution: boolean;
  quizPicked: number[];
  quizVerdict?: boolean;
  note?: string;
  /** While checking: what a check waits for, and how long it has waited (one line). */
  waiting?: string;
}

export interface PromptView {
  title: string;
  items: string[];
  question: string;
  defaultYes: boolean;
}

export interface LessonEntry {
  lesson: Lesson;
  done: number;
  total: number;
  completed: boolean;
  /** Images the lesson needs that the daemon lacks; undefined until known (or no daemon). */
  imagesMissing?: string[];
}

export interface UiState {
  screen: 'list' | 'lesson';
  lang: Lang;
  entries: LessonEntry[];
  cursor: number;
  lessonIndex?: number;
  stepIndex: number;
  step: StepView;
  prompt?: PromptView;
  /** One line shown above everything (a corrupt progress file was set aside ...). */
  warning?: string;
  /** Finished output that moved out of the live region (printed once, above it). */
  log: LogEntry[];
  /** Where the current step's prose begins in `log`: a redraw after a resize starts there. */
  stepLogStart: number;
  color: boolean;
  quitting: boolean;
}

/**
 * A finished piece of the transcript above the live screen: text as it is, or lesson prose kept
 * as Markdown so that it is laid out again at the terminal's width after a resize.
 */
export type LogEntry = string | { markdown: string };

/** A log entry as the terminal shows it at `width` columns. */
export function logText(entry: LogEntry, render: (markdown: string) => string): string {
  return typeof entry === 'string' ? entry : `\n${render(entry.markdown)}`;
}

/** A step as it is before anything ran. */
export const freshStep = (): StepView => ({
  phase: 'idle',
  output: [],
  outputTotal: 0,
  checks: [],
  hintsShown: 0,
  showSolution: false,
  quizPicked: [],
});

/** The list's cursor moved by `delta`, kept on a lesson. */
export function moveCursor(state: UiState, delta: number): UiState {
  return {
    ...state,
    cursor: Math.max(0, Math.min(state.entries.length - 1, state.cursor + delta)),
  };
}

/** A quiz choice toggled: one answer replaces the last; several accumulate, in order. */
export function toggleChoice(step: StepView, quiz: Quiz, choice: number): StepView {
  if (choice < 1 || choice > quiz.choices.length) return step;
  const multiple = Array.isArray(quiz.answer);
  const picked = step.quizPicked.includes(choice)
    ? step.quizPicked.filter((c) => c !== choice)
    : multiple
      ? [...step.quizPicked, choice].sort()
      : [choice];
  return { ...step, quizPicked: picked, quizVerdict: undefined };
}
