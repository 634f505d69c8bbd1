/**
 * A lesson's text, normalised once (BOM dropped, CRLF and lone CR turned into LF) with an index
 * of line starts, so any offset maps to a 1-based line and column in O(log n).
 * Columns count UTF-16 code units from 1, like most editors' "Col" for BMP text (CJK included).
 */
export interface Position {
  line: number;
  col: number;
}

export class SourceText {
  readonly text: string;
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    raw: string,
  ) {
    let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    this.text = text;
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  }

  offsetOfLine(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1]!;
  }

  lineText(line: number): string {
    const start = this.offsetOfLine(line);
    const end = this.text.indexOf('\n', start);
    return this.text.slice(start, end === -1 ? undefined : end);
  }
}
