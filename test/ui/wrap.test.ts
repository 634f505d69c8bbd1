import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { hangingIndent, joinSourceLines, stripAnsi, wrapText } from '../../src/ui/wrap.js';

const wrap = (text: string, width: number) => wrapText(text, width);

describe('wrapText', () => {
  test('breaks between any two Chinese characters, filling each line', () => {
    assert.deepEqual(wrap('容器是镜像的一个运行实例', 10), ['容器是镜像', '的一个运行', '实例']);
  });

  test('never inside a Latin word: at spaces, which the break drops', () => {
    assert.deepEqual(wrap('the Docker Server answers', 12), ['the Docker', 'Server', 'answers']);
    assert.deepEqual(wrap('如果没有 Server 部分', 12), ['如果没有', 'Server 部分']);
    // No space needed between Chinese and Latin; the word still stays whole.
    assert.deepEqual(wrap('运行hello-world容器', 12), ['运行', 'hello-world', '容器']);
  });

  test('cuts a word longer than the whole line', () => {
    assert.deepEqual(wrap('see https://example.com/a/long/path here', 10), [
      'see',
      'https://ex',
      'ample.com/',
      'a/long/pat',
      'h here',
    ]);
  });

  test('closing punctuation never starts a line: the character before it comes along', () => {
    assert.deepEqual(wrap('一二三四五，六七', 10), ['一二三四', '五，六七']);
    assert.deepEqual(wrap('一二三四五。」六', 10), ['一二三四', '五。」六']);
    assert.deepEqual(wrap('abc def，ghi', 7), ['abc', 'def，', 'ghi']);
  });

  test('opening punctuation never ends a line: it goes with the character after it', () => {
    assert.deepEqual(wrap('一二三四（五）', 10), ['一二三四', '（五）']);
    assert.deepEqual(wrap('一二三《镜像》', 8), ['一二三', '《镜像》']);
  });

  test('a dash or an ellipsis is never split', () => {
    assert.deepEqual(wrap('四件事——客户端', 7), ['四件事', '——客户', '端']);
    assert.deepEqual(wrap('等一等……好了', 7), ['等一等', '……好了']);
  });

  test('straight quotes in Chinese open and close by their count', () => {
    assert.deepEqual(wrap('可以"走进去"的容器', 6), ['可以', '"走进', '去"的', '容器']);
  });

  test('escape codes take no room, and a style open at a break is closed and reopened', () => {
    const lines = wrap('普通\u001b[1m加粗的文字\u001b[22m结束', 8);
    assert.deepEqual(lines.map(stripAnsi), ['普通加粗', '的文字结', '束']);
    assert.deepEqual(lines, ['普通\u001b[1m加粗\u001b[22m', '\u001b[1m的文字\u001b[22m结', '束']);
  });

  test('a continuation line keeps the indent of its line and a list item’s hanging indent', () => {
    assert.deepEqual(wrap('- 第一项的文字很长很长', 12), ['- 第一项的文', '  字很长很长']);
    assert.deepEqual(wrap('12. item with words', 10), ['12. item', '    with', '    words']);
    assert.deepEqual(wrap('    docker run --name x', 16), ['    docker run', '    --name x']);
    assert.deepEqual(wrapText('a b c d', 4, { indent: ' ' }), ['a b', ' c d']);
    assert.equal(hangingIndent('• [x] 完成'), '      ');
  });

  test('a separator ( · ) stays with the words before it', () => {
    assert.deepEqual(wrap('n/p step · x reset · q leave', 10), [
      'n/p step ·',
      'x reset ·',
      'q leave',
    ]);
  });

  test('a newline is a hard break; spaces at a line’s end are dropped', () => {
    assert.deepEqual(wrap('一行  \n另一行', 20), ['一行', '另一行']);
    assert.deepEqual(wrap('abc   ', 3), ['abc']);
  });
});

describe('joinSourceLines', () => {
  test('a line break between Chinese characters disappears', () => {
    assert.equal(joinSourceLines('如果没有\n部分'), '如果没有部分');
    assert.equal(joinSourceLines('进程，\n然后'), '进程，然后');
  });

  test('next to full-width punctuation it disappears, between words it is one space', () => {
    assert.equal(joinSourceLines('客户端），\ndocker'), '客户端），docker');
    assert.equal(joinSourceLines('the\n  Docker'), 'the Docker');
    assert.equal(joinSourceLines('它的\nsocket。'), '它的 socket。');
    assert.equal(joinSourceLines('四件事——\n客户端'), '四件事——客户端');
  });

  test('escape codes around the break stay', () => {
    assert.equal(joinSourceLines('中\u001b[1m\n文\u001b[22m'), '中\u001b[1m文\u001b[22m');
    assert.equal(joinSourceLines('a\u001b[33m \n b'), 'a\u001b[33m b');
  });
});

