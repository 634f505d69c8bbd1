import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import stringWidth from 'string-width';
import { parseLesson } from '../../src/lesson/parser.js';
import type { Lesson } from '../../src/lesson/schema.js';
import { renderMarkdown, renderMarkdownLines, type RenderedLine } from '../../src/ui/markdown.js';
import { messages } from '../../src/i18n/messages.js';

/**
 * Every step, hint and solution of the course, rendered at 40, 60 and 100 columns, read the way
 * a learner reads it: no line wider than the terminal, no line starting with closing
 * punctuation, no line broken before text that would have fit, and in Chinese no space between
 * two Chinese characters and no half-width , : ; ? ! after one.
 */

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
const plain = (text: string) => text.replace(SGR, '');
const HAN = /\p{Script=Han}/u;
const graphemes = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map(
    (s) => s.segment,
  );
const CLOSING_FULL = new Set([...'，。、；：？！）」』】》〉〕］｝％”’']);
const CLOSING = new Set([...CLOSING_FULL, ...',.;:!?)]}%']);
const OPENING = new Set([...'（「『【《〈〔［｛“‘([{']);
const wide = (g: string) => stringWidth(g) === 2;

function course(dir: string): Lesson[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const parsed = parseLesson(path, readFileSync(path, 'utf8'));
      return parsed.lesson ? [parsed.lesson] : [];
    })
    .flat();
}

interface Piece {
  where: string;
  markdown: string;
  lead?: string;
}

/** What the TUI renders of a lesson: each step's title and prose, its hints, its solution. */
function pieces(lesson: Lesson, lang: 'en' | 'zh-CN'): Piece[] {
  const t = messages(lang).ui;
  return lesson.steps.flatMap((step) => [
    { where: `${lesson.meta.id}#${step.id}`, markdown: `## ${step.title}\n\n${step.markdown}` },
    ...step.hints.map((hint, i) => ({
      where: `${lesson.meta.id}#${step.id} hint ${i + 1}`,
      markdown: hint.markdown,
      lead: `${t.hint(i + 1, step.hints.length)}: `,
    })),
    ...(step.solution
      ? [{ where: `${lesson.meta.id}#${step.id} solution`, markdown: step.solution.markdown }]
      : []),
  ]);
}

/** A line's text after its indent, list marker and quote bar. */
const body = (line: string) =>
  plain(line)
    .replace(/^(?:\s*│)*\s*/, '')
    .replace(/^(?:[•◦▪]|\d+\.) +/, '');

/** The first piece of `text` no break may enter, as the wrapper sees it (straight quotes glue). */
function firstPiece(text: string): string {
  const gs = graphemes(text);
  let end = 1;
  for (; end < gs.length; end += 1) {
    const before = gs[end - 1]!;
    const after = gs[end]!;
    if (after === ' ') break;
    if (CLOSING.has(after) || OPENING.has(before) || after === '"' || before === '"') continue;
    if (after === "'" || before === "'") continue;
    if (wide(before) || wide(after)) break;
  }
  return gs.slice(0, end).join('');
}

