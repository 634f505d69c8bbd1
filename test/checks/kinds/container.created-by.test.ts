/**
 * `container` with `createdBy`, against the real daemon: only the containers the run's view
 * admits are looked at and counted (the lesson run gives that view from its ledger; verify's
 * end-to-end tests are in test/commands/verify.run-capture.test.ts), and outside a run the check
 * says it cannot be evaluated. Objects here carry a unique image tag and are removed at the end.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { runCheck } from '../../../src/checks/engine.js';
import type { RunCreations } from '../../../src/checks/types.js';
import { makeCheck, makeContext } from '../../helpers/check-context.js';
import { requireDaemon } from '../../helpers/daemon.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../helpers/images.js';
import { uniqueName } from '../../helpers/kind-context.js';

const docker = (...args: string[]): string =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const image = `${uniqueName('dl-created-by-kind')}:latest`;
let learners = '';
let lessons = '';

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  docker('tag', BUSYBOX_IMAGE, image);
  // The lesson's container first, the learner's later: the learner's is the newest.
  lessons = docker('run', '-d', image, 'true');
  docker('wait', lessons);
  learners = docker('run', '-d', image, 'sh', '-c', 'exit 3');
  docker('wait', learners);
});

after(() => {
  for (const id of [learners, lessons]) if (id) docker('rm', '-f', id);
  docker('rmi', image);
});

/** The run's view: the lesson made `lessons` (in this step for `step`, earlier for `lesson`). */
function view(step: string[], lesson: string[]): RunCreations & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async ids(type, scope) {
      asked.push(`${type}:${scope}`);
      return new Set(scope === 'step' ? step : lesson);
    },
  };
}

test('createdBy: lesson looks at and counts only what the run made, not the learner’s newer one', async () => {
  const created = view([], [lessons]);
  const ctx = makeContext({ created });
  const ours = await runCheck(
    makeCheck({
      id: 'c',
      container: { ancestor: image, createdBy: 'lesson', exitCode: 0, count: 1 },
    }),
    ctx,
  );
  assert.equal(ours.pass, true, JSON.stringify(ours.observation.mismatches));
  assert.deepEqual(created.asked, ['container:lesson']);

  const anyone = await runCheck(
    makeCheck({ id: 'c', container: { ancestor: image, exitCode: 0, count: 1 } }),
    ctx,
  );
  assert.deepEqual(
    anyone.observation.mismatches.map((m) => [m.field, m.actual]),
    [
      ['count', 2],
      ['exitCode', 3],
    ],
    'without createdBy the learner’s container is counted and, the newest, looked at',
  );
});

test('createdBy: step admits only what the step made; by name, only a container the run made', async () => {
  const ctx = makeContext({ created: view([], [lessons]) });
  const step = await runCheck(
    makeCheck({ id: 'c', container: { ancestor: image, createdBy: 'step', count: 0 } }),
    ctx,
  );
  assert.equal(step.pass, true, 'nothing was made in this step');
  const named = await runCheck(
    makeCheck({ id: 'c', container: { name: learners, createdBy: 'lesson', exists: false } }),
    ctx,
  );
  assert.equal(named.pass, true, 'the learner’s container, by its id, is not the lesson’s');
});

test('outside a lesson run, a createdBy check cannot be evaluated and says why', async () => {
  const result = await runCheck(
    makeCheck({ id: 'c', container: { ancestor: image, createdBy: 'lesson', count: 1 } }),
    makeContext(),
  );
  assert.equal(result.pass, false);
  assert.match(result.error ?? '', /`createdBy` needs a lesson run/);
});