/**
 * The style each visible character is drawn in: an SGR interpreter for the codes the property
 * below writes. Lines are read from a clean state, as the wrapper promises each line stands alone.
 */
function styled(text: string): { char: string; style: string }[] {
  const state: Record<string, string> = {};
  const out: { char: string; style: string }[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of text.split(/(\u001b\[[0-9;]*m)/)) {
    // eslint-disable-next-line no-control-regex
    const code = /^\u001b\[([0-9;]*)m$/.exec(part);
    if (code) {
      const params = (code[1] ?? '').split(';');
      for (let i = 0; i < params.length; i += 1) {
        const p = params[i];
        if (p === '' || p === '0') for (const key of Object.keys(state)) delete state[key];
        else if (p === '1') state.bold = '1';
        else if (p === '3') state.italic = '1';
        else if (p === '4') state.underline = '1';
        else if (p === '22') delete state.bold;
        else if (p === '23') delete state.italic;
        else if (p === '24') delete state.underline;
        else if (p === '39') delete state.fg;
        else if (p === '38') {
          state.fg = params.slice(i, i + 3).join(';');
          i += 2;
        } else state.fg = p ?? '';
      }
      continue;
    }
    const now = JSON.stringify(Object.entries(state).sort());
    for (const char of part) if (char !== ' ' && char !== '\n') out.push({ char, style: now });
  }
  return out;
}

describe('wrapText, for any mix of Chinese, Latin words, punctuation and escape codes', () => {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...'中文镜像容器运行的了一二三守护进程') },
    { weight: 3, arbitrary: fc.stringMatching(/^[a-z]{1,8}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9/._-]{9,40}$/) },
    { weight: 2, arbitrary: fc.constantFrom(...'，。、；：？！（）「」《》“”—…,.;:!?()"\'') },
    { weight: 3, arbitrary: fc.constantFrom(' ', ' ', '  ') },
    { weight: 1, arbitrary: fc.constant('\n') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '\u001b[1m',
        '\u001b[22m',
        '\u001b[3m',
        '\u001b[23m',
        '\u001b[4m',
        '\u001b[24m',
        '\u001b[33m',
        '\u001b[39m',
        '\u001b[38;5;120m',
        '\u001b[0m',
      ),
    },
  );
  const input = fc.array(piece, { maxLength: 80 }).map((parts) => parts.join(''));
  const width = fc.integer({ min: 4, max: 40 });
  const indent = fc.constantFrom('', '  ');

  test('no line is wider than the width', () => {
    fc.assert(
      fc.property(input, width, indent, (text, columns, lead) => {
        for (const line of wrapText(text, columns, { indent: lead }))
          assert.ok(stringWidth(line) <= columns, `${stringWidth(line)} > ${columns}: ${line}`);
      }),
      { numRuns: 500 },
    );
  });

  test('the text is kept: line breaks are only inserted, or put where spaces were', () => {
    fc.assert(
      fc.property(input, width, indent, (text, columns, lead) => {
        const source = stripAnsi(text);
        const lines = wrapText(text, columns, { indent: lead }).map(stripAnsi);
        let at = 0;
        lines.forEach((line, i) => {
          let rest = line;
          const soft = i > 0 && source[at - 1] !== '\n';
          if (soft && lead !== '') {
            assert.ok(rest.startsWith(lead), `continuation line ${i} has the indent: ${rest}`);
            rest = rest.slice(lead.length);
          }
          // Spaces the line was too narrow to start with.
          if (!rest.startsWith(' ')) while (source[at] === ' ') at += 1;
          assert.equal(rest, source.slice(at, at + rest.length), `line ${i} at ${at}`);
          at += rest.length;
          while (source[at] === ' ') at += 1;
          if (source[at] === '\n') at += 1;
        });
        assert.equal(at, source.length, `all of ${JSON.stringify(source)} is shown`);
      }),
      { numRuns: 500 },
    );
  });

  test('each character keeps its style, escape codes intact', () => {
    fc.assert(
      fc.property(input, width, (text, columns) => {
        const lines = wrapText(text, columns, { indent: '' });
        const before = styled(text.replace(/\n/g, ''));
        // Each line starts from a clean state; the source runs on.
        const after = lines.flatMap(styled);
        assert.deepEqual(after, before);
      }),
      { numRuns: 500 },
    );
  });
});
