import { basename, dirname, join } from 'node:path';
import type { DiagnosticSink } from './diagnostics.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import type { Lesson } from './schema.js';

/**
 * The course keeps every lesson in each language at lessons/<lang>/<id>.md, and twins must
 * have the same steps and checks in the same order, so progress and reports line up.
 */

/** The language folder a lesson file sits in, if it sits in one. */
export function languageFolder(file: string): Lang | undefined {
  const folder = basename(dirname(file));
  return (LANGUAGES as readonly string[]).includes(folder) ? (folder as Lang) : undefined;
}

/** Paths of the lesson's twins in the other language folders (whether or not they exist). */
export function twinPaths(file: string): { lang: Lang; path: string }[] {
  const lang = languageFolder(file);
  if (!lang) return [];
  const root = dirname(dirname(file));
  return LANGUAGES.filter((other) => other !== lang).map((other) => ({
    lang: other,
    path: join(root, other, basename(file)),
  }));
}

/** Rules that only need the file's place: language folder and file name agree with the lesson. */
export function checkPlacement(lesson: Lesson, sink: DiagnosticSink): void {
  const folder = languageFolder(lesson.file);
  const at = (key: string) => lesson.metaPositions[key] ?? { line: 1, col: 1 };
  if (folder && lesson.meta.lang !== folder) {
    sink.error(
      at('lang'),
      'twin',
      `lang is ${lesson.meta.lang} but the lesson sits in the ${folder}/ folder: make them agree`,
    );
  }
  const name = basename(lesson.file).replace(/\.md$/i, '');
  if (folder && lesson.meta.id !== name) {
    sink.error(
      at('id'),
      'twin',
      `id "${lesson.meta.id}" differs from the file name ${basename(lesson.file)}: name the file ${lesson.meta.id}.md (twins are found by file name)`,
    );
  }
}

function idsOf(lesson: Lesson, stepId: string): string[] {
  const step = lesson.steps.find((s) => s.id === stepId);
  return step ? [...step.checks.map((c) => c.id), ...step.quizzes.map((q) => q.id)] : [];
}

/**
 * Compares a lesson with its twin. `twin` is undefined when the file is missing; `null` when it
 * exists but cannot be read as a lesson (its own lint reports why).
 */
export function checkTwin(
  lesson: Lesson,
  twin: { lang: Lang; path: string; lesson: Lesson | undefined | null },
  sink: DiagnosticSink,
): void {
  const where = `its ${twin.lang} twin ${twin.path}`;
  if (twin.lesson === undefined) {
    sink.error(
      { line: 1, col: 1 },
      'twin',
      `no ${twin.lang} twin: every course lesson exists in each language; add ${twin.path} with the same step and check ids`,
    );
    return;
  }
  if (twin.lesson === null) return;
  const other = twin.lesson;
  if (other.meta.id !== lesson.meta.id) {
    sink.error(
      lesson.metaPositions.id ?? { line: 1, col: 1 },
      'twin',
      `id "${lesson.meta.id}" is "${other.meta.id}" in ${where}: twins share their id`,
    );
  }
  const mine = lesson.steps.map((s) => s.id);
  const theirs = other.steps.map((s) => s.id);
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    const step = lesson.steps[i];
    if (mine[i] === theirs[i]) continue;
    if (step && theirs[i] !== undefined) {
      sink.error(
        step,
        'twin',
        `step ${i + 1} is "${mine[i]}" here but "${theirs[i]}" in ${where}: twins have the same steps in the same order`,
      );
    } else if (step) {
      sink.error(step, 'twin', `step "${mine[i]}" is missing from ${where}`);
    } else {
      const last = lesson.steps[lesson.steps.length - 1];
      sink.error(
        last ?? { line: 1, col: 1 },
        'twin',
        `${where} has a step "${theirs[i]}" that this lesson lacks`,
      );
    }
    return;
  }
  for (const step of lesson.steps) {
    const a = idsOf(lesson, step.id);
    const b = idsOf(other, step.id);
    if (a.join(',') !== b.join(',')) {
      sink.error(
        step,
        'twin',
        `step "${step.id}" has checks [${a.join(', ')}] here but [${b.join(', ')}] in ${where}: twins check the same things`,
      );
    }
  }
}
