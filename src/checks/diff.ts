/**
 * A line diff for failure reports: expected text against actual text, by longest common
 * subsequence. Long unchanged stretches collapse to a count so the differences stay in view.
 */

export type DiffLine =
  { op: 'same' | 'removed' | 'added'; text: string } | { op: 'skip'; count: number };

/** Above this many cells the LCS table is not worth it: show all removed, then all added. */
const MAX_CELLS = 1_000_000;

function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** The edit script between two line lists, as same/removed/added lines. */
function lcsDiff(a: string[], b: string[]): DiffLine[] {
  if (a.length * b.length > MAX_CELLS) {
    return [
      ...a.map((text) => ({ op: 'removed' as const, text })),
      ...b.map((text) => ({ op: 'added' as const, text })),
    ];
  }
  // lengths[i][j]: LCS length of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      out.push({ op: 'removed', text: a[i++]! });
    } else {
      out.push({ op: 'added', text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ op: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ op: 'added', text: b[j++]! });
  return out;
}

/** Keeps `context` unchanged lines around each change; longer unchanged runs become a skip. */
function collapse(lines: DiffLine[], context: number): DiffLine[] {
  const out: DiffLine[] = [];
  let run: DiffLine[] = [];
  const flush = (atStart: boolean, atEnd: boolean): void => {
    const keepHead = atStart ? 0 : context;
    const keepTail = atEnd ? 0 : context;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead));
      out.push({ op: 'skip', count: run.length - keepHead - keepTail });
      out.push(...run.slice(run.length - keepTail));
    } else {
      out.push(...run);
    }
    run = [];
  };
  for (const line of lines) {
    if (line.op === 'same') {
      run.push(line);
      continue;
    }
    flush(out.length === 0, false);
    out.push(line);
  }
  flush(out.length === 0, true);
  return out;
}

/** Marks that make a line's invisible end visible (see `visibleLines`). */
export const LINE_END_MARK = '⏎';
const SPACE_MARK = '·';
const TAB_MARK = '→';

/**
 * The lines of a text as a diff shows them: spaces and tabs at a line's end made visible
 * (`·`, `→`), and, when `markFinal`, the final line end too (`⏎`), so that two texts that differ
 * only there do not look the same.
 */
function visibleLines(text: string, markFinal: boolean): string[] {
  const lines = splitLines(text).map((line) =>
    line.replace(/[ \t]+$/, (ws) => ws.replace(/ /g, SPACE_MARK).replace(/\t/g, TAB_MARK)),
  );
  if (markFinal && /\n$/.test(text) && lines.length > 0)
    lines[lines.length - 1] = `${lines.at(-1)!}${LINE_END_MARK}`;
  return lines;
}

/** Whether a diff line shows an invisible end with a mark (the report then explains them). */
export function showsMarks(line: DiffLine): boolean {
  return line.op !== 'skip' && /[·→⏎]$/.test(line.text);
}

/**
 * The line diff from `expected` to `actual`, with `context` unchanged lines around changes.
 * Trailing spaces and tabs are shown as `·` and `→`; when one text ends with a line end and the
 * other does not, that final line end is shown as `⏎`.
 */
export function lineDiff(expected: string, actual: string, context = 2): DiffLine[] {
  const markFinal = /\n$/.test(expected) !== /\n$/.test(actual);
  return collapse(
    lcsDiff(visibleLines(expected, markFinal), visibleLines(actual, markFinal)),
    context,
  );
}
