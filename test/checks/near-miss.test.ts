/** Near misses: which names are a slip for the one a check looks for. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedName, isNear } from '../../src/checks/near-miss.js';
import type { Check } from '../../src/checks/schema.js';

test('separators and case do not count; a couple of typos do', () => {
  assert.ok(isNear('dl-hello', 'dl_hello'));
  assert.ok(isNear('dl-hello', 'DL-Hello'));
  assert.ok(isNear('dl-mysql', 'dl-mysq'));
  assert.ok(isNear('dl-mysql', 'dl-mysal'));
});

test('the name itself and names far from it are not near', () => {
  assert.ok(!isNear('dl-hello', 'dl-hello'));
  assert.ok(!isNear('dl-hello', 'my-database'));
  // Short names allow one edit only: "db" is not a slip for "web".
  assert.ok(!isNear('web', 'db'));
});

test('checks by name of a container, volume, network or image have an expected name', () => {
  const check = (kind: string, spec: Record<string, unknown>) => ({ kind, spec }) as Check;
  assert.deepEqual(expectedName(check('container', { name: 'dl-hello' })), {
    type: 'container',
    name: 'dl-hello',
  });
  assert.deepEqual(expectedName(check('image', { name: 'dl-app:1.0' })), {
    type: 'image',
    name: 'dl-app',
  });
  assert.equal(expectedName(check('output', { stdout: 'x' })), undefined);
  assert.equal(expectedName(check('container', { ancestor: 'busybox' })), undefined);
});
