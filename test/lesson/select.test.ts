import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { selectLessons } from '../../src/lesson/select.js';

describe('a course lesson named by its id', () => {
  const cwd = resolve('.');

  test('is found in the folder of each language, or of the one asked for', async () => {
    const courseDir = resolve('fixtures/lessons/tui');
    const both = await selectLessons(['tui-drive'], { cwd, courseDir });
    assert.deepEqual(both.map((s) => s.lesson?.meta.lang).sort(), ['en', 'zh-CN']);
    const en = await selectLessons(['tui-drive'], { cwd, courseDir, lang: 'en' });
    assert.deepEqual(
      en.map((s) => s.lesson?.meta.lang),
      ['en'],
    );
  });

  test('a near miss of an id suggests the id', async () => {
    const courseDir = resolve('fixtures/lessons/tui');
    await assert.rejects(selectLessons(['tui-drvie'], { cwd, courseDir }), {
      message: 'no lesson file, folder or course lesson id "tui-drvie" (did you mean "tui-drive"?)',
    });
  });

  test('never suggests the id itself: a lesson outside a language folder is no course lesson', async () => {
    // fixtures/lessons/sandbox holds port-a.md directly, not in en/.
    const courseDir = resolve('fixtures/lessons/sandbox');
    await assert.rejects(selectLessons(['port-a'], { cwd, courseDir }), {
      message: 'no lesson file, folder or course lesson id "port-a"',
    });
  });
});
