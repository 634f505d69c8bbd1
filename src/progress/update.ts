/**
 * Pure, immutable updates of the learner's progress: each returns a new Progress and leaves
 * its argument as it was, so the TUI can keep old states and tests can compare values.
 */
import type { LessonProgress, Progress } from './schema.js';

/** What these helpers need of a lesson (a parsed Lesson fits). */
export interface LessonShape {
  meta: { id: string; lang: string };
  steps: readonly { id: string }[];
}

export interface LessonStatus {
  /** Steps of the lesson as it is now that are completed. */
  done: number;
  total: number;
  /** The step the learner was on, when it still exists. */
  current?: string;
  completed: boolean;
}

export interface QuizAnswerInput {
  stepId: string;
  quizId: string;
  choices: readonly number[];
  correct: boolean;
}

/**
 * The key progress is stored under: the lesson's id, whatever its language (twins have the
 * same step ids, so a learner who switches language goes on where they were).
 */
export function lessonKey(lesson: { meta: { id: string } }): string {
  return lesson.meta.id;
}

function fresh(now: Date, steps: readonly string[] = []): LessonProgress {
  return {
    steps: [...steps],
    startedAt: now.toISOString(),
    completed: {},
    hints: {},
    quizzes: {},
  };
}

function withLesson(
  progress: Progress,
  key: string,
  now: Date,
  change: (entry: LessonProgress) => LessonProgress,
): Progress {
  const entry = own(progress.lessons, key) ?? fresh(now);
  return { ...progress, lessons: { ...progress.lessons, [key]: change(entry) } };
}

/** Every known step done: only decidable once the lesson's steps were recorded (syncLesson). */
function allDone(entry: LessonProgress): boolean {
  return entry.steps.length > 0 && entry.steps.every((id) => Object.hasOwn(entry.completed, id));
}

/** Step ids are words like "constructor": look them up as own keys, never through the prototype. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function pick<T>(record: Record<string, T>, keep: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([id]) => keep.has(id)));
}

/**
 * Brings a lesson's progress in line with the lesson file as it is now: records its step ids
 * and drops what was recorded for steps that no longer exist (a lesson that gained a step is
 * no longer complete). A lesson without progress is left without.
 */
export function syncLesson(progress: Progress, lesson: LessonShape): Progress {
  const key = lessonKey(lesson);
  const entry = own(progress.lessons, key);
  if (!entry) return progress;
  const steps = lesson.steps.map((step) => step.id);
  const keep = new Set(steps);
  const next: LessonProgress = {
    ...entry,
    steps,
    completed: pick(entry.completed, keep),
    hints: pick(entry.hints, keep),
    quizzes: pick(entry.quizzes, keep),
  };
  if (next.currentStep !== undefined && !keep.has(next.currentStep)) delete next.currentStep;
  if (!allDone(next)) delete next.completedAt;
  return { ...progress, lessons: { ...progress.lessons, [key]: next } };
}

/** The learner opened the lesson: starts its progress (once) and syncs it with the file. */
export function startLesson(progress: Progress, lesson: LessonShape, now: Date): Progress {
  const key = lessonKey(lesson);
  const started = own(progress.lessons, key)
    ? progress
    : {
        ...progress,
        lessons: {
          ...progress.lessons,
          [key]: fresh(
            now,
            lesson.steps.map((s) => s.id),
          ),
        },
      };
  return syncLesson(started, lesson);
}

/** Marks a step done (keeping the first completion time) and the lesson when all are. */
export function completeStep(
  progress: Progress,
  lessonKey: string,
  stepId: string,
  now: Date,
): Progress {
  return withLesson(progress, lessonKey, now, (entry) => {
    const next: LessonProgress = {
      ...entry,
      completed: {
        ...entry.completed,
        [stepId]: own(entry.completed, stepId) ?? now.toISOString(),
      },
    };
    if (allDone(next)) next.completedAt = entry.completedAt ?? now.toISOString();
    return next;
  });
}

export function setCurrentStep(
  progress: Progress,
  lessonKey: string,
  stepId: string,
  now: Date,
): Progress {
  return withLesson(progress, lessonKey, now, (entry) => ({ ...entry, currentStep: stepId }));
}

/** Values the lesson's checks captured (`capture`), kept for a resumed lesson; later win. */
export function recordCaptures(
  progress: Progress,
  lessonKey: string,
  values: Readonly<Record<string, string>>,
  now: Date,
): Progress {
  return withLesson(progress, lessonKey, now, (entry) => ({
    ...entry,
    captures: { ...entry.captures, ...values },
  }));
}

/** One more hint of the step revealed (hints are progressive; the TUI knows how many exist). */
export function revealHint(
  progress: Progress,
  lessonKey: string,
  stepId: string,
  now: Date,
): Progress {
  return withLesson(progress, lessonKey, now, (entry) => ({
    ...entry,
    hints: { ...entry.hints, [stepId]: (own(entry.hints, stepId) ?? 0) + 1 },
  }));
}

/** Keeps the last answer to each quiz and counts the attempts. */
export function recordQuizAnswer(
  progress: Progress,
  lessonKey: string,
  answer: QuizAnswerInput,
  now: Date,
): Progress {
  return withLesson(progress, lessonKey, now, (entry) => {
    const step = own(entry.quizzes, answer.stepId) ?? {};
    const attempts = (own(step, answer.quizId)?.attempts ?? 0) + 1;
    return {
      ...entry,
      quizzes: {
        ...entry.quizzes,
        [answer.stepId]: {
          ...step,
          [answer.quizId]: {
            choices: [...answer.choices],
            correct: answer.correct,
            attempts,
            at: now.toISOString(),
          },
        },
      },
    };
  });
}

