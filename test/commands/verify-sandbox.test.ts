import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultJobs, lessonWork, startOrder } from '../../src/commands/verify-sandbox.js';
import type { Lesson } from '../../src/lesson/schema.js';

const GiB = 2 ** 30;

describe('verify --jobs default', () => {
  test('one lesson per CPU, at most one per 2 GiB of memory, at least one', () => {
    assert.equal(defaultJobs(2, 24 * GiB), 2);
    assert.equal(defaultJobs(16, 8 * GiB), 4);
    assert.equal(defaultJobs(8, 1 * GiB), 1);
    assert.equal(defaultJobs(1, 64 * GiB), 1);
  });
});

describe('verify --sandbox: the order lessons start in', () => {
  const lesson = (id: string, checks: number, mistakes = 0): Lesson => {
    const step = { commands: [{}], checks: new Array(checks), mistakes: new Array(mistakes) };
    return { meta: { id }, steps: [{ ...step, files: [] }] } as unknown as Lesson;
  };

  test("a lesson's work: its commands, checks, files, and each near miss twice", () => {
    assert.equal(lessonWork(lesson('a', 3)), 4);
    assert.equal(lessonWork(lesson('b', 3, 2)), 8);
    assert.equal(lessonWork(undefined), 0);
  });

  test('one job: as given; several: the most work first, ties and lessons that do not parse in the order given', () => {
    const lessons = [
      lesson('small', 1),
      undefined,
      lesson('big', 9),
      lesson('mid', 4),
      lesson('mid2', 4),
    ];
    assert.deepEqual(startOrder(lessons, 1), [0, 1, 2, 3, 4]);
    assert.deepEqual(startOrder(lessons, 4), [2, 3, 4, 0, 1]);
  });
});
