/**
 * The warm slot's listing against a real sandbox daemon: what a lesson can leave there without
 * the lesson's ledger knowing (made through the API, a new tag, a swarm) is seen by identity,
 * and once it is gone the sandbox is as clean as its baseline. The outer daemon ends as it began.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectFromEnv } from '../../src/docker/client.js';
import { daemonListing as sandboxListing, leftovers, WarmSlot } from '../../src/sandbox/pool.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { missingImages } from '../../src/images/status.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';
import { ensureSandboxImage, TEST_ENGINE } from '../helpers/sandbox.js';

let outerBefore: ReturnType<typeof daemonListing>;
before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  await ensureSandboxImage();
  outerBefore = daemonListing();
});
after(() => {
  assert.deepEqual(daemonListing(), outerBefore);
});

describe('a warm sandbox against its real daemon', () => {
  test('objects a lesson cannot know as its own are leftovers until they are gone; a swarm is one', async () => {
    const outer = await connectFromEnv(process.env);
    const removals: Promise<void>[] = [];
    const slot = new WarmSlot<Sandbox>({
      start: (images) =>
        Sandbox.start({ outer, engine: TEST_ENGINE, purpose: 'pool-test', images }),
      lacking: (box, refs) => missingImages(box.daemon, refs),
      discard: (box) => void removals.push(box.remove()),
    });
    try {
      const box = await slot.acquire(['busybox:latest']);
      const inner = box.daemon.docker;
      const baseline = await sandboxListing(box.daemon);
      assert.equal(baseline.swarm, 'inactive');
      assert.ok(baseline.images.some((entry) => entry.endsWith(' busybox:latest')));

      // Made straight through the Engine API, as `curl --unix-socket` would.
      const volume = `dl-pool-${process.pid}`;
      await inner.createVolume({ Name: volume });
      await inner.getImage('busybox:latest').tag({ repo: 'dl-pool-tag', tag: 'v1' });
      const container = await inner.createContainer({ Image: 'busybox:latest', Cmd: ['true'] });
      const dirty = leftovers(baseline, await sandboxListing(box.daemon));
      assert.deepEqual(
        dirty.map((entry) => entry.replace(/ (sha256:)?[0-9a-f]{12,}/, ' ID')).sort(),
        ['container ID', 'image ID dl-pool-tag:v1', `volume ${volume}`],
      );
      await container.remove();
      await inner.getImage('dl-pool-tag:v1').remove();
      await inner.getVolume(volume).remove();
      assert.deepEqual(leftovers(baseline, await sandboxListing(box.daemon)), []);
      assert.deepEqual(await slot.release({ clean: true }), { kept: true });

      // The same sandbox comes back for the next lesson, busybox already in.
      assert.equal(await slot.acquire(['busybox:latest']), box);
      await inner.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
      const released = await slot.release({ clean: true });
      assert.equal(released.kept, false);
      assert.match((released as { why: string }).why, /swarm active \(was inactive\)/);
      assert.deepEqual([slot.started, slot.reused], [1, 1]);
    } finally {
      slot.close();
      await Promise.all(removals);
    }
  });
});
