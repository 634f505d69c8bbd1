/** The practice shell's pure parts: what a check reads of a terminal, and the hook's report. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bashRc, parseTyped, plainTerminalText } from '../../src/run/practice-shell.js';

test('colours, cursor moves, titles and carriage returns are removed; the text stays', () => {
  assert.equal(plainTerminalText('a\u001b[31mred\u001b[0m\r\n'), 'ared\n');
  assert.equal(plainTerminalText('\u001b]0;title\u0007Hello\r\n'), 'Hello\n');
  // A progress line redrawn with \r keeps only its last state.
  assert.equal(plainTerminalText('10%\r50%\r100%\r\ndone\r\n'), '100%\ndone\n');
});

test('property: the result never holds an escape or a carriage return', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const plain = plainTerminalText(text);
      assert.ok(!plain.includes('\u001b') && !plain.includes('\r'));
    }),
  );
});

test('the hook reports status, where the output is, and the command line as typed', () => {
  assert.deepEqual(parseTyped('1\n120\n480\ndocker run --name dl_hello hello-world\n'), {
    exitCode: 1,
    start: 120,
    end: 480,
    script: 'docker run --name dl_hello hello-world',
  });
  assert.deepEqual(parseTyped(''), { exitCode: 0, start: 0, end: 0, script: '' });
});

test("the rc file reads the learner's own bashrc first and quotes docker-lab's folder", () => {
  const rc = bashRc("/tmp/it's here", '/tmp/rec', ['hint', 'check']);
  assert.ok(rc.indexOf('. ~/.bashrc') < rc.indexOf('trap'));
  assert.match(rc, /__dl_dir='\/tmp\/it'\\''s here'/);
  assert.match(rc, /^hint\(\) \{ :; \}$/m);
});

test('a long line without a carriage return takes linear time', () => {
  const line = 'x'.repeat(2_000_000);
  const started = Date.now();
  assert.equal(plainTerminalText(`${line}\n`), `${line}\n`);
  assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
});
