/**
 * Text wrapped to a terminal's width, for Chinese as well as English. Pure: no I/O, no state.
 *
 * - Width is measured in display columns (string-width): a CJK character takes two.
 * - ANSI escape codes are kept and take no room. A style still open where a line ends is closed
 *   there and opened again after the next line's indent, so every line stands on its own (an
 *   underline never runs under an indent).
 * - A line may break at spaces (which are dropped at the break) and between any two wide
 *   characters, never inside a Latin word: a word longer than the whole line is cut.
 * - Kinsoku: closing punctuation (，。、；：？！）」』】》 …) never starts a line and opening
 *   punctuation (（「『【《 …) never ends one; the character next to it moves with it. A dash
 *   or an ellipsis (—— ……) is never split.
 * - A continuation line keeps the indent of its line, and the hanging indent of a list item
 *   (`- `, `1. `, `• `).
 */
import stringWidth from 'string-width';

// Escape sequences: CSI (colours are SGR, `ESC [ … m`) and OSC (hyperlinks, titles).
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// eslint-disable-next-line no-control-regex
const SGR = /^\u001b\[([0-9;]*)m$/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns `text` takes in a terminal, escape codes not counted. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, '');
}

/** Closing punctuation: never at the start of a line. */
const CLOSING = new Set([...'，。、；：？！）」』】》〉〕〗〙〛］｝｠．・％’”,.:;!?)]}%·']);
/** Opening punctuation: never at the end of a line. */
const OPENING = new Set([...'（「『【《〈〔〖〘〚［｛｟‘“([{']);
/** Two of these in a row are one mark (—— ……) and are never split. */
const INSEPARABLE = new Set(['—', '…', '⋯']);
/** Punctuation that is full-width in form (CJK symbols and punctuation, full-width forms). */
const FULL_WIDTH_PUNCTUATION =
  /^[\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]$/;
