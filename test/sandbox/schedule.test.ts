import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Lesson } from '../../src/lesson/schema.js';
import {
  estimatedMs,
  expectedMs,
  nextFor,
  readDurations,
  rememberDurations,
  startOrder,
} from '../../src/sandbox/schedule.js';

interface Shape {
  commands?: number;
  checks?: number;
  waiting?: number;
  mistakes?: number;
  nodes?: number;
}

const lesson = (id: string, shape: Shape): Lesson => {
  const checks = [
    ...Array.from({ length: shape.checks ?? 0 }, () => ({ timeoutMs: 0 })),
    ...Array.from({ length: shape.waiting ?? 0 }, () => ({ timeoutMs: 60_000 })),
  ];
  const step = {
    commands: new Array(shape.commands ?? 1).fill({}),
    checks,
    mistakes: new Array(shape.mistakes ?? 0).fill({}),
    files: [],
  };
  return { meta: { id, nodes: shape.nodes }, steps: [step] } as unknown as Lesson;
};

describe('how long a lesson is guessed to take, never timed here', () => {
  test('commands and near misses count; checks that wait and nodes count a lot; quick checks not', () => {
    assert.equal(estimatedMs(lesson('a', { commands: 1, checks: 3 })), 500);
    assert.equal(estimatedMs(lesson('b', { commands: 1, checks: 1, waiting: 2 })), 500 + 4000);
    assert.equal(estimatedMs(lesson('c', { commands: 1, mistakes: 1 })), 1000);
    assert.equal(estimatedMs(lesson('d', { commands: 0, nodes: 3 })), 5000);
    assert.equal(estimatedMs(undefined), 0);
  });

  test('a lesson waiting on a server outranks one with many quick checks', () => {
    assert.ok(
      estimatedMs(lesson('server', { commands: 3, checks: 5, waiting: 3 })) >
        estimatedMs(lesson('quick', { commands: 14, checks: 19 })),
    );
  });
});

describe('the order lessons start in', () => {
  const lessons = [
    lesson('small', { commands: 1 }),
    undefined,
    lesson('big', { commands: 9 }),
    lesson('mid', { commands: 4 }),
    lesson('mid2', { commands: 4 }),
  ];

  test('one job: as given', () => {
    assert.deepEqual(startOrder(expectedMs(lessons, { small: 99_000 }), 1), [0, 1, 2, 3, 4]);
  });

  test('several: the longest first; ties and lessons that do not parse in the order given', () => {
    assert.deepEqual(startOrder(expectedMs(lessons), 4), [2, 3, 4, 0, 1]);
  });

  test('a duration remembered from an earlier run wins over the guess', () => {
    assert.deepEqual(
      startOrder(expectedMs(lessons, { small: 20_000, big: 100 }), 4),
      [0, 3, 4, 2, 1],
    );
  });
});

describe('which waiting lesson a free slot takes', () => {
  // Lessons 0..3 expected to take 40, 30, 15 and 25 s; waiting in start order.
  const length = [40_000, 30_000, 15_000, 25_000];
  const waiting = [0, 1, 3, 2];

  test("the first waiting, when the sandbox holds none of the others' images", () => {
    assert.equal(
      nextFor(waiting, length, () => false),
      0,
    );
  });

  test('one whose images the sandbox holds, if it takes at least half as long as the first', () => {
    assert.equal(
      nextFor(waiting, length, (i) => i === 3),
      2,
    );
    assert.equal(
      nextFor(waiting, length, (i) => i === 1 || i === 3),
      1,
      'the first such, in start order',
    );
  });

  test('never one much shorter: the long lesson would be left for the end', () => {
    assert.equal(
      nextFor(waiting, length, (i) => i === 2),
      0,
    );
  });

  test('nothing waiting: nothing', () => {
    assert.equal(
      nextFor([], length, () => true),
      -1,
    );
  });

  test('expected: remembered, else estimated; a lesson that does not parse takes nothing', () => {
    const a = lesson('a', { checks: 3 });
    assert.deepEqual(expectedMs([a, undefined], {}), [500, 0]);
    assert.deepEqual(expectedMs([a, undefined], { a: 9_000 }), [9_000, 0]);
  });
});

describe('durations remembered in the cache folder', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const env = async (): Promise<Record<string, string>> => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-lab-schedule-'));
    dirs.push(dir);
    return { XDG_CACHE_HOME: dir };
  };

  test('nothing remembered yet is nothing', async () => {
    assert.deepEqual(await readDurations(await env()), {});
  });

  test('a run adds its lessons to what earlier runs remembered, and replaces their old figures', async () => {
    const cache = await env();
    await rememberDurations(cache, { a: 1000, b: 2000 });
    await rememberDurations(cache, { b: 3000, c: 4000 });
    assert.deepEqual(await readDurations(cache), { a: 1000, b: 3000, c: 4000 });
  });

  test('a damaged file, or figures that are not durations, are ignored', async () => {
    const cache = await env();
    await rememberDurations(cache, { a: 1000 });
    const file = join(cache.XDG_CACHE_HOME!, 'docker-lab', 'verify-durations.json');
    await writeFile(file, '{"lessons": {"a": -1, "b": "x", "c": 5}}');
    assert.deepEqual(await readDurations(cache), { c: 5 });
    await writeFile(file, '{not json');
    assert.deepEqual(await readDurations(cache), {});
    await rememberDurations(cache, { d: 7 });
    assert.match(await readFile(file, 'utf8'), /"d": 7/);
  });
});
