import { Lexer, Tokenizer, type Token, type Tokens } from 'marked';

/**
 * Markdown's block structure for the lesson parser, safe on any input size.
 *
 * marked matches a paragraph and a setext heading (`Title` over `===`) with one regular
 * expression each, run over the rest of the document. On a paragraph of a few megabytes with no
 * blank line, V8's regexp backtracking stack runs out and marked throws "Maximum call stack size
 * exceeded". Two changes keep every regexp run short, without changing what normal lessons lex
 * to:
 * - paragraphs are fed to marked in pieces of about PARAGRAPH_PIECE characters, cut at the start
 *   of a line that cannot open a block of its own, and joined back into one paragraph token (as
 *   marked does for a paragraph that an extension's start hook clipped);
 * - a setext heading is only looked for up to its underline (or the first blank line), and not
 *   at all beyond SETEXT_LIMIT characters: a "title" that long is read as a paragraph.
 *
 * Inline Markdown (emphasis, links) is not lexed: the lesson parser reads block tokens only.
 */

const PARAGRAPH_PIECE = 128 * 1024;
export const SETEXT_LIMIT = 64 * 1024;

const UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const BLANK = /^[ \t]*$/;
/**
 * A line start where a clipped paragraph may go on: up to 3 spaces, then neither `<` (an HTML
 * block) nor a number with `.` or `)` (a list that could not interrupt a paragraph). Any other
 * line either interrupts the paragraph anyway or cannot open a block.
 */
const PIECE_BOUNDARY = /\n(?= {0,3}(?:[^\s<\d]|\d+(?![\d.)])))/g;

/** Where a setext heading at the start of `src` could end (after its underline), or -1. */
function setextEnd(src: string): number {
  let start = src.indexOf('\n') + 1;
  while (start > 0 && start <= SETEXT_LIMIT) {
    const newline = src.indexOf('\n', start);
    const line = src.slice(start, newline === -1 ? undefined : newline);
    if (BLANK.test(line)) return -1;
    if (UNDERLINE.test(line)) {
      if (newline === -1) return src.length;
      let end = newline;
      while (src.charCodeAt(end) === 10) end++;
      return end;
    }
    start = newline + 1;
  }
  return -1;
}

class BoundedTokenizer extends Tokenizer {
  override lheading(src: string): Tokens.Heading | undefined {
    const end = setextEnd(src);
    return end === -1 ? undefined : super.lheading(end === src.length ? src : src.slice(0, end));
  }
}

/** marked's start hook: src is the rest of the document after its first character. */
function paragraphPiece(src: string): number | undefined {
  if (src.length <= PARAGRAPH_PIECE) return undefined;
  PIECE_BOUNDARY.lastIndex = PARAGRAPH_PIECE;
  const match = PIECE_BOUNDARY.exec(src);
  return match ? match.index + 1 : undefined;
}

/** The block tokens of Markdown text (LF line ends); top-level raws tile the input. */
export function lexBlocks(markdown: string): Token[] {
  const lexer = new Lexer({
    gfm: true,
    tokenizer: new BoundedTokenizer(),
    extensions: { renderers: {}, childTokens: {}, block: [], startBlock: [paragraphPiece] },
  });
  return lexer.blockTokens(markdown, []);
}
