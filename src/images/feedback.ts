/**
 * How long-running image work talks to people: finished lines that stay, and one "live" area
 * that a terminal redraws in place (log-update) and a log file or CI gets as plain lines, only
 * when the caller marks them worth keeping.
 */
import { createLogUpdate } from 'log-update';

export interface Feedback {
  /** A line that stays. */
  line(text: string): void;
  /** Replace the live area (a terminal only; elsewhere ignored). */
  live(frame: string): void;
  /** Clear the live area. */
  clear(): void;
  /** True when `live` redraws a terminal. */
  readonly tty: boolean;
}

export function createFeedback(stream: NodeJS.WritableStream & { isTTY?: boolean }): Feedback {
  if (!stream.isTTY) {
    return {
      tty: false,
      line: (text) => void stream.write(`${text}\n`),
      live: () => undefined,
      clear: () => undefined,
    };
  }
  // A terminal that reports no size (0 x 0, as under `script`) would make log-update draw an
  // empty frame: fall back to 80 x 24.
  const tty = stream as NodeJS.WriteStream;
  const sized = {
    isTTY: true,
    get columns() {
      return tty.columns || 80;
    },
    get rows() {
      return tty.rows || 24;
    },
    write: (text: string) => stream.write(text),
  };
  const update = createLogUpdate(sized as unknown as NodeJS.WriteStream, { showCursor: false });
  return {
    tty: true,
    line(text) {
      update.clear();
      stream.write(`${text}\n`);
    },
    live: (frame) => update(frame),
    clear() {
      update.clear();
      update.done();
    },
  };
}

/** The width to draw frames at: the terminal's, or 80 when it reports none. */
export function frameWidth(stream: { columns?: number }): number {
  return stream.columns || 80;
}

/** Elapsed time for people: "8 s", "1 min 12 s". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Sizes as `docker images` shows them (SI units): "7.1 MB", "1.2 GB". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}
