/**
 * The course list, drawn before anything heavy loads. Ink, React, the Markdown renderer, the
 * lesson parser and zod take half a second to load; a learner should see the course at once.
 * This reads only the lessons' front matter (title, order, duration), the step headings and the
 * progress file, with no YAML library, and prints the list. When the TUI is ready it erases
 * these lines and draws the same list itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { courseDir, courseInLanguage } from '../lesson/course.js';
import { progressFile } from '../progress/paths.js';
import { padEnd, padStart, truncate } from '../report/columns.js';
import { lessonRow } from './lesson-row.js';

interface QuickLesson {
  meta: { id: string; lang: Lang; order: number };
  title: string;
  duration?: string;
  steps: string[];
}

const scalar = (front: string, key: string): string | undefined => {
  const match = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(front);
  const value = match?.[1]?.trim().replace(/^(["'])(.*)\1$/, '$2');
  return value || undefined;
};

function quickLessons(dir: string, lang: Lang): QuickLesson[] {
  const lessons: QuickLesson[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.md'));
  } catch {
    return [];
  }
  for (const name of names) {
    const text = readFileSync(join(dir, name), 'utf8').replace(/\r\n?/g, '\n');
    const end = text.indexOf('\n---', 3);
    if (!text.startsWith('---') || end === -1) continue;
    const front = text.slice(3, end);
    const id = scalar(front, 'id');
    const title = scalar(front, 'title');
    if (!id || !title) continue;
    const steps = [...text.slice(end).matchAll(/^## .*\{#([^}]+)\}\s*$/gm)].map((m) => m[1]!);
    const duration = scalar(front, 'duration');
    lessons.push({
      meta: { id, lang, order: Number(scalar(front, 'order') ?? 1e9) },
      title,
      ...(duration ? { duration } : {}),
      steps,
    });
  }
  return lessons;
}

function completedSteps(env: Record<string, string | undefined>): Record<string, string[]> {
  try {
    const data = JSON.parse(readFileSync(progressFile(env), 'utf8')) as {
      lessons?: Record<string, { completed?: Record<string, unknown> }>;
    };
    // By lesson id: format 2 keys are ids, format 1 keys `<lang>/<id>` (their languages merge).
    const byId = new Map<string, string[]>();
    for (const [key, l] of Object.entries(data.lessons ?? {})) {
      const id = key.slice(key.indexOf('/') + 1);
      byId.set(id, [...(byId.get(id) ?? []), ...Object.keys(l.completed ?? {})]);
    }
    return Object.fromEntries(byId);
  } catch {
    return {};
  }
}

/** Prints the list and returns how many lines it took (undefined when it drew nothing). */
export function drawFirstFrame(
  out: NodeJS.WritableStream & { columns?: number },
  env: Record<string, string | undefined>,
  lang: Lang,
): number | undefined {
  try {
    const course = courseDir(env);
    const lessons = courseInLanguage(
      LANGUAGES.flatMap((l) => quickLessons(join(course, l), l)),
      lang,
    );
    if (lessons.length === 0) return undefined;
    const t = messages(lang).ui;
    const done = completedSteps(env);
    const width = Math.max(40, (out.columns ?? 80) - 1);
    const rows = lessons.map((lesson, i) => {
      const completed = new Set(Object.hasOwn(done, lesson.meta.id) ? done[lesson.meta.id] : []);
      const count = lesson.steps.filter((s) => completed.has(s)).length;
      const total = lesson.steps.length;
      const row = lessonRow(
        {
          title: lesson.title,
          lang: lesson.meta.lang,
          done: count,
          total,
          completed: count > 0 && count === total,
        },
        lang,
        t,
      );
      const progress = row.progress;
      const left = `${i === 0 ? '›' : ' '}  ${String(i + 1).padStart(2)}  `;
      // Measured in columns, as Ink measures the list it draws next: a CJK character takes two.
      const right = `${padStart(lesson.duration ?? '', 6)}${padStart(progress, 14)}`;
      const room = Math.max(10, width - left.length - 20);
      return `${left}${padEnd(truncate(row.title, room), room)}${right}`;
    });
    const lines = [t.courseTitle, '', ...rows, '', t.listHelp];
    out.write(`${lines.join('\n')}\n`);
    return lines.length;
  } catch {
    return undefined;
  }
}
