import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { migrateV1, ProgressV1Schema, type ProgressV1 } from '../../src/progress/migrate.js';
import { emptyProgress, PROGRESS_VERSION, ProgressSchema } from '../../src/progress/schema.js';
import { loadProgress, saveProgress } from '../../src/progress/store.js';
import { completeStep, lessonStatus } from '../../src/progress/update.js';

/**
 * Format 1 (per language: `en/first-run`, `zh-CN/first-run`) → format 2 (per lesson id): the
 * languages merge and nothing either recorded is lost.
 */
const root = mkdtempSync(join(tmpdir(), 'docker-lab-migrate-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function stateEnv(): { env: Record<string, string>; dir: string; file: string } {
  const dir = join(root, `state-${++counter}`, 'docker-lab');
  mkdirSync(dir, { recursive: true });
  return { env: { DOCKER_LAB_STATE_DIR: dir }, dir, file: join(dir, 'progress.json') };
}

const T1 = '2025-01-01T10:00:00.000Z';
const T2 = '2025-01-02T10:00:00.000Z';
const T3 = '2025-01-03T10:00:00.000Z';
const STEPS = ['version', 'hello', 'ubuntu'];

/** A learner who did two steps in English, then switched to Chinese and started over. */
const V1: ProgressV1 = {
  version: 1,
  lessons: {
    'en/first-run': {
      steps: STEPS,
      startedAt: T1,
      currentStep: 'ubuntu',
      completed: { version: T1, hello: T2 },
      hints: { hello: 2 },
      quizzes: { hello: { q: { choices: [1], correct: false, attempts: 2, at: T2 } } },
    },
    'zh-CN/first-run': {
      steps: STEPS,
      startedAt: T2,
      currentStep: 'hello',
      completed: { version: T3, ubuntu: T3 },
      hints: { hello: 1, ubuntu: 1 },
      quizzes: { hello: { q: { choices: [2], correct: true, attempts: 1, at: T3 } } },
    },
    'en/basics': { steps: ['a'], startedAt: T1, completed: {}, hints: {}, quizzes: {} },
  },
};

describe('format 1 → format 2', () => {
  test('the languages of a lesson merge into one entry under its id', () => {
    const migrated = migrateV1(V1);
    assert.equal(migrated.version, PROGRESS_VERSION);
    assert.deepEqual(Object.keys(migrated.lessons).sort(), ['basics', 'first-run']);
    assert.deepEqual(migrated.lessons['first-run'], {
      steps: STEPS,
      startedAt: T1,
      // Every step either completed, at its first time; all three: the lesson is complete
      // from when its last step was first done.
      completed: { version: T1, hello: T2, ubuntu: T3 },
      completedAt: T3,
      // The most hints either revealed.
      hints: { hello: 2, ubuntu: 1 },
      // The later answer; the attempts of both languages.
      quizzes: { hello: { q: { choices: [2], correct: true, attempts: 3, at: T3 } } },
      // The current step furthest into the lesson.
      currentStep: 'ubuntu',
    });
    assert.deepEqual(migrated.lessons.basics, V1.lessons['en/basics']);
    assert.doesNotThrow(() => ProgressSchema.parse(migrated));
  });

  test('the order the file lists the languages in does not matter', () => {
    const reversed = { ...V1, lessons: Object.fromEntries(Object.entries(V1.lessons).reverse()) };
    assert.deepEqual(migrateV1(reversed), migrateV1(V1));
  });

  test('a format 1 file loads merged, and the first save writes format 2 and keeps the old file', async () => {
    const { env, file } = stateEnv();
    const text = JSON.stringify(V1);
    writeFileSync(file, text);
    const loaded = await loadProgress({ env });
    assert.equal(loaded.warning, undefined);
    assert.equal(loaded.readOnly, false);
    assert.deepEqual(loaded.progress, migrateV1(V1));
    // Loading alone writes nothing.
    assert.equal(readFileSync(file, 'utf8'), text);

    const lesson = { meta: { id: 'basics', lang: 'zh-CN' }, steps: [{ id: 'a' }] };
    await saveProgress(completeStep(loaded.progress, 'basics', 'a', new Date(T3)), { env });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const parsed = ProgressSchema.parse(saved);
    assert.equal(parsed.version, 2);
    assert.deepEqual(parsed.lessons['first-run'], migrateV1(V1).lessons['first-run']);
    assert.equal(lessonStatus(parsed, lesson).completed, true);
    // The format 1 file is kept beside it, as it was, for a docker-lab that only reads format 1.
    assert.equal(readFileSync(`${file}.v1`, 'utf8'), text);
    // A docker-lab of format 1 sees a version above its own: it leaves the file untouched
    // (store.ts: "a newer docker-lab") instead of setting it aside as corrupt.
    assert.ok((saved as { version: number }).version > 1);
  });

  test('a save over a format 1 file written meanwhile by an older docker-lab keeps what it holds', async () => {
    const { env, file } = stateEnv();
    await saveProgress(completeStep(emptyProgress(), 'basics', 'a', new Date(T1)), { env });
    writeFileSync(file, JSON.stringify(V1));
    const saved = await saveProgress(completeStep(emptyProgress(), 'mysql', 'pull', new Date(T1)), {
      env,
    });
    assert.deepEqual(Object.keys(saved.lessons).sort(), ['basics', 'first-run', 'mysql']);
    assert.deepEqual(Object.keys(saved.lessons['first-run']!.completed).sort(), [
      'hello',
      'ubuntu',
      'version',
    ]);
    // The backup is made once: a later save leaves it as the first format 1 file it kept.
    const backup = readFileSync(`${file}.v1`, 'utf8');
    await saveProgress(saved, { env });
    assert.equal(readFileSync(`${file}.v1`, 'utf8'), backup);
  });

  test('a format 1 file that does not fit its format is set aside like any unreadable file', async () => {
    const { env, file } = stateEnv();
    writeFileSync(file, JSON.stringify({ version: 1, lessons: { 'first-run': {} } }));
    const loaded = await loadProgress({ env, now: new Date(T1) });
    assert.match(loaded.warning!, /it does not match the progress format: lessons\.first-run/);
    assert.ok(existsSync(`${file}.corrupt-20250101T100000Z`));
    assert.deepEqual(loaded.progress, emptyProgress());
  });
});

describe('property: migrating never loses anything', () => {
  const time = fc.integer({ min: 0, max: 4e12 }).map((n) => new Date(n).toISOString());
  const stepId = fc.constantFrom('one', 'two', 'three', 'constructor', '__proto__');
  const quiz = fc.record({
    choices: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    correct: fc.boolean(),
    attempts: fc.integer({ min: 1, max: 9 }),
    at: time,
  });
  const entry = fc.record(
    {
      steps: fc.uniqueArray(stepId, { maxLength: 5 }),
      startedAt: time,
      currentStep: stepId,
      completed: fc.dictionary(stepId, time),
      hints: fc.dictionary(stepId, fc.integer({ min: 0, max: 5 })),
      quizzes: fc.dictionary(stepId, fc.dictionary(fc.constantFrom('q1', 'q2'), quiz)),
    },
    { requiredKeys: ['steps', 'startedAt', 'completed', 'hints', 'quizzes'] },
  );
  const key = fc
    .tuple(fc.constantFrom('en', 'zh-CN'), fc.constantFrom('a', 'b', '__proto__', 'constructor'))
    .map(([lang, id]) => `${lang}/${id}`);
  const v1 = fc.dictionary(key, entry).map((lessons) => ({ version: 1 as const, lessons }));
  const own = <T>(record: Record<string, T>, name: string): T | undefined =>
    Object.getOwnPropertyDescriptor(record, name)?.value as T | undefined;

  test('every completed step, hint, quiz answer and current step survives, in format 2', () => {
    fc.assert(
      fc.property(v1, (old) => {
        const input = ProgressV1Schema.parse(old);
        const migrated = migrateV1(input);
        ProgressSchema.parse(migrated);
        for (const [k, before] of Object.entries(input.lessons)) {
          const id = k.slice(k.indexOf('/') + 1);
          const after = own(migrated.lessons, id);
          assert.ok(after, `${id} kept`);
          for (const [step, at] of Object.entries(before.completed)) {
            const kept = own(after.completed, step);
            assert.ok(kept, `${k}: ${step} still completed`);
            assert.ok(Date.parse(kept) <= Date.parse(at), 'at its first time');
          }
          for (const [step, n] of Object.entries(before.hints))
            assert.ok((own(after.hints, step) ?? -1) >= n, `${k}: hints of ${step}`);
          for (const [step, answers] of Object.entries(before.quizzes))
            for (const [q, answer] of Object.entries(answers)) {
              const kept = own(own(after.quizzes, step) ?? {}, q);
              assert.ok(kept && kept.attempts >= answer.attempts, `${k}: ${step}/${q} attempts`);
              assert.ok(Date.parse(kept.at) >= Date.parse(answer.at), 'the later answer');
            }
          for (const step of before.steps) assert.ok(after.steps.includes(step));
          if (before.currentStep !== undefined) assert.notEqual(after.currentStep, undefined);
        }
        // Nothing is invented: every lesson and completed step came from some language.
        for (const [id, after] of Object.entries(migrated.lessons))
          for (const step of Object.keys(after.completed))
            assert.ok(
              Object.entries(input.lessons).some(
                ([k, e]) => k.endsWith(`/${id}`) && Object.hasOwn(e.completed, step),
              ),
            );
      }),
      { numRuns: 500 },
    );
  });
});
