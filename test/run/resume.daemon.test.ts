import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectFromEnv, type Engine } from '../../src/docker/client.js';
import { parseLesson } from '../../src/lesson/parser.js';
import type { Lesson } from '../../src/lesson/schema.js';
import type { Progress } from '../../src/progress/schema.js';
import { describeRewind, existsOnDaemon, resumePoint } from '../../src/run/resume.js';
import { Session } from '../../src/ui/session.js';
import { requireDaemon } from '../helpers/daemon.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../helpers/images.js';

/**
 * Resume that is true, against the real dockerd: the fixture lesson's step 2 goes into the
 * container step 1 makes (dl-resume-box). Progress says step 1 is done and the learner was on
 * step 2; the container is gone (cleanup removed it when they left): opening the lesson starts
 * again at step 1 and says why, or makes the container again when the learner says so.
 */
const BOX = 'dl-resume-box';
const root = mkdtempSync(join(tmpdir(), 'docker-lab-resume-'));

function fixture(lang: 'en' | 'zh-CN'): Lesson {
  const path = `fixtures/lessons/resume/${lang}/resume.md`;
  const parsed = parseLesson(path, readFileSync(path, 'utf8'));
  assert.ok(parsed.lesson, JSON.stringify(parsed.diagnostics));
  return parsed.lesson;
}
const en = fixture('en');
const zh = fixture('zh-CN');

const T = '2025-05-06T07:08:09.000Z';
/** Step 1 done, the learner on step 2 (format 2: by lesson id, whatever the language). */
const PROGRESS: Progress = {
  version: 2,
  lessons: {
    resume: {
      steps: ['start', 'look'],
      startedAt: T,
      currentStep: 'look',
      completed: { start: T },
      hints: {},
      quizzes: {},
    },
  },
};

