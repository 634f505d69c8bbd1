/**
 * Output of `verify --jobs N`, where lessons run side by side: each lesson's events go to a
 * printer of its own whose text is held back, and written whole, in lesson order, once every
 * earlier lesson has been written. So the log reads exactly as with --jobs 1. On a terminal,
 * below what is written, one live line per running lesson says where it is; the lines are
 * redrawn in place and gone at the end.
 */
import type { RunnerEvent } from '../run/events.js';
import { formatDuration } from '../images/feedback.js';

export interface JobsOutputOptions {
  write: (text: string) => void;
  /** A terminal: live lines are drawn. */
  tty: boolean;
  /** A printer for one lesson, writing through `write` (verify-live.ts createLivePrinter). */
  printerFor: (write: (text: string) => void) => (event: RunnerEvent) => void;
  now?: () => number;
}

interface Slot {
  text: string[];
  done: boolean;
  running: boolean;
  label: string;
  status: string;
  startedAt: number;
  print: (event: RunnerEvent) => void;
}

export interface JobsOutput {
  /** The emit function of the lesson at `index` (lesson order). */
  emitFor(index: number, label: string): (event: RunnerEvent) => void;
  /** The lesson at `index` is over: its text may be written once its turn comes. */
  finish(index: number): void;
  /** A line of the run's own (a sandbox started), shown live only. */
  status(index: number, text: string): void;
  /** Writes whatever is left and removes the live lines. */
  close(): void;
}

const ERASE_LINE = '\x1b[2K';
const UP = (n: number): string => (n > 0 ? `\x1b[${n}A` : '');

export function createJobsOutput(options: JobsOutputOptions): JobsOutput {
  const now = options.now ?? Date.now;
  const slots: Slot[] = [];
  let next = 0;
  let drawn = 0;

  const erase = (): void => {
    if (!options.tty || drawn === 0) return;
    options.write(`${UP(drawn)}\r${`${ERASE_LINE}\n`.repeat(drawn)}${UP(drawn)}\r`);
    drawn = 0;
  };
  const draw = (): void => {
    if (!options.tty) return;
    const live = slots.filter((s) => s.running && !s.done);
    const lines = live.map(
      (s) =>
        `  ${s.label}  ${formatDuration(now() - s.startedAt)}  ${s.status}`.slice(0, 200) + '\n',
    );
    options.write(lines.join(''));
    drawn = lines.length;
  };
  const flush = (): void => {
    erase();
    while (slots[next]?.done) {
      const slot = slots[next]!;
      options.write(slot.text.join(''));
      slot.text = [];
      next++;
    }
    // The lesson whose turn it is writes as it goes: nothing of it needs holding back.
    const current = slots[next];
    if (current) {
      options.write(current.text.join(''));
      current.text = [];
    }
    draw();
  };

  const slotAt = (index: number, label: string): Slot => {
    let slot = slots[index];
    if (!slot) {
      const created: Slot = {
        text: [],
        done: false,
        running: true,
        label,
        status: '',
        startedAt: now(),
        print: () => undefined,
      };
      created.print = options.printerFor((text) => created.text.push(text));
      slots[index] = slot = created;
    }
    return slot;
  };

  return {
    emitFor(index, label) {
      const slot = slotAt(index, label);
      return (event) => {
        slot.print(event);
        if (event.type === 'step-started')
          slot.status = `step ${event.index + 1}: ${event.step.title}`;
        if (event.type === 'cleanup-started') slot.status = 'cleaning up';
        flush();
      };
    },
    finish(index) {
      const slot = slots[index];
      if (!slot) return;
      slot.done = true;
      slot.running = false;
      flush();
    },
    status(index, text) {
      const slot = slots[index];
      if (!slot) return;
      slot.status = text;
      erase();
      draw();
    },
    close() {
      for (const slot of slots) if (slot) slot.done = true;
      flush();
      erase();
    },
  };
}