function problems(lines: RenderedLine[], width: number, chinese: boolean): string[] {
  const found: string[] = [];
  lines.forEach((line, i) => {
    const text = plain(line.text);
    const shown = `${i}: ${JSON.stringify(text)}`;
    if (stringWidth(text) > width) found.push(`wider than ${width}: ${shown}`);
    if (line.kind === 'code' || line.kind === 'blank') return;
    // Code spans are yellow: what they hold is code, not prose.
    // eslint-disable-next-line no-control-regex
    const prose = plain(line.text.replace(/\u001b\[33m.*?\u001b\[39m/g, '\u0000'));
    const start = graphemes(body(prose))[0] ?? '';
    if (CLOSING.has(start)) found.push(`starts with closing punctuation: ${shown}`);
    // (A table's columns are set apart by spaces.)
    if (chinese && line.kind === 'prose' && /\p{Script=Han} +\p{Script=Han}/u.test(prose))
      found.push(`space between Chinese characters: ${shown}`);
    if (chinese && /\p{Script=Han}[,:;?!]/u.test(prose))
      found.push(`half-width punctuation after a Chinese character: ${shown}`);
    // Broken early: the next line of the same text starts with what would have fit here.
    const next = lines[i + 1];
    if (line.kind !== 'prose' || next?.kind !== 'prose' || next.block !== line.block) return;
    const after = body(next.text);
    const piece = firstPiece(after);
    const first = graphemes(piece)[0] ?? '';
    const last = graphemes(text).at(-1) ?? '';
    const space = wide(last) && wide(first) ? 0 : 1;
    if (first !== '' && (HAN.test(first) || !chinese)) {
      if (stringWidth(text.trimEnd()) + space + stringWidth(piece) <= width)
        found.push(`broken early before ${JSON.stringify(piece)}: ${shown}`);
    }
  });
  return found;
}

// The course has no solution sections yet: the TUI fixtures' lessons have.
const fixtures = (lang: string) =>
  [join('fixtures/lessons/tui', lang), ...(lang === 'zh-CN' ? ['fixtures/lessons/good'] : [])]
    .flatMap(course)
    .filter((lesson) => lesson.meta.lang === lang);

for (const lang of ['zh-CN', 'en'] as const) {
  describe(`the ${lang} course rendered for the terminal`, () => {
    const lessons = [...course(join('lessons', lang)), ...fixtures(lang)];
    for (const width of [40, 60, 100]) {
      test(`every step, hint and solution reads well at ${width} columns`, () => {
        const found: string[] = [];
        let rendered = 0;
        for (const lesson of lessons) {
          for (const piece of pieces(lesson, lang)) {
            const lines = renderMarkdownLines(piece.markdown, width, {
              ...(piece.lead ? { lead: piece.lead } : {}),
            });
            rendered += 1;
            for (const problem of problems(lines, width, lang === 'zh-CN'))
              found.push(`${lang}/${piece.where}: ${problem}`);
            // The string the TUI prints: the same lines, colour removed.
            const text = renderMarkdown(piece.markdown, width, false, {
              ...(piece.lead ? { lead: piece.lead } : {}),
            });
            assert.equal(
              text,
              lines
                .map((l) => plain(l.text))
                .join('\n')
                .trimEnd(),
            );
          }
        }
        assert.ok(rendered > 50, `rendered ${rendered} pieces`);
        assert.deepEqual(found, []);
      });
    }
  });
}

const render = (markdown: string, width: number) =>
  renderMarkdown(markdown, width, false).split('\n');

describe('renderMarkdown', () => {
  test('a paragraph in Chinese: source lines joined without a space, wrapped to the width', () => {
    assert.deepEqual(
      render(
        '`docker version` 输出两部分：**Client**（你输入的命令）和 **Server**（引擎）。如果没有\nServer 部分，说明引擎没有运行。',
        30,
      ),
      [
        'docker version 输出两部分：',
        'Client（你输入的命令）和',
        'Server（引擎）。如果没有',
        'Server 部分，说明引擎没有运',
        '行。',
      ],
    );
  });

  test('lists keep their bullets and numbers, with a hanging indent; nested lists indent further', () => {
    assert.deepEqual(
      render(
        '1. 第一项有很长的文字需要换行显示\n   - 嵌套的列表项也有很长的文字\n   - nested item with words\n2. 第二项\n\n- [x] 完成\n- [ ] todo',
        26,
      ),
      [
        '1. 第一项有很长的文字需要',
        '   换行显示',
        '   ◦ 嵌套的列表项也有很长',
        '     的文字',
        '   ◦ nested item with',
        '     words',
        '2. 第二项',
        '',
        '• [x] 完成',
        '• [ ] todo',
      ],
    );
  });

  test('code lines are shown as written; only a line wider than the width is folded', () => {
    const code = 'docker run --name a-very-long-container-name busybox echo 你好，世界';
    const lines = renderMarkdownLines(
      `运行：\n\n\`\`\`sh id=run\n${code}\nshort  line\n\n  indented and long enough to fold\n\`\`\``,
      30,
    );
    assert.deepEqual(
      lines.filter((l) => l.kind === 'code').map((l) => plain(l.text)),
      [
        // Folded at spaces, the rest indented two more; never joined with the next line.
        '  docker run --name',
        '    a-very-long-container-name',
        '    busybox echo 你好，世界',
        '  short  line',
        '',
        '    indented and long enough',
        '      to fold',
      ],
    );
  });

  test('a quote keeps its bar on every line; a link shows its address', () => {
    assert.deepEqual(
      render('> 引用的文字也要换行，而且要保留竖线前缀。\n\n[文档](https://docs.docker.com)', 24),
      [
        '│ 引用的文字也要换行，而',
        '│ 且要保留竖线前缀。',
        '',
        '文档',
        // Too long for a line, the address is cut; its closing bracket keeps a character with it.
        '(https://docs.docker.co',
        'm)',
      ],
    );
  });

  test('a table fits the width: in columns, or row by row when columns would be too narrow', () => {
    const table =
      '| 指令 | 作用 |\n| --- | --- |\n| `FROM` | 从哪个镜像开始构建 |\n| `COPY` | 把构建目录里的文件复制进镜像 |';
    assert.deepEqual(render(table, 24), [
      '指令  作用',
      '────  ──────────────────',
      'FROM  从哪个镜像开始构建',
      'COPY  把构建目录里的文件',
      '      复制进镜像',
    ]);
    for (const width of [20, 24, 40])
      for (const line of render(`${table}\n| x | ${'很长的文字'.repeat(8)} |`, width))
        assert.ok(stringWidth(line) <= width, `${width}: ${line}`);
  });

  test("a lead (a hint's label) goes before the first paragraph, and colour is only on request", () => {
    const lead = '\u001b[33m提示 1/2:\u001b[39m ';
    assert.equal(
      renderMarkdown('镜像名是 `busybox`。', 40, false, { lead }),
      '提示 1/2: 镜像名是 busybox。',
    );
    assert.ok(
      renderMarkdown('镜像名是 `busybox`。', 40, true, { lead }).includes(
        '\u001b[33mbusybox\u001b[39m',
      ),
    );
    // A lesson cannot write escape codes of its own.
    assert.equal(renderMarkdown('a \u001b[31mred\u001b[0m', 40, true), 'a [31mred[0m');
  });
});
