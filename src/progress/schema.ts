/**
 * The learner's progress as stored in progress.json. Versioned: a file from a newer docker-lab
 * (a higher `version`) is never rewritten by this one (see store.ts); a file from an older one
 * is read and brought to this format (migrate.ts).
 *
 * Format 1 kept each language of a lesson apart (`en/first-run`, `zh-CN/first-run`); format 2
 * keeps one entry per lesson id: twins have the same step ids (lint enforces it), so a learner
 * who switches language goes on where they were.
 */
import { z } from 'zod';

/** The progress format this docker-lab writes and reads. */
export const PROGRESS_VERSION = 2;

const Timestamp = z.iso.datetime({ offset: true });
const StepId = z.string().min(1);

export const QuizAnswerSchema = z.object({
  /** The choices picked (1-based, as in the lesson's `answer`). */
  choices: z.array(z.number().int().min(1)),
  correct: z.boolean(),
  /** How many times this quiz was answered; the choices are the last answer. */
  attempts: z.number().int().min(1),
  at: Timestamp,
});
export type QuizAnswer = z.infer<typeof QuizAnswerSchema>;

export const LessonProgressSchema = z.object({
  /**
   * The lesson's step ids when progress was last recorded: when the lesson file changes,
   * progress for steps that no longer exist is dropped (see syncLesson).
   */
  steps: z.array(StepId),
  startedAt: Timestamp,
  completedAt: Timestamp.optional(),
  currentStep: StepId.optional(),
  /** Completed step id -> when. */
  completed: z.record(StepId, Timestamp),
  /** Step id -> how many of its hints were revealed. */
  hints: z.record(StepId, z.number().int().min(0)),
  /** Step id -> quiz id -> the last answer given. */
  quizzes: z.record(StepId, z.record(z.string().min(1), QuizAnswerSchema)),
  /**
   * Values the lesson's checks captured (`capture`), name -> value: a lesson resumed at a later
   * step still substitutes `${NAME}` (docs/lesson-format.md, "Captured values").
   */
  captures: z.record(z.string().min(1), z.string()).optional(),
});
export type LessonProgress = z.infer<typeof LessonProgressSchema>;

/** The lesson's id: the same lesson in every language is one lesson to learn. */
export const LessonKeySchema = z.string().regex(/^[^/\s]+$/, 'a lesson key is the lesson id');

export const ProgressSchema = z.object({
  version: z.literal(PROGRESS_VERSION),
  lessons: z.record(LessonKeySchema, LessonProgressSchema),
});
export type Progress = z.infer<typeof ProgressSchema>;

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, lessons: {} };
}
