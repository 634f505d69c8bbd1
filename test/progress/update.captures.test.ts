/** Captured values kept with a lesson's progress, for a lesson resumed at a later step. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { emptyProgress } from '../../src/progress/schema.js';
import { loadProgress, saveProgress } from '../../src/progress/store.js';
import {
  mergeProgress,
  recordCaptures,
  resetLesson,
  startLesson,
} from '../../src/progress/update.js';

const NOW = new Date('2025-03-04T05:06:07.890Z');
const lesson = {
  meta: { id: 'networking', lang: 'en' },
  steps: [{ id: 'start' }, { id: 'fetch' }],
};
const root = mkdtempSync(join(tmpdir(), 'docker-lab-captures-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('captures are kept per lesson, later values replacing earlier ones, and survive a save', async () => {
  let progress = startLesson(emptyProgress(), lesson, NOW);
  progress = recordCaptures(progress, 'networking', { IP: '172.17.0.2', WEB_ID: 'abc' }, NOW);
  progress = recordCaptures(progress, 'networking', { IP: '172.17.0.3' }, NOW);
  assert.deepEqual(progress.lessons.networking!.captures, { IP: '172.17.0.3', WEB_ID: 'abc' });

  const options = { env: { DOCKER_LAB_STATE_DIR: join(root, 'state') } };
  await saveProgress(progress, options);
  const loaded = await loadProgress(options);
  assert.deepEqual(loaded.progress.lessons.networking!.captures, {
    IP: '172.17.0.3',
    WEB_ID: 'abc',
  });
  assert.equal(resetLesson(progress, 'networking').lessons.networking, undefined);
});

test('two processes’ captures merge, ours winning a name both have', () => {
  const base = startLesson(emptyProgress(), lesson, NOW);
  const theirs = recordCaptures(base, 'networking', { IP: 'theirs', ONLY_THEIRS: '1' }, NOW);
  const ours = recordCaptures(base, 'networking', { IP: 'ours' }, NOW);
  assert.deepEqual(mergeProgress(theirs, ours).lessons.networking!.captures, {
    IP: 'ours',
    ONLY_THEIRS: '1',
  });
});
