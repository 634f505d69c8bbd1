/**
 * What a diff shows of invisible text: spaces and tabs at a line's end, and a final line end
 * that only one side has. Failure reports explain the marks in the learner's language.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDiff } from '../../src/checks/diff.js';
import { formatFailure } from '../../src/checks/report.js';
import type { CheckResult } from '../../src/checks/types.js';
import { makeCheck } from '../helpers/check-context.js';

test('a final line end only one side has is shown as ⏎', () => {
  assert.deepEqual(lineDiff('hello', 'hello\n'), [
    { op: 'removed', text: 'hello' },
    { op: 'added', text: 'hello⏎' },
  ]);
  assert.deepEqual(lineDiff('a\nb\n', 'a\nb'), [
    { op: 'same', text: 'a' },
    { op: 'removed', text: 'b⏎' },
    { op: 'added', text: 'b' },
  ]);
  assert.deepEqual(lineDiff('a\n', 'a\n'), [{ op: 'same', text: 'a' }], 'both have it: no mark');
});

test('spaces and tabs at the end of a line are shown as · and →', () => {
  assert.deepEqual(lineDiff('a\nb\n', 'a \nb\t\n'), [
    { op: 'removed', text: 'a' },
    { op: 'removed', text: 'b' },
    { op: 'added', text: 'a·' },
    { op: 'added', text: 'b→' },
  ]);
  assert.deepEqual(lineDiff('x y', 'x  y'), [
    { op: 'removed', text: 'x y' },
    { op: 'added', text: 'x  y' },
  ]);
});

function failure(stdout: unknown, actual: string): CheckResult {
  return {
    check: makeCheck({ id: 'said', output: { stdout } }),
    pass: false,
    attempts: 1,
    elapsedMs: 2,
    observation: {
      pass: false,
      subject: "output of the step's last command",
      mismatches: [
        { field: 'stdout', expected: 'equals "hello"', actual, matcher: stdout as never },
      ],
      fix: 'compare',
    },
  };
}

test('a one-line text that differs only in a final line end gets a diff with the marks explained', () => {
  const lines = formatFailure(failure('hello', 'hello\n'), { lang: 'en' }).split('\n');
  assert.deepEqual(lines.slice(1, 5), [
    '  stdout: expected equals "hello"',
    '    diff (- expected, + found):',
    '    - hello',
    '    + hello⏎',
  ]);
  assert.equal(lines[5], '    (⏎ ends a line, · is a space, → a tab)');
  const zh = formatFailure(failure('hello', 'hello  '), { lang: 'zh-CN' });
  assert.match(zh, /\+ hello··\n {4}（⏎ 表示行尾，· 表示空格，→ 表示制表符）/);
});

test('no marks, no legend; with trim the diff compares the trimmed text', () => {
  assert.doesNotMatch(formatFailure(failure('a\nb\n', 'a\nc\n'), { lang: 'en' }), /ends a line/);
  const trimmed = formatFailure(failure({ trim: true, equals: 'a\nb' }, '\n a\nc \n'), {
    lang: 'en',
  });
  assert.match(trimmed, /- b\n {4}\+ c\n/);
  assert.doesNotMatch(trimmed, /⏎/);
});
