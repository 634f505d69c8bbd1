import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { progressFile, stateDir } from '../../src/progress/paths.js';
import { emptyProgress, type Progress } from '../../src/progress/schema.js';
import { loadProgress, saveProgress } from '../../src/progress/store.js';
import {
  completeStep,
  lessonKey,
  lessonStatus,
  recordQuizAnswer,
  resetAll,
  resetLesson,
  revealHint,
  setCurrentStep,
  startLesson,
  syncLesson,
} from '../../src/progress/update.js';

const root = mkdtempSync(join(tmpdir(), 'docker-lab-progress-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
/** A fresh state folder per test: DOCKER_LAB_STATE_DIR, as the CLI tests use. */
function stateEnv(): { env: Record<string, string>; dir: string; file: string } {
  const dir = join(root, `state-${++counter}`, 'docker-lab');
  return { env: { DOCKER_LAB_STATE_DIR: dir }, dir, file: join(dir, 'progress.json') };
}

const NOW = new Date('2025-03-04T05:06:07.890Z');
const LATER = new Date('2025-03-04T06:00:00.000Z');
const lesson = {
  meta: { id: 'first-run', lang: 'en' },
  steps: [{ id: 'version' }, { id: 'hello' }, { id: 'ubuntu' }],
};
const KEY = 'first-run';

describe('where progress lives', () => {
  test('DOCKER_LAB_STATE_DIR names the folder itself', () => {
    assert.equal(stateDir({ DOCKER_LAB_STATE_DIR: '/tmp/x', XDG_STATE_HOME: '/s' }), '/tmp/x');
  });

  test('else $XDG_STATE_HOME/docker-lab, else ~/.local/state/docker-lab', () => {
    assert.equal(stateDir({ XDG_STATE_HOME: '/s', HOME: '/h' }), '/s/docker-lab');
    assert.equal(stateDir({ HOME: '/h' }), '/h/.local/state/docker-lab');
    assert.equal(progressFile({ HOME: '/h' }), '/h/.local/state/docker-lab/progress.json');
  });

  test('a relative XDG_STATE_HOME is ignored, as the XDG spec says', () => {
    assert.equal(stateDir({ XDG_STATE_HOME: 'state', HOME: '/h' }), '/h/.local/state/docker-lab');
  });
});

describe('loading and saving', () => {
  test('no file yet is empty progress, without a warning', async () => {
    const { env } = stateEnv();
    const loaded = await loadProgress({ env });
    assert.deepEqual(loaded.progress, { version: 2, lessons: {} });
    assert.equal(loaded.warning, undefined);
    assert.equal(loaded.readOnly, false);
  });

  test('what is saved loads back equal', async () => {
    const { env } = stateEnv();
    let progress = startLesson(emptyProgress(), lesson, NOW);
    progress = completeStep(progress, KEY, 'version', NOW);
    progress = revealHint(progress, KEY, 'hello', NOW);
    progress = recordQuizAnswer(
      progress,
      KEY,
      { stepId: 'hello', quizId: 'q1', choices: [2], correct: true },
      NOW,
    );
    await saveProgress(progress, { env });
    assert.deepEqual((await loadProgress({ env })).progress, progress);
  });

  test('saving creates the folder with mode 0700 and leaves no temp files behind', async () => {
    const { env, dir } = stateEnv();
    await saveProgress(startLesson(emptyProgress(), lesson, NOW), { env });
    await saveProgress(completeStep(emptyProgress(), KEY, 'hello', NOW), { env });
    assert.deepEqual(readdirSync(dir), ['progress.json']);
    if (process.platform !== 'win32') {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'progress.json')).mode & 0o777, 0o600);
    }
  });

  test('saves at once lose nothing: each merges into the file under a lock', async () => {
    const { env, dir, file } = stateEnv();
    const states = Array.from({ length: 20 }, (_, n) =>
      completeStep(emptyProgress(), `lesson-${n}`, 'step', NOW),
    );
    await Promise.all(states.map((state) => saveProgress(state, { env })));
    const loaded = await loadProgress({ env });
    assert.equal(loaded.warning, undefined);
    assert.deepEqual(
      Object.keys(loaded.progress.lessons).sort(),
      states.map((_, n) => `lesson-${n}`).sort(),
    );
    for (const lesson of Object.values(loaded.progress.lessons))
      assert.deepEqual(Object.keys(lesson.completed), ['step']);
    // No temp file and no lock is left behind.
    assert.deepEqual(readdirSync(dir), ['progress.json']);
    assert.ok(readFileSync(file, 'utf8').endsWith('}\n'));
  });

  test('a file that is not JSON is kept as a backup, progress starts empty, one sentence says so', async () => {
    const { env, dir, file } = stateEnv();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '{"version": 1, "less');
    const loaded = await loadProgress({ env, now: NOW });
    const backup = `${file}.corrupt-20250304T050607Z`;
    assert.deepEqual(loaded.progress, emptyProgress());
    assert.equal(
      loaded.warning,
      `Your progress file ${file} could not be read (it is not valid JSON), so progress starts empty; the old file is kept as ${backup}.`,
    );
    assert.equal(loaded.readOnly, false);
    assert.equal(readFileSync(backup, 'utf8'), '{"version": 1, "less');
    assert.equal(existsSync(file), false);
    // The next save writes a fresh file and keeps the backup.
    await saveProgress(completeStep(loaded.progress, KEY, 'hello', NOW), { env });
    assert.deepEqual(readdirSync(dir).sort(), [
      'progress.json',
      'progress.json.corrupt-20250304T050607Z',
    ]);
  });

  test('a second corrupt file in the same second gets its own backup name', async () => {
    const { env, dir, file } = stateEnv();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, 'first');
    await loadProgress({ env, now: NOW });
    writeFileSync(file, 'second');
    const loaded = await loadProgress({ env, now: NOW });
    assert.match(loaded.warning!, /kept as .*progress\.json\.corrupt-20250304T050607Z-2\.$/);
    assert.equal(readFileSync(`${file}.corrupt-20250304T050607Z`, 'utf8'), 'first');
    assert.equal(readFileSync(`${file}.corrupt-20250304T050607Z-2`, 'utf8'), 'second');
  });

  test('JSON that does not fit the schema is handled the same way, naming the first problem', async () => {
    const { env, dir, file } = stateEnv();
    mkdirSync(dir, { recursive: true });
    const bad = { version: 2, lessons: { 'first-run': { steps: [], startedAt: 'yesterday' } } };
    writeFileSync(file, JSON.stringify(bad));
    const loaded = await loadProgress({ env, now: NOW });
    assert.deepEqual(loaded.progress, emptyProgress());
    assert.equal(
      loaded.warning,
      `Your progress file ${file} could not be read (it does not match the progress format: lessons.first-run.startedAt: Invalid ISO datetime), so progress starts empty; the old file is kept as ${file}.corrupt-20250304T050607Z.`,
    );
    assert.deepEqual(JSON.parse(readFileSync(`${file}.corrupt-20250304T050607Z`, 'utf8')), bad);
  });

  test('a file without a version is not a progress file', async () => {
    const { env, dir, file } = stateEnv();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '[]');
    const loaded = await loadProgress({ env, now: NOW });
    assert.match(loaded.warning!, /\(it does not match the progress format: Invalid input/);
  });

  test('a file from a newer docker-lab is read if it can be, never overwritten, and saving refuses', async () => {
    const { env, dir, file } = stateEnv();
    mkdirSync(dir, { recursive: true });
    const newer = JSON.stringify({
      version: 3,
      lessons: {
        [KEY]: {
          steps: ['version'],
          startedAt: NOW.toISOString(),
          completed: { version: NOW.toISOString() },
          hints: {},
          quizzes: {},
        },
      },
      somethingNew: true,
    });
    writeFileSync(file, newer);
    const loaded = await loadProgress({ env, now: NOW });
    assert.equal(loaded.readOnly, true);
    assert.equal(
      loaded.warning,
      `Your progress file ${file} was written by a newer docker-lab (progress format 3, this one knows 2), so it is left untouched and nothing is saved this session; update docker-lab to keep your progress.`,
    );
    assert.equal(lessonStatus(loaded.progress, lesson).done, 1);
    await assert.rejects(saveProgress(loaded.progress, { env }), {
      name: 'ProgressSaveError',
      reason: 'newer',
      message: `Your progress was not saved: ${file} was written by a newer docker-lab (progress format 3); update docker-lab to keep your progress.`,
    });
    assert.equal(readFileSync(file, 'utf8'), newer);
    assert.deepEqual(readdirSync(dir), ['progress.json']);
  });

  test('saving refuses to overwrite a file it cannot read (it was not moved aside)', async () => {
    const { env, dir, file } = stateEnv();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, 'garbage');
    await assert.rejects(saveProgress(emptyProgress(), { env }), {
      reason: 'unreadable',
      message: `Your progress was not saved: ${file} is not a progress file docker-lab can read, and it is not overwritten; move it away to save progress again.`,
    });
    assert.equal(readFileSync(file, 'utf8'), 'garbage');
  });

  test('an unreadable path is read-only for the session, and a failed write says where and what to do', async () => {
    const { env, dir } = stateEnv();
    mkdirSync(join(dir, 'progress.json'), { recursive: true }); // a folder where the file goes
    const loaded = await loadProgress({ env, now: NOW });
    assert.equal(loaded.readOnly, true);
    assert.equal(
      loaded.warning,
      `Your progress file ${join(dir, 'progress.json')} could not be read (EISDIR), so progress starts empty and nothing is saved this session.`,
    );
    await assert.rejects(saveProgress(emptyProgress(), { env }), (error: Error) => {
      assert.equal(error.name, 'ProgressSaveError');
      assert.match(
        error.message,
        /^Your progress was not saved to .*progress\.json \(E[A-Z]+\); check that the folder is writable, or set DOCKER_LAB_STATE_DIR to another folder\.$/,
      );
      return true;
    });
    assert.deepEqual(readdirSync(dir), ['progress.json']);
  });
});

