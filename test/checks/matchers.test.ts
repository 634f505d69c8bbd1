import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMatcher, looselyEqual, matches } from '../../src/checks/matchers.js';

test('a bare value means equals; lists and maps compare deeply', () => {
  assert.equal(matches('running', 'running'), true);
  assert.equal(matches('running', 'exited'), false);
  assert.equal(matches(true, true), true);
  assert.equal(matches(true, 'true'), false, 'booleans are not text');
  assert.equal(matches(null, null), true);
  assert.equal(matches(['top', '-b'], ['top', '-b']), true);
  assert.equal(matches(['top', '-b'], ['-b', 'top']), false, 'lists keep their order');
  assert.equal(matches({ equals: { a: '1', b: '2' } }, { b: '2', a: '1' }), true);
  assert.equal(matches({ equals: { a: '1' } }, { a: '1', b: '2' }), false);
});

test('equality is loose between a number and the same number written as text', () => {
  assert.equal(looselyEqual(1, '1'), true);
  assert.equal(looselyEqual('2', 2), true);
  assert.equal(looselyEqual(67108864, '67108864'), true);
  assert.equal(looselyEqual(1.5, '1.50'), true);
  assert.equal(looselyEqual(1, '1a'), false);
  assert.equal(looselyEqual(0, ''), false, 'empty text is not zero');
  assert.equal(looselyEqual(['1', 2], [1, '2']), true, 'element by element in lists');
  assert.equal(matches('2', 2), true, 'cgroupVersion: "2" matches a numeric 2');
  assert.equal(matches({ equals: 3 }, '3'), true);
});

test('contains: a substring of text, or an element of a list', () => {
  assert.equal(matches({ contains: 'Hello' }, 'Hello from Docker!'), true);
  assert.equal(matches({ contains: 'hello' }, 'Hello from Docker!'), false, 'case-sensitive');
  assert.equal(matches({ contains: 'bridge' }, ['bridge', 'dl-net']), true);
  assert.equal(matches({ contains: 'bri' }, ['bridge']), false, 'elements must be equal');
  assert.equal(matches({ contains: 3306 }, ['3306']), true, 'loose element equality');
  assert.equal(matches({ contains: '0' }, 404), true, 'a number is read as its text');
  assert.equal(matches({ contains: 'x' }, undefined), false);
});

test('matches: a JavaScript regular expression, multi-line', () => {
  assert.equal(matches({ matches: '^ready$' }, 'starting\nready\n'), true);
  assert.equal(matches({ matches: '^1\\.\\d+$' }, '1.41'), true);
  assert.equal(matches({ matches: 'x' }, ['x']), false, 'not for lists');
});

test('startsWith and endsWith', () => {
  assert.equal(matches({ startsWith: '80/tcp->' }, '80/tcp->0.0.0.0:8080'), true);
  assert.equal(matches({ endsWith: ':8080' }, '80/tcp->0.0.0.0:8080'), true);
  assert.equal(matches({ startsWith: 'x' }, null), false);
});

test('gt, gte, lt, lte compare numbers, also numbers written as text', () => {
  assert.equal(matches({ gt: 2 }, 3), true);
  assert.equal(matches({ gt: 3 }, 3), false);
  assert.equal(matches({ gte: 3 }, 3), true);
  assert.equal(matches({ lt: 3 }, '2'), true);
  assert.equal(matches({ lte: 2 }, 2), true);
  assert.equal(matches({ gt: 0 }, 'many'), false);
  assert.equal(matches({ gte: 1, lt: 10 }, 5), true, 'all keys of one object must hold');
  assert.equal(matches({ gte: 1, lt: 10 }, 10), false);
});

test('containsElement: some element satisfies the inner matcher', () => {
  const ports = ['3306/tcp->127.0.0.1:3306', '33060/tcp->127.0.0.1:33060'];
  assert.equal(matches({ containsElement: { startsWith: '3306/tcp' } }, ports), true);
  assert.equal(matches({ containsElement: { endsWith: ':8080' } }, ports), false);
  assert.equal(matches({ containsElement: 'x' }, 'xyz'), false, 'only lists have elements');
});

test('length: of text, lists and maps', () => {
  assert.equal(matches({ length: 2 }, ['a', 'b']), true);
  assert.equal(matches({ length: { gte: 3 } }, 'abc'), true);
  assert.equal(matches({ length: 0 }, {}), true);
  assert.equal(matches({ length: 1 }, 5), false);
});

test('not, all and any combine matchers', () => {
  assert.equal(matches({ not: { contains: 'error' } }, 'all good'), true);
  assert.equal(matches({ not: 'running' }, 'running'), false);
  const stdout = 'Hello\nno problems';
  assert.equal(
    matches({ all: [{ contains: 'Hello' }, { not: { contains: 'error' } }] }, stdout),
    true,
  );
  assert.equal(matches({ all: [{ contains: 'Hello' }, { contains: 'Bye' }] }, stdout), false);
  assert.equal(matches({ any: ['created', 'running'] }, 'running'), true);
  assert.equal(matches({ any: ['created', 'running'] }, 'exited'), false);
});

test('describeMatcher says what is expected, in English', () => {
  assert.equal(describeMatcher('running'), 'equals "running"');
  assert.equal(describeMatcher(['top', '-b']), 'equals ["top","-b"]');
  assert.equal(describeMatcher({ contains: 'Hello' }), 'contains "Hello"');
  assert.equal(describeMatcher({ matches: '^ok$' }), 'matches /^ok$/');
  assert.equal(describeMatcher({ gte: 1, lt: 10 }), '>= 1 and < 10');
  assert.equal(describeMatcher({ gt: 0, lte: 5 }), '> 0 and <= 5');
  assert.equal(
    describeMatcher({ startsWith: 'a', endsWith: 'z' }),
    'starts with "a" and ends with "z"',
  );
  assert.equal(
    describeMatcher({ containsElement: { startsWith: '80/tcp' } }),
    'has an element that (starts with "80/tcp")',
  );
  assert.equal(describeMatcher({ length: 2 }), 'has a length that (equals 2)');
  assert.equal(describeMatcher({ not: { contains: 'error' } }), 'not (contains "error")');
  assert.equal(
    describeMatcher({ all: [{ contains: 'a' }, 'b'] }),
    'all of [contains "a"; equals "b"]',
  );
  assert.equal(describeMatcher({ any: ['x', 'y'] }), 'any of [equals "x"; equals "y"]');
});

test('describeMatcher in Chinese', () => {
  assert.equal(describeMatcher('running', 'zh-CN'), '等于 "running"');
  assert.equal(describeMatcher({ contains: 'Hello' }, 'zh-CN'), '包含 "Hello"');
  assert.equal(describeMatcher({ gte: 1, lt: 10 }, 'zh-CN'), '>= 1，且 < 10');
  assert.equal(describeMatcher({ not: 'x' }, 'zh-CN'), '不 (等于 "x")');
});