/** Narrow in the width tables, but set solid with Chinese: “ ” ‘ ’ — … · */
const CJK_STYLE_PUNCTUATION = new Set([...'“”‘’—…⋯·']);
const HANGUL = /^[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

/** Columns of one grapheme, remembered: prose is measured a character at a time. */
const widths = new Map<string, number>();
function graphemeWidth(grapheme: string): number {
  let w = widths.get(grapheme);
  if (w === undefined) {
    w = stringWidth(grapheme);
    if (widths.size > 5000) widths.clear();
    widths.set(grapheme, w);
  }
  return w;
}

/** A CJK character, a full-width form or another wide character (two columns). */
export function isWide(grapheme: string): boolean {
  return grapheme !== '' && graphemeWidth(grapheme) === 2;
}

export function isFullWidthPunctuation(grapheme: string): boolean {
  return FULL_WIDTH_PUNCTUATION.test(grapheme);
}

/** Closing punctuation of either width: a line may not start with it. */
export function isClosingPunctuation(grapheme: string): boolean {
  return CLOSING.has(grapheme);
}

type Unit =
  | { kind: 'escape'; text: string }
  | { kind: 'space'; text: string }
  | { kind: 'newline'; text: string }
  | { kind: 'char'; text: string; width: number };

function units(text: string): Unit[] {
  const out: Unit[] = [];
  let last = 0;
  const chars = (piece: string) => {
    for (const { segment } of graphemes.segment(piece)) {
      if (segment === ' ' || segment === '\t') out.push({ kind: 'space', text: ' ' });
      else if (segment === '\n' || segment === '\r\n' || segment === '\r')
        out.push({ kind: 'newline', text: '\n' });
      else out.push({ kind: 'char', text: segment, width: graphemeWidth(segment) });
    }
  };
  for (const match of text.matchAll(ESCAPES)) {
    chars(text.slice(last, match.index));
    out.push({ kind: 'escape', text: match[0] });
    last = match.index + match[0].length;
  }
  chars(text.slice(last));
  return out;
}

/**
 * A character's part in line breaking: closing and opening punctuation, a straight quote that
 * stays with both neighbours, or none. A straight double quote opens or closes by its count in
 * the line: Chinese text set with `"` breaks before the first and after the second.
 */
type Role = 'open' | 'close' | 'glue' | undefined;

function role(grapheme: string, quotes: { open: boolean }): Role {
  if (grapheme === '"') {
    quotes.open = !quotes.open;
    return quotes.open ? 'open' : 'close';
  }
  if (grapheme === "'") return 'glue';
  if (CLOSING.has(grapheme)) return 'close';
  if (OPENING.has(grapheme)) return 'open';
  return undefined;
}

interface Classified {
  text: string;
  role: Role;
}

/** May a line break between these two characters (with no space between them)? */
function breakBetween(before: Classified, after: Classified): boolean {
  if (after.role === 'close' || before.role === 'open') return false;
  if (after.role === 'glue' || before.role === 'glue') return false;
  if (INSEPARABLE.has(before.text) && before.text === after.text) return false;
  return (
    isWide(before.text) ||
    isWide(after.text) ||
    INSEPARABLE.has(after.text) ||
    // A quote next to a wide character (a Chinese word in straight quotes, then Chinese).
    (before.role === 'close' && isWide(after.text)) ||
    (after.role === 'open' && isWide(before.text))
  );
}

/** May a line break at spaces between these two characters? */
function breakAtSpace(before: Classified | undefined, after: Classified | undefined): boolean {
  if (after && isFullWidthPunctuation(after.text) && after.role === 'close') return false;
  // A separator ( · ) ends the words before it: `n/p step ·` then `x reset`.
  if (after?.text === '·') return false;
  return !(before && isFullWidthPunctuation(before.text) && before.role === 'open');
}

/**
 * Joins a paragraph's source lines the way Chinese and English each expect: a line break
 * between two CJK characters, or next to full-width punctuation, disappears; between other
 * words it becomes one space. Spaces around the break go with it; escape codes stay.
 */
export function joinSourceLines(text: string): string {
  if (!text.includes('\n')) return text;
  const all = units(text);
  const visible = (i: number, step: 1 | -1): string | undefined => {
    for (let j = i; j >= 0 && j < all.length; j += step) {
      const u = all[j]!;
      if (u.kind === 'char') return u.text;
      if (u.kind === 'newline') return undefined;
    }
    return undefined;
  };
  let out = '';
  let i = 0;
  while (i < all.length) {
    const u = all[i]!;
    if (u.kind !== 'space' && u.kind !== 'newline') {
      out += u.text;
      i += 1;
      continue;
    }
    // A run of spaces and line breaks (with any escape codes inside it).
    let j = i;
    let breaks = false;
    let escapes = '';
    while (j < all.length && all[j]!.kind !== 'char') {
      const w = all[j]!;
      if (w.kind === 'newline') breaks = true;
      else if (w.kind === 'escape') escapes += w.text;
      j += 1;
    }
    if (!breaks) {
      for (let k = i; k < j; k += 1) out += all[k]!.text;
    } else {
      const before = visible(i - 1, -1);
      const after = j < all.length ? all[j]!.text : undefined;
      const solid = before === undefined || after === undefined || joinsSolid(before, after);
      out += solid ? escapes : ` ${escapes}`;
    }
    i = j;
  }
  return out;
}

function joinsSolid(before: string, after: string): boolean {
  const cjk = (g: string) => isWide(g) && !HANGUL.test(g);
  if (isFullWidthPunctuation(before) || isFullWidthPunctuation(after)) return true;
  if (cjk(before) && cjk(after)) return true;
  return (
    (CJK_STYLE_PUNCTUATION.has(before) && cjk(after)) ||
    (cjk(before) && CJK_STYLE_PUNCTUATION.has(after))
  );
}

/** The indent a line's continuation lines take: its own, plus a list item's marker. */
export function hangingIndent(line: string): string {
  const plain = stripAnsi(line);
  const match = /^( *)((?:[-*+•◦▪]|\d{1,9}[.)])(?: \[[ xX]\])? +)?/.exec(plain);
  const lead = match?.[0] ?? '';
  // A marker alone on its line is not an item yet.
  if (lead.length === plain.length) return ' '.repeat((match?.[1] ?? '').length);
  return ' '.repeat(stringWidth(lead));
}

// ─── SGR state: which styles are open, to close them at a line's end and reopen them after. ───

type Styles = Map<string, string>;

const CLOSERS: Record<string, string> = {
  bold: '22',
  dim: '22',
  italic: '23',
  underline: '24',
  blink: '25',
  inverse: '27',
  hidden: '28',
  strike: '29',
  fg: '39',
  bg: '49',
  overline: '55',
};

