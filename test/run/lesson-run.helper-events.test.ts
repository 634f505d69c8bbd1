/**
 * A lesson run tells its view about the daemon's events (the TUI re-checks the step on them),
 * but not about docker-lab's own helper containers: an `image` check's never-started probe
 * comes and goes on every attempt, and re-checking on it would probe again, without end.
 *
 * On a private Docker-in-Docker daemon: the shared one has other people's events at any time.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { connectFromEnv } from '../../src/docker/client.js';
import { readImageFile } from '../../src/docker/image-file.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { LessonRun } from '../../src/run/lesson-run.js';
import { requireDaemon } from '../helpers/daemon.js';
import { startDind } from '../helpers/dind.js';
import { ensureBusyboxImage, TEST_LABEL } from '../helpers/images.js';
import { uniqueName } from '../helpers/kind-context.js';

const exec = promisify(execFile);
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

const LESSON = `---
id: helper-events
title: Helper events
lang: en
---
# Helper events

## Nothing {#nothing}

\`\`\`sh
true
\`\`\`
`;

test('events of helper containers do not reach onDockerEvent; others do', async (t) => {
  await requireDaemon();
  const image = await ensureBusyboxImage();
  const dind = await startDind();
  t.after(() => dind.remove());
  const inner = { ...process.env, ...dind.env };
  // The lesson's image, and the one docker-lab's bridge helper runs on a daemon this far away.
  const load = Object.entries(dind.env)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  await exec('sh', ['-c', `docker save ${image} busybox:latest | env ${load} docker load -q`], {
    timeout: 300_000,
  });
  const parsed = parseLesson('helper-events.md', LESSON);
  assert.ok(parsed.lesson, JSON.stringify(parsed.diagnostics));
  const state = await mkdtemp(join(tmpdir(), 'dl-cc-run-'));
  t.after(() => rm(state, { recursive: true, force: true }));
  const engine = await connectFromEnv(inner);
  let events = 0;
  const run = await LessonRun.start({
    lesson: parsed.lesson,
    engine,
    mode: 'verify',
    workdir: join(state, 'work'),
    lang: 'en',
    baseEnv: { ...inner, XDG_STATE_HOME: state },
    journal: false,
    onDockerEvent: () => (events += 1),
  });
  try {
    await readImageFile(engine.docker, image, '/bin/busybox', {
      signal: AbortSignal.timeout(30_000),
      content: false,
    });
    await settle();
    assert.equal(events, 0, 'the probe (create, destroy) is not an event for the view');

    const name = uniqueName('dl-cc-other');
    await exec(
      'docker',
      ['create', '--name', name, '--label', `${TEST_LABEL}=true`, image, 'true'],
      {
        env: inner,
      },
    );
    await settle();
    assert.ok(events > 0, 'any other container is');
  } finally {
    await run.finish();
  }
});
