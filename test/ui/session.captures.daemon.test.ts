/**
 * A lesson resumed at a later step still has the values its earlier steps captured: the TUI
 * keeps them with the learner's progress, shows the step's command with them and runs it so
 * (against the real daemon, as every lesson run).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connectFromEnv } from '../../src/docker/client.js';
import { parseLesson } from '../../src/lesson/parser.js';
import type { Progress } from '../../src/progress/schema.js';
import { loadProgress } from '../../src/progress/store.js';
import { Session } from '../../src/ui/session.js';
import { requireDaemon } from '../helpers/daemon.js';

const path = 'fixtures/lessons/run-capture/resume-captures.md';
const parsed = parseLesson(path, readFileSync(path, 'utf8'));
const root = mkdtempSync(join(tmpdir(), 'docker-lab-resume-captures-'));
before(() => requireDaemon());
after(() => rmSync(root, { recursive: true, force: true }));

const T = '2025-05-06T07:08:09.000Z';

function session(progress: Progress, state: string): Session {
  const env = { ...process.env, DOCKER_LAB_STATE_DIR: state };
  return new Session({
    lessons: [parsed.lesson!],
    lang: 'en',
    progress,
    progressOptions: { env },
    readOnlyProgress: false,
    connect: () => connectFromEnv(process.env),
    workdirFor: () => join(root, 'work'),
    baseEnv: env,
    color: false,
    columns: () => 100,
    handOff: (_banner, work) => work(() => {}),
  });
}

test('step 2 of a resumed lesson is shown and run with the value step 1 captured', async () => {
  assert.ok(parsed.lesson, JSON.stringify(parsed.diagnostics));
  const s = session(
    {
      version: 2,
      lessons: {
        'resume-captures': {
          steps: ['say', 'use'],
          startedAt: T,
          currentStep: 'use',
          completed: { say: T },
          hints: {},
          quizzes: {},
          captures: { GREETING: 'hello-captured' },
        },
      },
    },
    join(root, 'state-resumed'),
  );
  await s.openLesson(0);
  assert.equal(s.store.get().stepIndex, 1);
  const step = s.currentStep!;
  assert.equal(s.shownScript(step.commands[0]!.script), 'echo "got hello-captured"');
  await s.runStep();
  assert.equal(s.store.get().step.phase, 'passed', JSON.stringify(s.store.get().step));
  await s.leaveLesson();
});

test('a value captured while the learner runs step 1 is saved with their progress', async () => {
  const state = join(root, 'state-fresh');
  const s = session({ version: 2, lessons: {} }, state);
  await s.openLesson(0);
  assert.equal(s.store.get().stepIndex, 0);
  await s.runStep();
  assert.equal(s.store.get().step.phase, 'passed', JSON.stringify(s.store.get().step));
  await s.leaveLesson();
  const saved = await loadProgress({ env: { DOCKER_LAB_STATE_DIR: state } });
  assert.deepEqual(saved.progress.lessons['resume-captures']?.captures, {
    GREETING: 'hello-captured',
  });
});