describe('updating progress (pure)', () => {
  const started = startLesson(emptyProgress(), lesson, NOW);

  test('starting a lesson records its steps and when; starting again changes nothing', () => {
    assert.deepEqual(started.lessons[KEY], {
      steps: ['version', 'hello', 'ubuntu'],
      startedAt: NOW.toISOString(),
      completed: {},
      hints: {},
      quizzes: {},
    });
    assert.deepEqual(startLesson(started, lesson, LATER), started);
  });

  test('helpers never change their argument', () => {
    const before = structuredClone(started);
    completeStep(started, KEY, 'version', NOW);
    setCurrentStep(started, KEY, 'hello', NOW);
    revealHint(started, KEY, 'hello', NOW);
    recordQuizAnswer(started, KEY, { stepId: 'h', quizId: 'q', choices: [1], correct: false }, NOW);
    resetLesson(started, KEY);
    resetAll(started);
    assert.deepEqual(started, before);
  });

  test('completing every step completes the lesson; the first completion time is kept', () => {
    let p = completeStep(started, KEY, 'version', NOW);
    p = completeStep(p, KEY, 'version', LATER);
    assert.equal(p.lessons[KEY]!.completed.version, NOW.toISOString());
    p = completeStep(p, KEY, 'hello', NOW);
    assert.equal(p.lessons[KEY]!.completedAt, undefined);
    p = completeStep(p, KEY, 'ubuntu', LATER);
    assert.equal(p.lessons[KEY]!.completedAt, LATER.toISOString());
    assert.deepEqual(lessonStatus(p, lesson), { done: 3, total: 3, completed: true });
  });

  test('a step of a lesson not started yet starts it', () => {
    const p = completeStep(emptyProgress(), KEY, 'hello', NOW);
    assert.equal(p.lessons[KEY]!.startedAt, NOW.toISOString());
    assert.deepEqual(lessonStatus(p, lesson), { done: 1, total: 3, completed: false });
  });

  test('current step, hints and quiz answers', () => {
    let p = setCurrentStep(started, KEY, 'hello', NOW);
    p = revealHint(p, KEY, 'hello', NOW);
    p = revealHint(p, KEY, 'hello', NOW);
    const answer = { stepId: 'hello', quizId: 'q1', choices: [1, 3], correct: false };
    p = recordQuizAnswer(p, KEY, answer, NOW);
    p = recordQuizAnswer(p, KEY, { ...answer, choices: [2], correct: true }, LATER);
    const entry = p.lessons[KEY]!;
    assert.equal(entry.currentStep, 'hello');
    assert.deepEqual(entry.hints, { hello: 2 });
    assert.deepEqual(entry.quizzes, {
      hello: { q1: { choices: [2], correct: true, attempts: 2, at: LATER.toISOString() } },
    });
    assert.deepEqual(lessonStatus(p, lesson), {
      done: 0,
      total: 3,
      current: 'hello',
      completed: false,
    });
  });

  test('step ids that are also Object.prototype names are ordinary steps', () => {
    const odd = { meta: { id: 'odd', lang: 'en' }, steps: [{ id: 'constructor' }] };
    assert.deepEqual(lessonStatus(emptyProgress(), odd), { done: 0, total: 1, completed: false });
    const p = completeStep(startLesson(emptyProgress(), odd, NOW), 'odd', 'constructor', NOW);
    assert.deepEqual(lessonStatus(p, odd), { done: 1, total: 1, completed: true });
    assert.equal(
      revealHint(emptyProgress(), 'odd', 'toString', NOW).lessons['odd']!.hints.toString,
      1,
    );
  });

  test('reset forgets one lesson or all', () => {
    const two = completeStep(started, 'basics', 'version', NOW);
    assert.deepEqual(Object.keys(resetLesson(two, KEY).lessons), ['basics']);
    assert.equal(resetLesson(two, 'nothing'), two);
    assert.deepEqual(resetAll(two), { version: 2, lessons: {} });
  });

  test('a lesson key is its id: the same lesson in another language shares its progress', () => {
    const zh = { meta: { id: 'first-run', lang: 'zh-CN' }, steps: lesson.steps };
    assert.equal(lessonKey(zh), 'first-run');
    const p = completeStep(started, lessonKey(lesson), 'version', NOW);
    assert.deepEqual(lessonStatus(p, zh), lessonStatus(p, lesson));
    assert.equal(lessonStatus(p, zh).done, 1);
  });
});

