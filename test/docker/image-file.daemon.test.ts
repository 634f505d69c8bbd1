/**
 * Reading a file inside an image without running it, against the real daemon: files,
 * directories, symbolic links, images without CMD or ENTRYPOINT, missing paths and images, and
 * the never-started container removed every time, also when the read is cancelled midway.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { IMAGE_FILE_LABEL, readImageFile } from '../../src/docker/image-file.js';
import { HELPER_LABEL } from '../../src/docker/helper.js';
import { statusOf } from '../../src/docker/engine-error.js';
import { followEvents } from '../../src/docker/events.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import {
  buildScratchImage,
  removeImage,
  SCRATCH_CONTENT,
  SCRATCH_FILE,
} from '../helpers/scratch-image.js';

const docker = new Dockerode();
let busybox = '';
let scratch = '';

/** Probe containers on the daemon now (any test's: none may outlive its read). */
async function probes(): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [IMAGE_FILE_LABEL] } });
  return list.map((c) => c.Id);
}

const read = (image: string, path: string, content = true) =>
  readImageFile(docker, image, path, { signal: AbortSignal.timeout(60_000), content });

before(async () => {
  await requireDaemon();
  busybox = await ensureBusyboxImage();
  scratch = await buildScratchImage();
});
after(() => removeImage(scratch));

test('a file: its content and mode, from an image with no CMD or ENTRYPOINT', async () => {
  assert.deepEqual(await read(scratch, SCRATCH_FILE), {
    path: SCRATCH_FILE,
    type: 'file',
    mode: 0o640,
    content: SCRATCH_CONTENT,
  });
  assert.deepEqual(await read(scratch, SCRATCH_FILE, false), {
    path: SCRATCH_FILE,
    type: 'file',
    mode: 0o640,
  });
  assert.deepEqual(await probes(), []);
});

test('a directory has no content; a symbolic link is followed inside the image', async () => {
  const dir = await read(scratch, '/greeting');
  assert.equal(dir?.type, 'directory');
  assert.equal(dir?.content, undefined);
  // The test busybox installs its applets as links: /bin/sh -> busybox.
  const sh = await read(busybox, '/bin/sh', false);
  assert.deepEqual(sh, { path: '/bin/busybox', type: 'file', mode: 0o755 });
  assert.deepEqual(await probes(), []);
});

test('a missing path is undefined; a missing image is the Engine’s 404', async () => {
  assert.equal(await read(scratch, '/no/such/file'), undefined);
  const error = await read('dl-cc-no-such-image:never', '/etc/hostname').catch((e: unknown) => e);
  assert.equal(statusOf(error), 404);
  assert.deepEqual(await probes(), []);
});

test('the probe is never started, carries the helper label, and is removed', async () => {
  const since = BigInt(Date.now()) * 1_000_000n;
  const seen: { action: string; helper?: string }[] = [];
  const stop = new AbortController();
  const follower = followEvents(docker, {
    since,
    filters: { type: ['container'], label: [IMAGE_FILE_LABEL] },
    signal: stop.signal,
    onEvent: (event) => seen.push({ action: event.action, helper: event.attributes[HELPER_LABEL] }),
  });
  await follower.connected;
  await read(busybox, '/bin/busybox', false);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  stop.abort();
  const actions = seen.map((e) => e.action);
  assert.ok(actions.includes('create'), actions.join(' '));
  assert.ok(actions.includes('destroy'), actions.join(' '));
  assert.ok(!actions.includes('start'), actions.join(' '));
  assert.ok(seen.every((e) => e.helper === 'true'));
});

test('cancelled midway (on its create), the read rejects and removes its container', async () => {
  const outcomes: string[] = [];
  for (let round = 0; round < 3; round += 1) {
    const cancel = new AbortController();
    const stop = new AbortController();
    const follower = followEvents(docker, {
      since: BigInt(Date.now()) * 1_000_000n,
      filters: { type: ['container'], label: [IMAGE_FILE_LABEL], event: ['create'] },
      signal: stop.signal,
      onEvent: () => cancel.abort(),
    });
    await follower.connected;
    const outcome = await readImageFile(docker, busybox, '/bin', {
      signal: cancel.signal,
      content: false,
    }).then(
      () => 'read',
      (error: unknown) => (error as Error).name,
    );
    stop.abort();
    // The event may come after the read already finished: then there was nothing to cancel.
    outcomes.push(outcome);
    assert.ok(['AbortError', 'read'].includes(outcome), outcome);
    assert.deepEqual(await probes(), [], `round ${round}: ${outcome}`);
  }
  assert.ok(outcomes.includes('AbortError'), `never cancelled midway: ${outcomes.join(', ')}`);
  // Cancelled before it began: nothing is created, nothing is left.
  const error = await readImageFile(docker, busybox, '/bin', {
    signal: AbortSignal.abort(),
    content: false,
  }).catch((e: unknown) => e);
  assert.ok(error instanceof Error);
  assert.deepEqual(await probes(), []);
});