export function resetLesson(progress: Progress, lessonKey: string): Progress {
  if (!Object.hasOwn(progress.lessons, lessonKey)) return progress;
  const lessons = { ...progress.lessons };
  delete lessons[lessonKey];
  return { ...progress, lessons };
}

export function resetAll(progress: Progress): Progress {
  return { ...progress, lessons: {} };
}

/** Progress against the lesson as it is now: steps that no longer exist do not count. */
export function lessonStatus(progress: Progress, lesson: LessonShape): LessonStatus {
  const entry = own(progress.lessons, lessonKey(lesson));
  const total = lesson.steps.length;
  const done = entry
    ? lesson.steps.filter((step) => Object.hasOwn(entry.completed, step.id)).length
    : 0;
  const current =
    entry?.currentStep !== undefined && lesson.steps.some((s) => s.id === entry.currentStep)
      ? entry.currentStep
      : undefined;
  return {
    done,
    total,
    ...(current !== undefined ? { current } : {}),
    completed: total > 0 && done === total,
  };
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** Merges two records key by key (own keys only; "__proto__" is a key like any other). */
function mergeRecords<T>(
  theirs: Record<string, T>,
  ours: Record<string, T>,
  both: (theirs: T, ours: T) => T,
): Record<string, T> {
  const merged = new Map(Object.entries(theirs));
  for (const [key, value] of Object.entries(ours)) {
    const other = merged.get(key);
    merged.set(key, other === undefined ? value : both(other, value));
  }
  return Object.fromEntries(merged);
}

function mergeLesson(theirs: LessonProgress, ours: LessonProgress): LessonProgress {
  const completed = mergeRecords(theirs.completed, ours.completed, (a, b) => earliest(a, b)!);
  const merged: LessonProgress = {
    steps: ours.steps.length > 0 ? ours.steps : theirs.steps,
    startedAt: earliest(theirs.startedAt, ours.startedAt)!,
    completed,
    hints: mergeRecords(theirs.hints, ours.hints, Math.max),
    quizzes: mergeRecords(theirs.quizzes, ours.quizzes, (a, b) =>
      // The later answer is the last one; attempts count the most either process saw.
      mergeRecords(a, b, (other, answer) => ({
        ...(Date.parse(other.at) > Date.parse(answer.at) ? other : answer),
        attempts: Math.max(other.attempts, answer.attempts),
      })),
    ),
  };
  const current = ours.currentStep ?? theirs.currentStep;
  if (current !== undefined) merged.currentStep = current;
  if (theirs.captures || ours.captures) merged.captures = { ...theirs.captures, ...ours.captures };
  if (allDone(merged)) {
    const lastStep = merged.steps
      .map((id) => own(completed, id)!)
      .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
    merged.completedAt = earliest(earliest(theirs.completedAt, ours.completedAt), lastStep)!;
  }
  return merged;
}

/** The step furthest into the lesson (by `steps`); a step the lesson no longer has counts least. */
function furthest(steps: readonly string[], a: string | undefined, b: string | undefined) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return steps.indexOf(b) > steps.indexOf(a) ? b : a;
}

/**
 * One lesson's progress in two languages (format 1 kept them apart), as one: every step
 * completed in either is completed (at its first time), the current step is the one furthest
 * into the lesson, hints count the most either revealed, each quiz keeps its later answer and
 * the attempts of both. Nothing either recorded is lost.
 */
export function mergeTwins(a: LessonProgress, b: LessonProgress): LessonProgress {
  const steps = [...new Set([...a.steps, ...b.steps])];
  const completed = mergeRecords(a.completed, b.completed, (x, y) => earliest(x, y)!);
  const merged: LessonProgress = {
    steps,
    startedAt: earliest(a.startedAt, b.startedAt)!,
    completed,
    hints: mergeRecords(a.hints, b.hints, Math.max),
    quizzes: mergeRecords(a.quizzes, b.quizzes, (x, y) =>
      // Two languages, two sets of attempts: they add up.
      mergeRecords(x, y, (one, other) => ({
        ...(Date.parse(one.at) > Date.parse(other.at) ? one : other),
        attempts: one.attempts + other.attempts,
      })),
    ),
  };
  const current = furthest(steps, a.currentStep, b.currentStep);
  if (current !== undefined) merged.currentStep = current;
  if (a.captures || b.captures) merged.captures = { ...a.captures, ...b.captures };
  if (allDone(merged)) {
    // Complete from the moment its last step was first completed.
    merged.completedAt = steps
      .map((id) => own(completed, id)!)
      .reduce((x, y) => (Date.parse(y) > Date.parse(x) ? y : x));
  }
  return merged;
}

/**
 * Progress two docker-lab processes recorded, as one: every step either completed stays
 * completed (at its first time), hints and attempts count the most either saw, the later quiz
 * answer is kept, and the current step is ours. Forgetting goes through resetLesson on the
 * file's own state (see updateProgress in store.ts), never through a merge.
 */
export function mergeProgress(theirs: Progress, ours: Progress): Progress {
  return { ...ours, lessons: mergeRecords(theirs.lessons, ours.lessons, mergeLesson) };
}