function removeBox(): void {
  try {
    execFileSync('docker', ['rm', '-f', BOX], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // Not there: as wanted.
  }
}

function boxExists(): boolean {
  try {
    execFileSync('docker', ['container', 'inspect', BOX], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

let engine: Engine;
before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  removeBox();
  engine = await connectFromEnv(process.env);
});
after(() => {
  removeBox();
  rmSync(root, { recursive: true, force: true });
});

let counter = 0;
/** A TUI session on the real daemon, with its own state folder and working directory. */
function session(lesson: Lesson, lang: 'en' | 'zh-CN'): Session {
  const state = join(root, `state-${++counter}`);
  const env = { ...process.env, DOCKER_LAB_STATE_DIR: state };
  return new Session({
    lessons: [lesson],
    lang,
    progress: structuredClone(PROGRESS),
    progressOptions: { env },
    readOnlyProgress: false,
    connect: () => connectFromEnv(process.env),
    workdirFor: () => join(root, `work-${counter}`),
    baseEnv: env,
    color: false,
    columns: () => 100,
    handOff: (_banner, work) => work(() => {}),
  });
}

/** Waits until the session shows a prompt (or the lesson has opened without one). */
async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Leaves the lesson, saying yes to removing what it made (when it asks). */
async function leave(s: Session): Promise<void> {
  let left = false;
  const leaving = s.leaveLesson().finally(() => (left = true));
  await until(() => left || s.store.get().prompt !== undefined, 'the cleanup prompt');
  if (!left) s.answer(true);
  await leaving;
}

describe('resuming a lesson whose objects are gone', () => {
  test('the rule, on the daemon: the container gone, back to step 1; there, stay at step 2', async () => {
    const options = {
      workdir: join(root, 'rule'),
      completed: new Set(['start']),
      at: 1,
      exists: existsOnDaemon(engine),
    };
    const rewind = await resumePoint(en, options);
    assert.ok(rewind);
    assert.equal(rewind.index, 0);
    assert.equal(
      describeRewind(rewind, 'en'),
      'dl-resume-box was removed when you left the lesson: starting again at step 1, which creates it.',
    );
    execFileSync('docker', ['run', '-d', '--name', BOX, BUSYBOX_IMAGE, 'sleep', '300'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    try {
      assert.equal(await resumePoint(en, options), undefined);
    } finally {
      removeBox();
    }
  });

  test('opening the lesson starts again at step 1 and says why (n to the offer to make it again)', async () => {
    assert.equal(boxExists(), false);
    const s = session(en, 'en');
    const opening = s.openLesson(0);
    await until(() => s.store.get().prompt !== undefined, 'the offer to make it again');
    const prompt = s.store.get().prompt!;
    assert.equal(
      prompt.title,
      'dl-resume-box was removed when you left the lesson. These commands of step 1 make it again:',
    );
    assert.deepEqual(prompt.items, [
      `step 1: $ docker run -d --name ${BOX} ${BUSYBOX_IMAGE} sleep 300`,
    ]);
    s.answer(false);
    await opening;
    const state = s.store.get();
    assert.equal(state.stepIndex, 0);
    assert.ok(
      state.log.includes(
        '\ndl-resume-box was removed when you left the lesson: starting again at step 1, which creates it.',
      ),
      state.log.join('\n'),
    );
    // Done before, to be done again: Enter runs it instead of moving on.
    assert.equal(state.step.phase, 'idle');
    assert.equal(boxExists(), false, 'nothing was run');
    // Step 1 done again, step 2 passes: the resume was true.
    await s.runStep();
    assert.equal(s.store.get().step.phase, 'passed');
    await s.goStep(1);
    await s.runStep();
    assert.equal(s.store.get().step.phase, 'passed', JSON.stringify(s.store.get().step));
    await leave(s);
    assert.equal(boxExists(), false, 'cleanup removed it');
  });

  test('y to the offer runs step 1 again and goes on at step 2, where the check passes', async () => {
    const s = session(en, 'en');
    const opening = s.openLesson(0);
    await until(() => s.store.get().prompt !== undefined, 'the offer to make it again');
    s.answer(true);
    await opening;
    const state = s.store.get();
    assert.equal(state.stepIndex, 1);
    assert.ok(
      state.log.includes('\nMade dl-resume-box again: going on at step 2.'),
      state.log.join('\n'),
    );
    assert.equal(boxExists(), true);
    await s.runStep();
    assert.equal(s.store.get().step.phase, 'passed', JSON.stringify(s.store.get().step));
    await leave(s);
    assert.equal(boxExists(), false, 'cleanup removed it');
  });

  test('in Chinese the sentence is Chinese, with full-width punctuation', async () => {
    const s = session(zh, 'zh-CN');
    const opening = s.openLesson(0);
    await until(() => s.store.get().prompt !== undefined, 'the offer to make it again');
    assert.equal(
      s.store.get().prompt!.question,
      '按 y 现在运行它们，然后从第 2 步继续；按 n 从第 1 步重新开始。[Y/n]',
    );
    s.answer(false);
    await opening;
    assert.equal(s.store.get().stepIndex, 0);
    assert.ok(
      s.store
        .get()
        .log.includes(
          '\ndl-resume-box 在你离开这一课时被删除了：从第 1 步重新开始，这一步会创建它。',
        ),
    );
    await leave(s);
  });

  test('with the container there, the lesson opens at step 2 without a word', async () => {
    execFileSync('docker', ['run', '-d', '--name', BOX, BUSYBOX_IMAGE, 'sleep', '300'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
    try {
      const s = session(en, 'en');
      await s.openLesson(0);
      const state = s.store.get();
      assert.equal(state.prompt, undefined);
      assert.equal(state.stepIndex, 1);
      assert.ok(
        !state.log.some(
          (line) => typeof line === 'string' && line.includes('removed when you left'),
        ),
      );
      // Not the lesson's this time (made before it opened): leaving leaves it alone.
      await leave(s);
      assert.equal(boxExists(), true);
    } finally {
      removeBox();
    }
  });
});
