/**
 * The ledger's rules as pure functions: which events count as creations, and which image
 * operations undo a lesson without touching the learner's images.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvent, type EngineEvent } from '../../src/docker/events.js';
import { planImageCleanup } from '../../src/docker/image-plan.js';
import type { ImageRow, Inventory } from '../../src/docker/inventory.js';
import {
  emptyRecords,
  liveResources,
  liveTimedResources,
  recordEvent,
  type Records,
} from '../../src/docker/records.js';
import { parseDaemonTime, toTimestamp } from '../../src/docker/daemon-time.js';

function inventory(images: ImageRow[] = [], extra: Partial<Inventory> = {}): Inventory {
  const imageRefs = new Map<string, string>();
  for (const image of images) for (const ref of image.refs) imageRefs.set(ref, image.id);
  return {
    containers: new Set(),
    images: new Map(images.map((image) => [image.id, image])),
    imageRefs,
    volumes: new Set(),
    networks: new Set(),
    services: new Set(),
    secrets: new Set(),
    configs: new Set(),
    ...extra,
  };
}

let clock = 1_000n;
function event(
  type: string,
  action: string,
  id: string,
  attributes: Record<string, string> = {},
): EngineEvent {
  clock += 1n;
  return { type, action, id, attributes, scope: 'local', timeNano: clock };
}

const image = (id: string, refs: string[] = [], parent = '', created = 100): ImageRow => ({
  id: `sha256:${id}`,
  refs,
  parent: parent ? `sha256:${parent}` : '',
  created,
});

function records(fill: (r: Records) => void): Records {
  const r = emptyRecords();
  fill(r);
  return r;
}

test('an event time keeps every nanosecond (JSON numbers would round it)', () => {
  const line =
    '{"Type":"volume","Action":"create","Actor":{"ID":"v","Attributes":{}},"time":1795994718,"timeNano":1795994718008602845}';
  assert.equal(parseEvent(line)?.timeNano, 1795994718008602845n);
  assert.equal(toTimestamp(1795994718008602845n), '1795994718.008602845');
  assert.equal(parseDaemonTime('2026-11-29T23:21:29.4673Z'), 1795994489467300000n);
});

test('only creations are recorded, never objects that existed before, each event once', () => {
  const before = inventory([], { containers: new Set(['old']), volumes: new Set(['mine']) });
  const r = emptyRecords();
  const create = event('container', 'create', 'new', { name: 'web', image: 'busybox' });
  recordEvent(r, create, before);
  recordEvent(r, create, before); // the live stream and the catch-up sweep overlap
  recordEvent(r, event('container', 'create', 'old', { name: 'learner' }), before);
  recordEvent(r, event('volume', 'create', 'mine'), before);
  recordEvent(r, event('container', 'start', 'old', { name: 'learner' }), before);
  recordEvent(r, event('network', 'create', 'n1', { name: 'net' }), before);
  recordEvent(r, event('network', 'destroy', 'n1', { name: 'net' }), before);
  assert.deepEqual(liveResources(r), [{ type: 'container', id: 'new', name: 'web' }]);
});

test('compose projects are recorded from their containers’ labels', () => {
  const r = emptyRecords();
  recordEvent(
    r,
    event('container', 'create', 'c1', { name: 'shop-db-1', 'com.docker.compose.project': 'shop' }),
    inventory(),
  );
  assert.deepEqual(
    liveResources(r).map((resource) => `${resource.type} ${resource.name}`),
    ['compose-project shop', 'container shop-db-1'],
  );
});

test('a new tag on the learner’s image is removed alone; the image stays', () => {
  const mine = image('a', ['mine:1']);
  const plan = planImageCleanup(
    [image('a', ['mine:1', 'lesson:1'])],
    inventory([mine]),
    records((r) => {
      r.imageRefs.add('lesson:1');
      r.imageIds.add('sha256:a');
    }),
    0,
  );
  assert.deepEqual(plan, [{ kind: 'untag', ref: 'lesson:1', id: 'sha256:a' }]);
});

test('a learner’s untagged image keeps the lesson’s tag rather than be deleted with it', () => {
  const plan = planImageCleanup(
    [image('a', ['lesson:1'])],
    inventory([image('a')]),
    records((r) => {
      r.imageRefs.add('lesson:1');
    }),
    0,
  );
  assert.equal(plan.length, 1);
  assert.equal(plan[0]!.kind, 'keep');
});

test('a moved learner tag goes back, then the lesson’s image goes', () => {
  const plan = planImageCleanup(
    [image('a'), image('b', ['app:1'], '', 200)],
    inventory([image('a', ['app:1'])]),
    records((r) => r.imageRefs.add('app:1')),
    150,
  );
  assert.deepEqual(plan, [
    { kind: 'restore-tag', ref: 'app:1', id: 'sha256:a' },
    { kind: 'remove', id: 'sha256:b', name: 'b' },
  ]);
});

test('a moved learner tag whose image is gone keeps the lesson’s image', () => {
  const plan = planImageCleanup(
    [image('b', ['app:1'])],
    inventory([image('a', ['app:1'])]),
    records((r) => r.imageRefs.add('app:1')),
    0,
  );
  assert.deepEqual(
    plan.map((action) => action.kind),
    ['keep'],
  );
});

test('new images go newest first, tags before ids, then their untagged build layers, never a base that existed', () => {
  const base = image('base', ['busybox:latest'], '', 10);
  const current = [
    base,
    image('l1', [], 'base', 200),
    image('app', ['app:1', 'app:2'], 'l1', 200),
    image('child', ['child:1'], 'app', 300),
  ];
  const plan = planImageCleanup(
    current,
    inventory([base]),
    records((r) => {
      r.imageRefs.add('app:1').add('app:2').add('child:1');
    }),
    150,
  );
  assert.deepEqual(plan, [
    { kind: 'remove', id: 'sha256:child', name: 'child:1' },
    { kind: 'untag', ref: 'app:2', id: 'sha256:app' },
    { kind: 'remove', id: 'sha256:app', name: 'app:1' },
    { kind: 'remove', id: 'sha256:l1', name: 'l1' },
  ]);
});

test('an untagged build is found through its step containers’ parent image', () => {
  const base = image('base', ['busybox:latest'], '', 10);
  const plan = planImageCleanup(
    [base, image('out', [], 'base', 200)],
    inventory([base]),
    records((r) => {
      r.buildParents.add('sha256:base');
    }),
    150,
  );
  assert.deepEqual(plan, [{ kind: 'remove', id: 'sha256:out', name: 'out' }]);
});

test('tags a `docker load` put on an existing image are removed though no tag event named them', () => {
  const mine = image('a', ['mine:1']);
  const plan = planImageCleanup(
    [image('a', ['mine:1', 'loaded:1'])],
    inventory([mine]),
    records((r) => {
      r.imageIds.add('sha256:a');
      r.loadedIds.add('sha256:a');
    }),
    0,
  );
  assert.deepEqual(plan, [{ kind: 'untag', ref: 'loaded:1', id: 'sha256:a' }]);
});

test('each creation is kept with its event time, for checks scoped to a step', () => {
  const r = emptyRecords();
  const first = event('container', 'create', 'c1', { name: 'one' });
  const second = event('container', 'create', 'c2', { name: 'two' });
  recordEvent(r, first, inventory());
  recordEvent(r, second, inventory());
  assert.deepEqual(
    liveTimedResources(r).map((x) => [x.id, x.at]),
    [
      ['c1', first.timeNano],
      ['c2', second.timeNano],
    ],
  );
  assert.deepEqual(liveResources(r), [
    { type: 'container', id: 'c1', name: 'one' },
    { type: 'container', id: 'c2', name: 'two' },
  ]);
});
