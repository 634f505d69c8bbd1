/** The course a learner sees in a language: the one rule list, the TUI and reset follow. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { courseInLanguage, type CourseEntry } from '../../src/lesson/course.js';
import type { Lang } from '../../src/i18n/lang.js';

const lesson = (id: string, lang: Lang, order?: number): CourseEntry => ({
  meta: { id, lang, ...(order === undefined ? {} : { order }) },
});
const shown = (entries: CourseEntry[]) => entries.map((e) => `${e.meta.lang}/${e.meta.id}`);

test('a lesson with a twin is shown in the learner language only', () => {
  const course = [lesson('a', 'en', 1), lesson('a', 'zh-CN', 1)];
  assert.deepEqual(shown(courseInLanguage(course, 'zh-CN')), ['zh-CN/a']);
  assert.deepEqual(shown(courseInLanguage(course, 'en')), ['en/a']);
});

test('a lesson not yet translated is shown in its own language, in course order', () => {
  const course = [lesson('b', 'en', 2), lesson('a', 'zh-CN', 1), lesson('a', 'en', 1)];
  assert.deepEqual(shown(courseInLanguage(course, 'zh-CN')), ['zh-CN/a', 'en/b']);
  const onlyChinese = [lesson('c', 'zh-CN', 3), lesson('a', 'en', 1)];
  assert.deepEqual(shown(courseInLanguage(onlyChinese, 'en')), ['en/a', 'zh-CN/c']);
});

test('lessons without an order come last, by id; two files of one id and language both stay', () => {
  const course = [lesson('z', 'en'), lesson('y', 'en'), lesson('x', 'en', 5), lesson('x', 'en', 5)];
  assert.deepEqual(shown(courseInLanguage(course, 'en')), ['en/x', 'en/x', 'en/y', 'en/z']);
});
