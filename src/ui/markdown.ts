import { Lexer, Marked, type Token, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { displayWidth, joinSourceLines, stripAnsi, wrapText } from './wrap.js';

/**
 * Lesson prose for the terminal, at the terminal's width. marked lexes the Markdown; the blocks
 * are laid out here and their text wrapped by `wrap.ts`, which knows Chinese: lines break
 * between CJK characters and never inside a Latin word, punctuation keeps its place, and a line
 * break in the source between two Chinese characters leaves no space. Lists keep their bullets
 * and numbers with a hanging indent, nested lists indent further, tables fit the width, and
 * code blocks are shown as they are (highlighted by marked-terminal), never re-wrapped.
 */

/** One line of rendered prose, with what it belongs to (the tests read this). */
export interface RenderedLine {
  text: string;
  /** `prose` is wrapped text; `code` a code block's line, as written; `blank` separates blocks. */
  kind: 'prose' | 'code' | 'table' | 'rule' | 'blank';
  /** Lines wrapped from one piece of text share a number. */
  block: number;
}

export interface RenderOptions {
  /** Styled text set before the first paragraph's first word (a hint's "Hint 1/2: "). */
  lead?: string;
}

// SGR codes, written by hand: no colour library for six styles.
const style = (open: number, close: number) => (text: string) =>
  text === '' ? '' : `\u001b[${open}m${text}\u001b[${close}m`;
const bold = style(1, 22);
const dim = style(2, 22);
const italic = style(3, 23);
const underline = style(4, 24);
const strike = style(9, 29);
const yellow = style(33, 39);
const blue = style(34, 39);
const green = style(32, 39);
const magenta = style(35, 39);
const gray = style(90, 39);

// C0 and C1 control characters but tab and newline: a lesson may not write escape codes of its own.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const clean = (text: string) => text.replace(CONTROL, '');

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? clean(String.fromCodePoint(code)) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Code languages the highlighter is asked for; anything else is shown as plain text. */
const LANGUAGES = new Set(
  'sh bash shell console zsh dockerfile yaml yml json ini toml sql javascript js typescript ts python xml html nginx makefile diff text plaintext'.split(
    ' ',
  ),
);

/**
 * A lesson's fence says more than the language (`sh id=run`, `input`): given whole to the
 * highlighter, it is an unknown language, and highlight.js complains on stderr, right across
 * the TUI's screen.
 */
function fenceLanguage(lang: string | undefined): string {
  const first = (lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return LANGUAGES.has(first) ? first : 'plaintext';
}

let highlighter: Marked | undefined;
/** A code block's lines, highlighted by marked-terminal (when colour is on), never wrapped. */
function codeLines(token: Tokens.Code): string[] {
  const source = clean(token.text.replace(/\t/g, '    '));
  highlighter ??= new Marked(markedTerminal({ tab: 0, reflowText: false }) as never);
  let text = source;
  try {
    const lang = fenceLanguage(token.lang);
    text = (
      highlighter.parser([{ ...token, text: source, lang }] as Token[]) as unknown as string
    ).replace(/\n+$/, '');
  } catch {
    // Shown plain.
  }
  const lines = text.split('\n');
  // Highlighting never adds or removes a line; if it did, the source is shown instead.
  return lines.length === source.split('\n').length ? lines : source.split('\n');
}

// ─── Inline text ───

/** Inline tokens as styled text; a hard line break (`br`) splits it into segments. */
function inline(tokens: Token[] | undefined): string[] {
  const segments = [''];
  const add = (text: string) => (segments[segments.length - 1] += text);
  const nested = (inner: Token[] | undefined, wrapWith: (text: string) => string) => {
    const parts = inline(inner);
    parts.forEach((part, i) => {
      if (i > 0) segments.push('');
      add(wrapWith(part));
    });
  };
  for (const token of tokens ?? []) {
    const t = token as Token & { tokens?: Token[]; text?: string };
    switch (token.type) {
      case 'text':
        if (t.tokens && t.tokens.length > 0) nested(t.tokens, (x) => x);
        else add(decode(clean(t.text ?? '')));
        break;
      case 'escape':
        add(clean(t.text ?? ''));
        break;
      case 'strong':
        nested(t.tokens, bold);
        break;
      case 'em':
        nested(t.tokens, italic);
        break;
      case 'del':
        nested(t.tokens, (x) => dim(strike(x)));
        break;
      case 'codespan':
        add(yellow(clean(t.text ?? '')));
        break;
      case 'br':
        segments.push('');
        break;
      case 'link': {
        const link = token as Tokens.Link;
        const text = inline(link.tokens).join(' ');
        const href = clean(link.href);
        const same = stripAnsi(text) === href || `mailto:${stripAnsi(text)}` === href;
        add(same ? blue(underline(href)) : `${blue(text)} (${blue(underline(href))})`);
        break;
      }
      case 'image': {
        const image = token as Tokens.Image;
        add(gray(`[${clean(image.text) || clean(image.href)}]`));
        break;
      }
      case 'html':
        add(gray(clean(t.text ?? '')));
        break;
      case 'checkbox':
        add((token as Tokens.Checkbox).checked ? '[x] ' : '[ ] ');
        break;
      default:
        add(decode(clean(t.text ?? token.raw)));
    }
  }
  return segments;
}

/** Inline Markdown (a quiz's question, a choice) as styled text on one line. */
export function renderInline(markdown: string): string {
  const tokens = Lexer.lexInline(markdown);
  return inline(tokens)
    .map((segment) => joinSourceLines(segment))
    .join(' ');
}

// ─── Blocks ───

class Layout {
  private blocks = 0;
  private lead: string | undefined;

  constructor(lead: string | undefined) {
    this.lead = lead;
  }

  private text(segments: string[], width: number, kind: RenderedLine['kind'] = 'prose') {
    const block = (this.blocks += 1);
    let text = segments.map((s) => joinSourceLines(s).trim()).join('\n');
    if (this.lead !== undefined) {
      text = this.lead + text;
      this.lead = undefined;
    }
    return wrapText(text, width, { indent: '' }).map((line) => ({ text: line, kind, block }));
  }

  /** Blocks one after the other; `tight` blocks (a tight list item's) have no blank between. */
  blocksOf(tokens: Token[], width: number, tight = false): RenderedLine[] {
    const out: RenderedLine[] = [];
    for (const token of tokens) {
      if (this.lead !== undefined && token.type !== 'paragraph' && token.type !== 'text') {
        if (token.type === 'space') continue;
        out.push(...this.text([''], width));
      }
      const lines = this.block(token, width);
      if (lines.length === 0) continue;
      if (out.length > 0 && !tight) out.push({ text: '', kind: 'blank', block: 0 });
      out.push(...lines);
    }
    return out;
  }

  private block(token: Token, width: number): RenderedLine[] {
    switch (token.type) {
      case 'space':
      case 'def':
        return [];
      case 'paragraph':
      case 'text': {
        const t = token as Tokens.Paragraph | Tokens.Text;
        return this.text(
          t.tokens && t.tokens.length > 0 ? inline(t.tokens) : [decode(clean(t.text))],
          width,
        );
      }
      case 'heading': {
        const heading = token as Tokens.Heading;
        const look =
          heading.depth === 1
            ? (x: string) => magenta(underline(bold(x)))
            : (x: string) => green(bold(x));
        return this.text(inline(heading.tokens).map(look), width);
      }
      case 'code': {
        // Never re-filled: each line as written. Only a line wider than the terminal is folded
        // (at a space where it has one), its rest indented two more: the terminal would fold it
        // anyway, at its edge.
        const block = (this.blocks += 1);
        return codeLines(token as Tokens.Code).flatMap((line) => {
          if (line === '') return [{ text: '', kind: 'code' as const, block }];
          const text = `  ${line}`;
          const lines =
            displayWidth(text) <= width
              ? [text]
              : wrapText(text, width, { indent: `${/^ */.exec(stripAnsi(text))?.[0] ?? ''}  ` });
          return lines.map((l) => ({ text: l, kind: 'code' as const, block }));
        });
      }
      case 'blockquote': {
        const inner = this.blocksOf((token as Tokens.Blockquote).tokens, Math.max(10, width - 2));
        return inner.map((line) => ({ ...line, text: `${gray('│')} ${line.text}`.trimEnd() }));
      }
      case 'list':
        return this.list(token as Tokens.List, width, 0);
      case 'table':
        return this.table(token as Tokens.Table, width);
      case 'hr':
        return [{ text: gray('─'.repeat(width)), kind: 'rule', block: (this.blocks += 1) }];
      case 'html': {
        const html = clean((token as Tokens.HTML).text).replace(/\n+$/, '');
        const block = (this.blocks += 1);
        return html
          .split('\n')
          .flatMap((line) => wrapText(gray(line), width))
          .map((text) => ({ text, kind: 'prose' as const, block }));
      }
      default:
        return this.text([decode(clean(token.raw.trim()))], width);
    }
  }

  private list(list: Tokens.List, width: number, depth: number): RenderedLine[] {
    const start = typeof list.start === 'number' ? list.start : 1;
    const markers = list.items.map((_, i) =>
      list.ordered ? `${start + i}.` : (['•', '◦', '▪'][depth % 3] ?? '•'),
    );
    const markerWidth = Math.max(...markers.map(displayWidth)) + 1;
    const out: RenderedLine[] = [];
    list.items.forEach((item, i) => {
      const room = Math.max(10, width - markerWidth);
      const lines: RenderedLine[] = [];
      // A task's box goes before its text.
      const box = item.tokens[0]?.type === 'checkbox' ? (item.checked ? '[x] ' : '[ ] ') : '';
      if (box) this.lead = (this.lead ?? '') + box;
      for (const child of item.tokens) {
        if (child.type === 'checkbox') continue;
        const part =
          child.type === 'list'
            ? this.list(child as Tokens.List, room, depth + 1)
            : this.blocksOf([child], room);
        if (part.length === 0) continue;
        if (lines.length > 0 && item.loose) lines.push({ text: '', kind: 'blank', block: 0 });
        lines.push(...part);
      }
      if (lines.length === 0) lines.push({ text: '', kind: 'prose', block: (this.blocks += 1) });
      if (out.length > 0 && list.loose) out.push({ text: '', kind: 'blank', block: 0 });
      const marker = (markers[i] ?? '').padStart(markerWidth - 1) + ' ';
      const pad = ' '.repeat(markerWidth);
      lines.forEach((line, j) => {
        const prefix = j === 0 ? gray(marker) : line.text === '' ? '' : pad;
        out.push({ ...line, text: prefix + line.text });
      });
    });
    return out;
  }

  /**
   * A table in columns when they fit (cells wrapped in their column), else row by row: each
   * cell under its column's name.
   */
  private table(table: Tokens.Table, width: number): RenderedLine[] {
    const gap = 2;
    const cell = (c: Tokens.TableCell) => inline(c.tokens).map(joinSourceLines).join('\n');
    const header = table.header.map((c) => bold(cell(c)));
    const rows = table.rows.map((row) => row.map(cell));
    const n = header.length;
    const natural = header.map((h, i) =>
      Math.max(
        ...[h, ...rows.map((r) => r[i] ?? '')].flatMap((text) =>
          text.split('\n').map(displayWidth),
        ),
        1,
      ),
    );
    // Fair shares: the narrowest columns get all they need, the rest share what is left.
    const widths = new Array<number>(n).fill(0);
    let left = width - gap * (n - 1);
    const order = natural.map((w, i) => ({ w, i })).sort((a, b) => a.w - b.w);
    order.forEach(({ w, i }, k) => {
      const share = Math.floor(left / (n - k));
      widths[i] = Math.min(w, share);
      left -= widths[i];
    });
    const block = (this.blocks += 1);
    // A column squeezed below eight columns (four Chinese characters) is too narrow to read.
    if (widths.every((w, i) => w === natural[i] || w >= 8)) {
      const line = (cells: string[]) => {
        const wrapped = cells.map((c, i) => wrapText(c, widths[i] ?? 1, { indent: '' }));
        const height = Math.max(...wrapped.map((w) => w.length));
        return Array.from({ length: height }, (_, k) =>
          wrapped
            .map((w, i) => {
              const text = w[k] ?? '';
              return i === n - 1
                ? text
                : text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text)));
            })
            .join(' '.repeat(gap))
            .trimEnd(),
        );
      };
      return [
        ...line(header),
        widths.map((w) => gray('─'.repeat(w))).join(' '.repeat(gap)),
        ...rows.flatMap(line),
      ].map((text) => ({ text, kind: 'table' as const, block }));
    }
    // Too narrow for columns: one row after another, each cell after its column's name.
    const nameWidth = Math.min(Math.max(...header.map(displayWidth)), Math.floor(width / 3));
    const out: string[] = [];
    rows.forEach((row, r) => {
      if (r > 0) out.push(gray('─'.repeat(Math.min(width, 8))));
      row.forEach((value, i) => {
        const name = wrapText(header[i] ?? '', nameWidth, { indent: '' });
        const text = wrapText(value, width - nameWidth - gap, { indent: '' });
        const height = Math.max(name.length, text.length);
        for (let k = 0; k < height; k += 1) {
          const left = name[k] ?? '';
          out.push(
            `${left}${' '.repeat(nameWidth - displayWidth(left) + gap)}${text[k] ?? ''}`.trimEnd(),
          );
        }
      });
    });
    return out.map((text) => ({ text, kind: 'table' as const, block }));
  }
}

/** The rendered lines of `markdown` at `width` columns, with colour (strip it for none). */
export function renderMarkdownLines(
  markdown: string,
  width: number,
  options: RenderOptions = {},
): RenderedLine[] {
  const layout = new Layout(options.lead);
  const lines = layout.blocksOf(new Lexer().lex(markdown.replace(/\r\n?/g, '\n')), width);
  while (lines.at(-1)?.kind === 'blank') lines.pop();
  return lines;
}

/**
 * Rendered Markdown is cached per width: re-rendering on every output chunk would be wasted
 * work.
 */
const cache = new Map<string, string>();

export function renderMarkdown(
  markdown: string,
  width: number,
  color: boolean,
  options: RenderOptions = {},
): string {
  const key = `${width}:${color ? 1 : 0}:${options.lead ?? ''}\u0000${markdown}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const lines = renderMarkdownLines(markdown, Math.max(20, width), options).map((l) => l.text);
  let text = lines.join('\n').trimEnd();
  if (!color) text = stripAnsi(text);
  if (cache.size > 200) cache.clear();
  cache.set(key, text);
  return text;
}