describe('a lesson that changed since progress was recorded', () => {
  let before: Progress = startLesson(emptyProgress(), lesson, NOW);
  for (const id of ['version', 'hello', 'ubuntu']) before = completeStep(before, KEY, id, NOW);
  before = setCurrentStep(before, KEY, 'ubuntu', NOW);
  before = revealHint(before, KEY, 'ubuntu', NOW);
  before = recordQuizAnswer(
    before,
    KEY,
    { stepId: 'ubuntu', quizId: 'q', choices: [1], correct: true },
    NOW,
  );
  // The author removed "ubuntu" and added "shell".
  const changed = { ...lesson, steps: [{ id: 'version' }, { id: 'hello' }, { id: 'shell' }] };

  test('status counts only the steps that exist now', () => {
    assert.deepEqual(lessonStatus(before, changed), { done: 2, total: 3, completed: false });
  });

  test('syncing drops progress for steps that no longer exist, and the lesson is no longer complete', () => {
    const after = syncLesson(before, changed);
    assert.deepEqual(after.lessons[KEY], {
      steps: ['version', 'hello', 'shell'],
      startedAt: NOW.toISOString(),
      completed: { version: NOW.toISOString(), hello: NOW.toISOString() },
      hints: {},
      quizzes: {},
    });
  });

  test('starting the changed lesson syncs it too', () => {
    assert.deepEqual(startLesson(before, changed, LATER), syncLesson(before, changed));
  });

  test('syncing a lesson without progress adds nothing', () => {
    const p = emptyProgress();
    assert.equal(syncLesson(p, changed), p);
  });
});
