/**
 * The text matchers: `trim`, `lines` (with `every`), and the flags of `matches`. The splitting
 * rules are stated as properties and tried on generated text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { describeMatcher, matches, textLines } from '../../src/checks/matchers.js';
import { compilePattern, MatcherSchema } from '../../src/checks/matcher-schema.js';

/** Text made of a few letters, spaces and line ends of both kinds: where the rules bite. */
const textish = fc
  .array(fc.constantFrom('a', 'b', ' ', '\t', '\n', '\r\n', '\r', 'é'), { maxLength: 40 })
  .map((parts) => parts.join(''));
const line = fc
  .array(fc.constantFrom('a', 'b', ' ', '\t', '\r', '中'), { maxLength: 8 })
  .map((parts) => parts.join(''))
  // A line never ends with a lone \r: that \r and the \n after it would be one line end.
  .filter((l) => !l.endsWith('\r'));

test('lines: a final line end does not make an empty last line, and \\r\\n is one break', () => {
  assert.deepEqual(textLines(''), []);
  assert.deepEqual(textLines('a'), ['a']);
  assert.deepEqual(textLines('a\n'), ['a']);
  assert.deepEqual(textLines('a\n\n'), ['a', '']);
  assert.deepEqual(textLines('\n'), ['']);
  assert.deepEqual(textLines('a\r\nb\r\n'), ['a', 'b']);
  assert.deepEqual(textLines('a\rb'), ['a\rb'], 'a lone \\r is not a line end');
});

test('property: lines joined with line ends give the text back, with or without the final one', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 10 }), fc.boolean(), (lines, final) => {
      // Without a final line end, an empty last line would read as that final line end.
      fc.pre(final || lines.length === 0 || lines.at(-1) !== '');
      const text = lines.join('\n') + (final && lines.length > 0 ? '\n' : '');
      // An empty single line is the empty text, which has no lines.
      const expected = lines.length === 1 && lines[0] === '' && !final ? [] : lines;
      assert.deepEqual(textLines(text), expected);
    }),
  );
});

test('property: \\r\\n and \\n split the same way; no line holds a line end', () => {
  fc.assert(
    fc.property(textish, (any) => {
      // Line ends written \n, then the same text with \r\n (no lone \r next to them).
      const text = any.replace(/\r/g, '');
      const lines = textLines(text);
      assert.deepEqual(textLines(text.replace(/\n/g, '\r\n')), lines);
      for (const l of lines) assert.ok(!l.includes('\n'));
      assert.equal(matches({ lines: lines.length }, text), true);
      assert.equal(matches({ lines: { length: lines.length } }, text), true);
    }),
  );
});

test('property: one final line end more or less never changes the lines of a text that has some', () => {
  fc.assert(
    fc.property(textish, (text) => {
      // (A text ending in a lone \r would make \r\n with the added \n: one line end.)
      fc.pre(text !== '' && !text.endsWith('\n') && !text.endsWith('\r'));
      assert.deepEqual(textLines(`${text}\n`), textLines(text));
      assert.deepEqual(textLines(`${text}\r\n`), textLines(text));
    }),
  );
});

test('property: trim hands the others the text without outer whitespace, and is idempotent', () => {
  fc.assert(
    fc.property(textish, (text) => {
      assert.equal(matches({ trim: true, equals: text.trim() }, text), true);
      assert.equal(matches({ trim: true, equals: text.trim() }, `  \n${text}\n\t `), true);
      const inner = text.trim();
      assert.equal(
        matches({ trim: true, lines: textLines(inner).length }, `\n\n${text}\n\n`),
        true,
      );
    }),
  );
});

test('trim: only for the object it is in; equals alone compares exactly, final newline included', () => {
  assert.equal(matches('hello', 'hello\n'), false, 'no trimming without trim');
  assert.equal(matches({ trim: true, equals: 'hello' }, 'hello\n'), true);
  assert.equal(matches({ trim: true, equals: 'hello' }, '  hello  \r\n'), true);
  assert.equal(matches({ trim: true, endsWith: 'done' }, 'all done\n\n'), true);
  assert.equal(matches({ endsWith: 'done' }, 'all done\n'), false);
  assert.equal(
    matches({ trim: true, not: { equals: 'x' } }, ' x '),
    false,
    'not sees the trimmed text',
  );
  assert.equal(matches({ trim: true, equals: 3 }, 3), true, 'non-text values are left as they are');
});

