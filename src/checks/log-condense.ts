/**
 * A container's last log lines as a learner should read them: control sequences removed, runs
 * of the same lines (a retry loop printing the same five lines four times) said once with how
 * many times, and, when still long, the lines that say something went wrong plus the last few.
 * Lines count as the same when they differ only in a leading timestamp.
 */
import { plainTerminalText } from '../terminal-text.js';

const TIMESTAMP = /^\s*\[?\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?\]?\s*/;
const TELLING =
  /error|fatal|fail|denied|refused|cannot|can't|unable|panic|exception|not found|no such|invalid|missing|required|specify/i;

const sameAs = (line: string) => line.replace(TIMESTAMP, '').trim();

export interface CondensedLine {
  text: string;
  /** How many times this line (or block of `block` lines) came in a row; 1 when once. */
  times: number;
  /** Lines in the repeated block (1: the line alone). */
  block: number;
}

/** Consecutive repeats of a line, or of a block of up to `maxBlock` lines, collapsed. */
export function collapseRepeats(lines: readonly string[], maxBlock = 6): CondensedLine[] {
  const keys = lines.map(sameAs);
  const out: CondensedLine[] = [];
  let i = 0;
  while (i < lines.length) {
    let best = { size: 1, times: 1 };
    for (let size = 1; size <= maxBlock && i + size * 2 <= lines.length; size++) {
      let times = 1;
      while (
        i + size * (times + 1) <= lines.length &&
        keys.slice(i, i + size).every((k, j) => k === keys[i + size * times + j])
      )
        times++;
      if (times > 1 && size * times > best.size * best.times) best = { size, times };
    }
    const last = i + best.size * (best.times - 1);
    for (let j = 0; j < best.size; j++)
      out.push({
        text: lines[last + j]!,
        times: j === 0 ? best.times : 1,
        block: j === 0 ? best.size : 0,
      });
    i += best.size * best.times;
  }
  return out;
}

/**
 * At most `max` lines to show: repeats collapsed, and when more remain, the telling lines
 * (errors, refusals, what is missing) and the last lines, in their order, `…` where lines are
 * left out. `repeated(times, block)` words the note after a repeated line or block.
 */
export function condenseLog(
  raw: readonly string[],
  max: number,
  repeated: (times: number, block: number) => string,
): string[] {
  const lines = plainTerminalText(raw.join('\n'))
    .split('\n')
    .filter((line, i, all) => line.trim() !== '' || i < all.length - 1);
  const collapsed = collapseRepeats(lines);
  const shown = (c: CondensedLine) =>
    c.times > 1 ? `${c.text}  ${repeated(c.times, c.block)}` : c.text;
  if (collapsed.length <= max) return collapsed.map(shown);
  const tail = Math.max(1, Math.floor(max / 2));
  const keep = new Set<number>();
  for (let i = collapsed.length - tail; i < collapsed.length; i++) keep.add(i);
  for (let i = collapsed.length - tail - 1; i >= 0 && keep.size < max; i--)
    if (TELLING.test(collapsed[i]!.text)) keep.add(i);
  const out: string[] = [];
  let last = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (i !== last + 1) out.push('…');
    out.push(shown(collapsed[i]!));
    last = i;
  }
  return out;
}
