import type { QuizSpec } from '../lesson/schema.js';

/** A quiz is answered right when exactly the right choices (1-based) are picked. */
export function gradeQuiz(quiz: Pick<QuizSpec, 'answer'>, chosen: readonly number[]): boolean {
  const right = new Set(Array.isArray(quiz.answer) ? quiz.answer : [quiz.answer]);
  const picked = new Set(chosen);
  return picked.size === right.size && [...picked].every((choice) => right.has(choice));
}
