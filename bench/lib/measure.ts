/**
 * What every benchmark shares: timing a process, alternating two sides, medians, the rows of
 * the one table `npm run bench` prints, and cleanup that also runs on Ctrl-C.
 *
 * Timing is done here, by hand, rather than by an outside whole-process timer: the check engine
 * is timed inside one process, the TUI's figures are times until a text shows on a
 * pseudo-terminal, and a verify sample that had to wait for another run's daemon lock is thrown
 * away and taken again; a timer that only sees whole processes can do none of these. It also
 * keeps `npm run bench` to what every machine with the project has: Node and bash.
 */
import { spawn } from 'node:child_process';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = `${ROOT}dist/cli.js`;

/** A target a row is judged by: the ratio to its baseline, or the measured value itself. */
export type Target = { ratio: number } | { max: number } | { atLeast: number };

export interface Row {
  name: string;
  /** The unit of `measured` and of the baseline (ms, MiB ...). */
  unit: string;
  measured: number;
  /** Measured in the same run, alternating with the measured side. */
  baseline?: number;
  target?: Target;
  /** A few words after the verdict (the samples, what the baseline is). */
  note?: string;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const now = (): number => performance.now();

export interface Finished {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; `ms` is from spawn to exit. */
export function timeProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd ?? ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: now() - started, code, stdout, stderr }));
  });
}

/**
 * `rounds` samples of each side, in turn, and the side that goes first swapped every round, so
 * that drift on a busy machine hits both alike.
 */
export async function alternate(
  rounds: number,
  baseline: () => Promise<number>,
  measured: () => Promise<number>,
): Promise<{ baseline: number[]; measured: number[] }> {
  const out = { baseline: [] as number[], measured: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      out.baseline.push(await baseline());
      out.measured.push(await measured());
    } else {
      out.measured.push(await measured());
      out.baseline.push(await baseline());
    }
  }
  return out;
}

/** Progress for the person waiting, on stderr: the table alone goes to stdout. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ---- cleanup that also runs when the benchmark is interrupted -------------------------------

const cleanups = new Set<() => void>();

/**
 * Registers a synchronous cleanup (remove containers, a folder) that runs if the process is
 * interrupted; the returned function runs it now and unregisters it (for `finally`).
 */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    if (!cleanups.delete(cleanup)) return;
    cleanup();
  };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const cleanup of cleanups) {
      try {
        cleanup();
      } catch {
        // The others still run.
      }
    }
    process.exit(130);
  });
}

// ---- the table --------------------------------------------------------------------------------

export function verdict(row: Row): 'ok' | 'MISSED' | '' {
  const t = row.target;
  if (!t) return '';
  if ('ratio' in t) {
    if (row.baseline === undefined) return 'MISSED';
    return row.measured / row.baseline <= t.ratio ? 'ok' : 'MISSED';
  }
  if ('max' in t) return row.measured <= t.max ? 'ok' : 'MISSED';
  return row.measured >= t.atLeast ? 'ok' : 'MISSED';
}

function describeTarget(row: Row): string {
  const t = row.target;
  if (!t) return '';
  if ('ratio' in t) return `ratio <= ${t.ratio}`;
  if ('max' in t) return `<= ${t.max} ${row.unit}`;
  return `>= ${t.atLeast} ${row.unit}`;
}

/** Three significant figures below 100 (a check takes a millisecond, a report less), else whole. */
const fixed = (value: number): string =>
  Number.isInteger(value) || Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'unit', 'baseline', 'measured', 'ratio', 'target', 'verdict'];
  const body = rows.map((row) => [
    row.name,
    row.unit,
    row.baseline === undefined ? '' : fixed(row.baseline),
    fixed(row.measured),
    row.baseline === undefined ? '' : (row.measured / row.baseline).toFixed(2),
    describeTarget(row),
    `${verdict(row)}${row.note ? `${verdict(row) ? ' ' : ''}(${row.note})` : ''}`,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((cells) => (i === 6 ? 0 : cells[i]!.length))),
  );
  const right = new Set([2, 3, 4]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) =>
        i === 6 ? cell : right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(header.map((_, i) => '-'.repeat(i === 6 ? 7 : widths[i]!))),
    ...body.map(line),
  ].join('\n');
}
