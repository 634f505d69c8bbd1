/**
 * The course as `list` and `reset` see it: each lesson's front matter and step ids, with the
 * key its progress is stored under. Lessons with errors still count when their front matter
 * reads (lint reports the errors; the learner still wants to see and reset them).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadLessonSources } from '../lesson/loader.js';
import { parseLesson } from '../lesson/parser.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { courseInLanguage } from '../lesson/course.js';
import { lessonKey } from './update.js';

export interface CourseLesson {
  key: string;
  id: string;
  lang: Lang;
  title: string;
  order?: number;
  duration?: string;
  images: string[];
  steps: { id: string }[];
  meta: { id: string; lang: Lang; order?: number };
}

/** Every lesson of the course in every language, from `<root>/<lang>/*.md`. */
export async function loadCourse(root: string): Promise<CourseLesson[]> {
  const lessons: CourseLesson[] = [];
  for (const lang of LANGUAGES) {
    const dir = join(root, lang);
    if (!existsSync(dir)) continue;
    for (const source of await loadLessonSources([dir], root)) {
      const parsed = parseLesson(source.shown, source.text, source);
      const lesson = parsed.lesson ?? parsed.partial;
      if (!lesson) continue;
      const { meta } = lesson;
      lessons.push({
        key: lessonKey(lesson),
        id: meta.id,
        lang: meta.lang,
        title: meta.title,
        ...(meta.order !== undefined ? { order: meta.order } : {}),
        ...(meta.duration !== undefined ? { duration: meta.duration } : {}),
        images: meta.images ?? [],
        steps: lesson.steps.map((step) => ({ id: step.id })),
        meta: {
          id: meta.id,
          lang: meta.lang,
          ...(meta.order !== undefined ? { order: meta.order } : {}),
        },
      });
    }
  }
  return lessons;
}

/** The course in one language: the one rule (lesson/course.ts) that the TUI follows too. */
export function courseIn(lessons: readonly CourseLesson[], lang: Lang): CourseLesson[] {
  return courseInLanguage(lessons, lang);
}