function applySgr(styles: Styles, code: string): void {
  const match = SGR.exec(code);
  if (!match) return;
  const params = (match[1] ?? '').split(';').map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < params.length; i += 1) {
    const p = params[i]!;
    const set = (name: string, value: string) => styles.set(name, value);
    if (p === 0) styles.clear();
    else if (p === 1) set('bold', '1');
    else if (p === 2) set('dim', '2');
    else if (p === 3) set('italic', '3');
    else if (p === 4) set('underline', '4');
    else if (p === 5 || p === 6) set('blink', String(p));
    else if (p === 7) set('inverse', '7');
    else if (p === 8) set('hidden', '8');
    else if (p === 9) set('strike', '9');
    else if (p === 22) {
      styles.delete('bold');
      styles.delete('dim');
    } else if (p === 23) styles.delete('italic');
    else if (p === 24) styles.delete('underline');
    else if (p === 25) styles.delete('blink');
    else if (p === 27) styles.delete('inverse');
    else if (p === 28) styles.delete('hidden');
    else if (p === 29) styles.delete('strike');
    else if (p === 39) styles.delete('fg');
    else if (p === 49) styles.delete('bg');
    else if (p === 53) set('overline', '53');
    else if (p === 55) styles.delete('overline');
    else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) set('fg', String(p));
    else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107)) set('bg', String(p));
    else if (p === 38 || p === 48) {
      const mode = params[i + 1];
      const take = mode === 5 ? 2 : mode === 2 ? 4 : 0;
      set(p === 38 ? 'fg' : 'bg', params.slice(i, i + 1 + take).join(';'));
      i += take;
    }
  }
}

const closeAll = (styles: Styles): string =>
  styles.size === 0
    ? ''
    : `\u001b[${[...new Set([...styles.keys()].map((k) => CLOSERS[k]))].join(';')}m`;
const openAll = (styles: Styles): string =>
  styles.size === 0 ? '' : `\u001b[${[...styles.values()].join(';')}m`;

/** An escape code that ends a style: it stays with the text before it. */
function isCloser(code: string): boolean {
  const match = SGR.exec(code);
  if (!match) return false;
  return (match[1] ?? '')
    .split(';')
    .every((p) =>
      ['', '0', '22', '23', '24', '25', '27', '28', '29', '39', '49', '55'].includes(p),
    );
}

// ─── Wrapping ───

/**
 * A piece no line break may enter, with what stands before it: spaces (dropped when the piece
 * starts a line) and escape codes (always kept), in their order.
 */
interface Piece {
  lead: Unit[];
  body: Unit[];
  width: number;
}

const newPiece = (): Piece => ({ lead: [], body: [], width: 0 });
const hasText = (piece: Piece) => piece.body.some((u) => u.kind === 'char');

function pieces(line: Unit[]): Piece[] {
  const out: Piece[] = [];
  let current = newPiece();
  let lastChar: Classified | undefined;
  // Escape codes after the last character: they go where the next break puts them.
  let pending: Unit[] = [];
  const quotes = { open: false };
  const roles = line.map((u) => (u.kind === 'char' ? role(u.text, quotes) : undefined));
  const classified = (j: number): Classified => ({ text: line[j]!.text, role: roles[j] });
  const nextChar = (from: number) => {
    for (let j = from; j < line.length; j += 1) if (line[j]!.kind === 'char') return classified(j);
    return undefined;
  };
  for (let i = 0; i < line.length; i += 1) {
    const u = line[i]!;
    if (u.kind === 'newline') continue;
    if (!hasText(current)) {
      if (u.kind === 'char') {
        current.body.push(u);
        current.width += u.width;
        lastChar = classified(i);
      } else current.lead.push(u);
      continue;
    }
    if (u.kind === 'escape') {
      pending.push(u);
      continue;
    }
    if (u.kind === 'space') {
      if (breakAtSpace(lastChar, nextChar(i + 1))) {
        // Everything before the space stays with the piece before it.
        current.body.push(...pending);
        pending = [];
        out.push(current);
        current = newPiece();
        current.lead.push(u);
      } else {
        current.body.push(...pending, u);
        pending = [];
        current.width += 1;
      }
      continue;
    }
    if (breakBetween(lastChar!, classified(i))) {
      // A closing code stays with the text it closes; the rest opens what follows.
      let split = 0;
      while (split < pending.length && isCloser(pending[split]!.text)) split += 1;
      current.body.push(...pending.slice(0, split));
      out.push(current);
      current = newPiece();
      current.lead.push(...pending.slice(split));
    } else current.body.push(...pending);
    pending = [];
    current.body.push(u);
    current.width += u.width;
    lastChar = classified(i);
  }
  current.body.push(...pending);
  if (current.lead.length > 0 || current.body.length > 0) out.push(current);
  return out;
}

export interface WrapOptions {
  /**
   * The indent of continuation lines. By default each line's own indent, plus the width of a
   * list marker at its start (a hanging indent).
   */
  indent?: string;
}

