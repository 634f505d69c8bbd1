import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseInfoString } from '../../src/lesson/info-string.js';
import { suggest } from '../../src/lesson/suggest.js';
import { SourceText } from '../../src/lesson/source.js';
import { durationMs } from '../../src/checks/schema.js';

describe('did you mean', () => {
  test('suggests the nearest candidate for a typo', () => {
    assert.equal(suggest('stauts', ['status', 'exitCode']), 'status');
    assert.equal(suggest('contian', ['contains', 'matches']), 'contains');
    assert.equal(suggest('containr', ['container', 'image']), 'container');
  });
  test('ignores case and suggests a prefix typed in full', () => {
    assert.equal(suggest('ExitCode', ['exitCode']), 'exitCode');
    assert.equal(suggest('stat', ['status', 'image']), 'status');
  });
  test('says nothing when no candidate is near', () => {
    assert.equal(suggest('banana', ['status', 'exitCode']), undefined);
    assert.equal(suggest('x', []), undefined);
  });
});

describe('info strings', () => {
  test('split into language, flags and options with their offsets', () => {
    assert.deepEqual(parseInfoString('sh manual id=build timeout=30s'), {
      lang: 'sh',
      attributes: [
        { name: 'manual', value: undefined, offset: 3 },
        { name: 'id', value: 'build', offset: 10 },
        { name: 'timeout', value: '30s', offset: 19 },
      ],
    });
  });
  test('quoted values keep their spaces', () => {
    assert.deepEqual(
      parseInfoString(`dockerfile file="my app/Dockerfile" mode='0644'`).attributes,
      [
        { name: 'file', value: 'my app/Dockerfile', offset: 11 },
        { name: 'mode', value: '0644', offset: 36 },
      ],
    );
  });
  test('an info string may be empty or attributes only', () => {
    assert.deepEqual(parseInfoString(''), { lang: '', attributes: [] });
    assert.deepEqual(parseInfoString('file=x').lang, '');
  });
});

describe('source positions', () => {
  test('map offsets to 1-based lines and columns', () => {
    const source = new SourceText('f', 'ab\ncd\n\nef');
    assert.deepEqual(source.position(0), { line: 1, col: 1 });
    assert.deepEqual(source.position(4), { line: 2, col: 2 });
    assert.deepEqual(source.position(7), { line: 4, col: 1 });
    assert.equal(source.lineText(2), 'cd');
  });
  test('normalise BOM, CRLF and CR once', () => {
    const source = new SourceText('f', '\uFEFFa\r\nb\rc');
    assert.equal(source.text, 'a\nb\nc');
    assert.equal(source.lineCount, 3);
  });
});

test('durations are read in milliseconds', () => {
  assert.equal(durationMs('500ms'), 500);
  assert.equal(durationMs('1.5s'), 1500);
  assert.equal(durationMs('2m'), 120_000);
  assert.throws(() => durationMs('5'), /not a duration/);
});
