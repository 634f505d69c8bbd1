/**
 * The warm slot's rule, with fake sandboxes (pure logic: which sandbox the next lesson gets).
 * Against a real sandbox daemon: pool.daemon.test.ts and test/commands/verify.sandbox.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine } from '../../src/docker/client.js';
import { leftovers, WarmSlot, type DaemonListing } from '../../src/sandbox/pool.js';

const empty = (): DaemonListing => ({
  containers: [],
  volumes: [],
  networks: ['bridge-id', 'host-id', 'none-id'],
  images: [],
  plugins: [],
  buildCache: [],
  swarm: 'inactive',
});

/** A fake sandbox: its daemon's state is a listing the test changes, as a lesson would. */
class FakeBox {
  readonly daemon = {} as Engine;
  state = empty();
  removed = false;
  answers = true;
  loads: string[][] = [];
  constructor(readonly n: number) {}
  loadImages(refs: readonly string[]): Promise<string[]> {
    this.loads.push([...refs]);
    this.state.images.push(...refs.map((ref) => `sha256:${ref}`));
    return Promise.resolve([...refs]);
  }
  remove(): Promise<void> {
    this.removed = true;
    return Promise.resolve();
  }
}

function slotOfFakes() {
  const boxes: FakeBox[] = [];
  const slot = new WarmSlot<FakeBox>({
    start: async (images) => {
      const box = new FakeBox(boxes.length + 1);
      boxes.push(box);
      await box.loadImages(images);
      return box;
    },
    lacking: (box, refs) =>
      Promise.resolve(refs.filter((ref) => !box.state.images.includes(`sha256:${ref}`))),
    listing: (box) => {
      if (!box.answers) return Promise.reject(new Error('connect ECONNREFUSED'));
      return Promise.resolve(structuredClone(box.state));
    },
    discard: (box) => void box.remove(),
  });
  return { slot, boxes };
}

describe('WarmSlot: a sandbox is reused only when it is provably clean', () => {
  test('a clean lesson: the next lesson gets the same sandbox, and only the images it lacks are loaded', async () => {
    const { slot, boxes } = slotOfFakes();
    const first = await slot.acquire(['hello-world', 'busybox']);
    assert.deepEqual(await slot.release({ clean: true }), { kept: true });
    const second = await slot.acquire(['ubuntu', 'busybox']);
    assert.equal(second, first);
    assert.deepEqual(first.loads, [['hello-world', 'busybox'], ['ubuntu']]);
    assert.equal(first.removed, false);
    assert.equal(boxes.length, 1);
    assert.deepEqual([slot.started, slot.reused], [1, 1]);
  });

  test('images loaded for the next lesson are part of its baseline, not leftovers', async () => {
    const { slot } = slotOfFakes();
    await slot.acquire(['busybox']);
    await slot.release({ clean: true });
    await slot.acquire(['mysql']);
    assert.deepEqual(await slot.release({ clean: true }), { kept: true });
  });

  for (const [what, leave] of [
    ['a volume made through the API', (s: DaemonListing) => s.volumes.push('made-by-curl')],
    ['a container never removed', (s: DaemonListing) => s.containers.push('c0ffee')],
    ['a network', (s: DaemonListing) => s.networks.push('net-id')],
    ['an image the lesson built', (s: DaemonListing) => s.images.push('sha256:built')],
    [
      'a new tag on a loaded image',
      (s: DaemonListing) => s.images.push('sha256:busybox mine:latest'),
    ],
    ['a plugin', (s: DaemonListing) => s.plugins.push('plugin-id')],
    ['build cache', (s: DaemonListing) => s.buildCache.push('cache-id')],
    ['a swarm still active', (s: DaemonListing) => (s.swarm = 'active')],
  ] as const) {
    test(`the lesson left ${what}: the sandbox is removed and the next lesson gets a fresh one`, async () => {
      const { slot, boxes } = slotOfFakes();
      const first = await slot.acquire(['busybox']);
      leave(first.state);
      const released = await slot.release({ clean: true });
      assert.equal(released.kept, false);
      assert.ok(first.removed);
      const second = await slot.acquire(['busybox']);
      assert.notEqual(second, first);
      assert.deepEqual(second.state.volumes, []);
      assert.equal(boxes.length, 2);
    });
  }

  test('what a lesson removed is no leftover: an image it lacks is loaded again', async () => {
    const { slot } = slotOfFakes();
    const box = await slot.acquire(['hello-world']);
    box.state.images = [];
    assert.deepEqual(await slot.release({ clean: true }), { kept: true });
    assert.equal(await slot.acquire(['hello-world']), box);
    assert.deepEqual(box.loads, [['hello-world'], ['hello-world']]);
  });

  test('a lesson that failed or was interrupted: never reused, even when nothing is left', async () => {
    const { slot } = slotOfFakes();
    const first = await slot.acquire(['busybox']);
    const released = await slot.release({ clean: false });
    assert.deepEqual(released, { kept: false, why: 'the lesson did not end cleanly' });
    assert.ok(first.removed);
    assert.notEqual(await slot.acquire(['busybox']), first);
  });

  test('a daemon that does not answer after the lesson: removed', async () => {
    const { slot } = slotOfFakes();
    const first = await slot.acquire(['busybox']);
    first.answers = false;
    const released = await slot.release({ clean: true });
    assert.equal(released.kept, false);
    assert.match((released as { why: string }).why, /does not answer: connect ECONNREFUSED/);
    assert.ok(first.removed);
  });

  test('a warm sandbox that stops answering before the next lesson: a fresh one instead', async () => {
    const { slot } = slotOfFakes();
    const first = await slot.acquire(['busybox']);
    await slot.release({ clean: true });
    first.answers = false;
    const second = await slot.acquire(['busybox']);
    assert.notEqual(second, first);
    assert.ok(first.removed);
    assert.deepEqual([slot.started, slot.reused], [2, 0]);
  });

  test('holds: the images given to the warm sandbox so far, forgotten with it', async () => {
    const { slot } = slotOfFakes();
    assert.equal(slot.holds([]), false, 'no sandbox yet holds nothing');
    await slot.acquire(['hello-world', 'busybox']);
    await slot.release({ clean: true });
    await slot.acquire(['ubuntu']);
    assert.equal(slot.holds(['busybox', 'ubuntu']), true);
    assert.equal(slot.holds(['mysql:8.4', 'busybox']), false);
    await slot.release({ clean: false });
    assert.equal(slot.holds(['busybox']), false, 'a sandbox let go takes its images with it');
    await slot.acquire(['mysql:8.4']);
    assert.equal(slot.holds(['busybox']), false, 'the fresh one holds only what it was given');
    assert.equal(slot.holds(['mysql:8.4']), true);
  });

  test('close lets the warm sandbox go', async () => {
    const { slot } = slotOfFakes();
    const box = await slot.acquire([]);
    await slot.release({ clean: true });
    slot.close();
    assert.ok(box.removed);
  });
});

describe('leftovers', () => {
  test('names each new object by kind and id; nothing new is empty', () => {
    const before = empty();
    assert.deepEqual(leftovers(before, empty()), []);
    const after = { ...empty(), volumes: ['v1'], images: ['sha256:x'] };
    assert.deepEqual(leftovers(before, after), ['volume v1', 'image sha256:x']);
  });
  test('a swarm that is not inactive is a leftover even if it was so before', () => {
    const active = { ...empty(), swarm: 'active' };
    assert.deepEqual(leftovers(active, active), ['swarm active (was active)']);
  });
});