/**
 * `text` as lines of at most `width` columns (see the top of this file). A `\n` in `text` is a
 * hard break. Spaces at the end of a line are dropped. Tabs count as one space: expand them
 * first where that matters.
 */
export function wrapText(text: string, width: number, options: WrapOptions = {}): string[] {
  const out: string[] = [];
  const styles: Styles = new Map();
  let hard: Unit[] = [];
  for (const u of units(text)) {
    if (u.kind === 'newline') {
      out.push(...wrapLine(hard, width, styles, options.indent));
      hard = [];
    } else hard.push(u);
  }
  out.push(...wrapLine(hard, width, styles, options.indent));
  return out;
}

const columnsOf = (u: Unit) => (u.kind === 'char' ? u.width : u.kind === 'space' ? 1 : 0);

/**
 * Where a piece too long for any line is cut: as late as each line allows, but never right
 * before closing punctuation (the character before it goes along).
 */
function cutPoints(
  body: Unit[],
  used: number,
  width: number,
  lineStart: number,
  indentWidth: number,
): Set<number> {
  const cuts = new Set<number>();
  let start = 0;
  let at = used;
  let floor = lineStart;
  // Spaces at the start of a cut line are dropped: they take no room.
  let leading = false;
  for (let k = 0; k < body.length; k += 1) {
    const u = body[k]!;
    const w = columnsOf(u);
    if (w === 0 || (leading && u.kind === 'space')) continue;
    if (at + w > width && at > floor) {
      let cut = k;
      if (CLOSING.has(u.text)) {
        // Back to the character before, if the line keeps something and the two fit.
        let p = k - 1;
        while (p > start && body[p]!.kind !== 'char') p -= 1;
        let moved = indentWidth + w;
        for (let j = p; j < k; j += 1) moved += columnsOf(body[j]!);
        if (p > start && moved <= width) cut = p;
      }
      cuts.add(cut);
      start = cut;
      floor = indentWidth;
      at = indentWidth;
      leading = true;
      for (let j = cut; j < k; j += 1) {
        if (leading && body[j]!.kind === 'space') continue;
        if (body[j]!.kind === 'char') leading = false;
        at += columnsOf(body[j]!);
      }
      if (u.kind === 'space' && leading) continue;
    }
    if (u.kind === 'char') leading = false;
    at += w;
  }
  return cuts;
}

function wrapLine(line: Unit[], width: number, styles: Styles, given?: string): string[] {
  let indent = given ?? hangingIndent(line.map((u) => u.text).join(''));
  // No room for text after the indent: continuation lines start at the margin.
  if (stringWidth(indent) + 2 > width) indent = '';
  const indentWidth = stringWidth(indent);
  const lines: string[] = [];
  let text = openAll(styles);
  let used = 0;
  // Nothing but the indent on the line yet (and, on the first line, nothing at all).
  let empty = true;
  const first = () => lines.length === 0;
  const endLine = () => {
    lines.push(text.replace(/ +$/, '') + closeAll(styles));
    text = indent + openAll(styles);
    used = indentWidth;
    empty = true;
  };
  const put = (u: Unit) => {
    if (u.kind === 'escape') applySgr(styles, u.text);
    else used += u.kind === 'char' ? u.width : 1;
    text += u.text;
  };
  for (const piece of pieces(line)) {
    if (!hasText(piece)) {
      // Spaces at the end of the line: dropped, with no line of their own.
      for (const u of piece.lead) if (u.kind === 'escape' || (empty && first())) put(u);
      continue;
    }
    const spaces = piece.lead.filter((u) => u.kind === 'space').length;
    if (!empty && used + spaces + piece.width > width) endLine();
    // Spaces are kept between pieces, and at the start of the whole line (its indent) when the
    // text still fits after them.
    const keepSpaces = !empty || (first() && spaces + Math.min(piece.width, 2) <= width);
    for (const u of piece.lead) if (u.kind === 'escape' || keepSpaces) put(u);
    if (used + piece.width <= width) {
      for (const u of piece.body) put(u);
    } else {
      // Longer than a whole line: cut it, grapheme by grapheme.
      const cuts = cutPoints(piece.body, used, width, first() ? 0 : indentWidth, indentWidth);
      let dropping = false;
      piece.body.forEach((u, k) => {
        if (cuts.has(k)) {
          endLine();
          dropping = true;
        }
        // A space where the piece was cut goes, as at any break.
        if (dropping && u.kind === 'space') return;
        if (u.kind === 'char') dropping = false;
        put(u);
      });
    }
    if (hasText(piece)) empty = false;
  }
  lines.push(text.replace(/ +$/, '') + closeAll(styles));
  return lines;
}