test('lines: a bare number counts lines; an object applies list matchers to the lines', () => {
  const out = 'NAME\nweb\ndb\n';
  assert.equal(matches({ lines: 3 }, out), true);
  assert.equal(matches({ lines: 4 }, out), false);
  assert.equal(matches({ lines: { length: { gte: 2 } } }, out), true);
  assert.equal(matches({ lines: { containsElement: 'web' } }, out), true);
  assert.equal(matches({ lines: { containsElement: 'we' } }, out), false, 'whole lines');
  assert.equal(matches({ lines: { every: { matches: '^[A-Za-z]+$' } } }, out), true);
  assert.equal(matches({ lines: { every: { startsWith: 'w' } } }, out), false);
  assert.equal(matches({ lines: ['NAME', 'web', 'db'] }, out), true, 'a list equals the lines');
  assert.equal(matches({ lines: 1 }, 42), true, 'a number is read as its text');
  assert.equal(matches({ lines: 0 }, undefined), false, 'nothing has no lines');
});

test('every: all elements of a list match (none is all of them); not a list, it fails', () => {
  assert.equal(matches({ every: { gt: 0 } }, [1, 2, 3]), true);
  assert.equal(matches({ every: { gt: 1 } }, [1, 2, 3]), false);
  assert.equal(matches({ every: 'x' }, []), true);
  assert.equal(matches({ every: 'x' }, 'xxx'), false);
});

test('matches: inline flags at the start and the flags key become JavaScript flags', () => {
  assert.equal(matches({ matches: '(?i)^hello' }, 'HELLO world'), true);
  assert.equal(matches({ matches: '^hello' }, 'HELLO world'), false);
  assert.equal(matches({ matches: 'a.b' }, 'a\nb'), false);
  assert.equal(matches({ matches: '(?s)a.b' }, 'a\nb'), true);
  assert.equal(matches({ matches: '(?is)A.B' }, 'a\nb'), true);
  assert.equal(matches({ matches: '(?m)^b$' }, 'a\nb\nc'), true);
  assert.equal(matches({ matches: '^b$' }, 'a\nb\nc'), true, 'm is always on');
  assert.equal(matches({ matches: 'A.B', flags: 'is' }, 'a\nb'), true);
  assert.equal(matches({ matches: 'x(?i)y' }, 'xY'), false, 'only at the start');
});

test('a refused pattern says why (the JavaScript reason) and how to fix it', () => {
  const bad = compilePattern('(unclosed');
  assert.ok('error' in bad);
  assert.match(bad.error, /Unterminated group/);
  const inline = compilePattern('(?x)a');
  assert.ok('error' in inline && /inline flag "x"/.test(inline.error));
  const flag = compilePattern('a', 'g');
  assert.ok('error' in flag && /"g" is not a flag/.test(flag.error) && /i, m, s, u/.test(flag.fix));
  const parsed = MatcherSchema.safeParse({ matches: '[a-' });
  assert.equal(parsed.success, false);
  assert.match(parsed.error!.issues[0]!.message, /refused: .*Unterminated character class.*Fix: /);
  assert.equal(MatcherSchema.safeParse({ flags: 'i' }).success, false, 'flags alone');
  const g = MatcherSchema.safeParse({ matches: 'a', flags: 'g' });
  assert.deepEqual(
    g.error?.issues.map((i) => i.path),
    [['flags']],
    'a wrong flag is said once, at flags',
  );
  assert.equal(
    MatcherSchema.safeParse({ trim: true }).success,
    false,
    'trim alone asserts nothing',
  );
  assert.equal(MatcherSchema.safeParse({ trim: true, lines: 2 }).success, true);
});

test('describeMatcher says the new matchers in both languages', () => {
  assert.equal(describeMatcher({ trim: true, equals: 'hi' }), 'trimmed, equals "hi"');
  assert.equal(describeMatcher({ lines: 3 }), 'has 3 lines');
  assert.equal(
    describeMatcher({ lines: { every: { startsWith: 'a' } } }),
    'has lines that (every element (starts with "a"))',
  );
  assert.equal(describeMatcher({ matches: 'x', flags: 'i' }), 'matches /x/i');
  assert.equal(describeMatcher({ lines: 2 }, 'zh-CN'), '共 2 行');
});
