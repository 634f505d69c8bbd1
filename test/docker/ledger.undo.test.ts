/**
 * `Ledger.mark` / `undo`: verify's near misses are undone by identity, removing only what was
 * recorded after the mark; what the lesson made before it and what the learner had stay.
 *
 * The daemon is shared with other test files: every object carries a random suffix, the ledger
 * accepts only events naming it, and assertions look only at those objects.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { startLedger } from '../../src/docker/ledger.js';

const exec = promisify(execFile);
const docker = async (...args: string[]) => (await exec('docker', args)).stdout.trim();
const exists = async (...args: string[]) =>
  exec('docker', args).then(
    () => true,
    () => false,
  );

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
});

test('undo removes what was made after the mark, in order, and nothing else', async () => {
  const tag = randomBytes(4).toString('hex');
  const name = (what: string) => `dl-undo-${what}-${tag}`;
  // The learner's, from before the lesson: named like the lesson's objects, never touched.
  await docker('volume', 'create', name('learner'));
  const ledger = await startLedger(new Dockerode(), {
    accept: (event) =>
      event.id.includes(tag) || Object.values(event.attributes).some((v) => v.includes(tag)),
  });
  try {
    // The lesson's, before the near miss.
    await docker('volume', 'create', name('lesson'));
    const mark = await ledger.mark();
    // The near miss: a container using both volumes, a volume and a network of its own.
    await docker('network', 'create', name('net'));
    await docker(
      'run',
      '-d',
      '--name',
      name('box'),
      '--network',
      name('net'),
      '-v',
      `${name('lesson')}:/a`,
      '-v',
      `${name('learner')}:/b`,
      '-v',
      `${name('own')}:/c`,
      'docker-lab-test/busybox:latest',
      'sleep',
      '600',
    );
    const undone = await ledger.undo(mark);
    assert.deepEqual(undone.failed, []);
    assert.deepEqual(
      undone.removed.map((r) => `${r.type} ${r.name}`),
      [`container ${name('box')}`, `network ${name('net')}`, `volume ${name('own')}`],
    );
    assert.equal(await exists('container', 'inspect', name('box')), false);
    assert.equal(await exists('network', 'inspect', name('net')), false);
    assert.equal(await exists('volume', 'inspect', name('own')), false);
    assert.equal(await exists('volume', 'inspect', name('lesson')), true);
    assert.equal(await exists('volume', 'inspect', name('learner')), true);
    // The lesson's own cleanup still knows its volume, and not the near miss's gone objects.
    assert.deepEqual(
      ledger.created().map((r) => `${r.type} ${r.name}`),
      [`volume ${name('lesson')}`],
    );
    const cleanup = await ledger.cleanup();
    assert.deepEqual(
      cleanup.removed.map((r) => `${r.type} ${r.name}`),
      [`volume ${name('lesson')}`],
    );
  } finally {
    await ledger.stop();
    for (const args of [
      ['rm', '-f', name('box')],
      ['network', 'rm', name('net')],
      ['volume', 'rm', name('own'), name('lesson')],
    ])
      await exec('docker', args).catch(() => undefined);
    await docker('volume', 'rm', name('learner'));
  }
});
