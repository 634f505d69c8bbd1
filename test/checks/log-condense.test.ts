/** A container's logs as a learner reads them in a failure report. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { collapseRepeats, condenseLog } from '../../src/checks/log-condense.js';

const note = (times: number, block: number) =>
  block > 1 ? `(x${times} of ${block})` : `(x${times})`;

test('the same five lines four times are said once, with how many times', () => {
  const block = ['waiting for db', 'retry 1', 'connect: refused', 'sleep', 'again'];
  const lines = [...block, ...block, ...block, ...block, 'gave up'];
  assert.deepEqual(condenseLog(lines, 20, note), [
    'waiting for db  (x4 of 5)',
    'retry 1',
    'connect: refused',
    'sleep',
    'again',
    'gave up',
  ]);
});

test('lines that differ only in their timestamp are the same line', () => {
  const lines = [
    '2026-12-07T02:41:14.123Z [Note] waiting',
    '2026-12-07T02:41:15.456Z [Note] waiting',
    '2026-12-07 02:41:16+00:00 [Note] waiting',
  ];
  assert.deepEqual(condenseLog(lines, 20, note), [
    '2026-12-07 02:41:16+00:00 [Note] waiting  (x3)',
  ]);
});

test('long logs keep the lines that tell what went wrong, and the last ones', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `info line ${i}`);
  lines[5] = 'ERROR: MYSQL_ROOT_PASSWORD is required';
  const shown = condenseLog(lines, 6, note);
  assert.ok(shown.length <= 6 + 2, shown.join('\n'));
  assert.ok(shown.includes('ERROR: MYSQL_ROOT_PASSWORD is required'));
  assert.equal(shown.at(-1), 'info line 29');
  assert.ok(shown.includes('…'));
});

test('colours and carriage-return redraws are gone', () => {
  assert.deepEqual(condenseLog(['\u001b[32mready\u001b[0m', '10%\r100%'], 20, note), [
    'ready',
    '100%',
  ]);
});

test('property: collapsing keeps every line that was not a repeat, in order', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }), (lines) => {
      const out = collapseRepeats(lines);
      const expanded = out.flatMap((c, i) => {
        if (c.block === 0) return [];
        const block = out.slice(i, i + c.block).map((x) => x.text);
        return Array.from({ length: c.times }, () => block).flat();
      });
      assert.deepEqual(expanded, lines);
    }),
  );
});
