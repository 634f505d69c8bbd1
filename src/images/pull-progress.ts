/**
 * A pull's progress as data, and the two ways it is shown: per-layer bars redrawn in a
 * terminal, or plain lines for logs and CI (one per change worth keeping, never one per tick).
 * Pure: the events are the daemon's JSON lines, recorded ones in tests.
 *
 * The daemon reports a failed pull as an ordinary event with `error` set, after which the
 * stream simply ends: a reader that does not look for it (dockerode's followProgress) calls
 * the pull a success. Here an error event marks the whole pull failed.
 */
import { formatSize } from './feedback.js';

/** One JSON line of POST /images/create. */
export interface PullEvent {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

export interface LayerState {
  id: string;
  /** The daemon's words: Waiting, Downloading, Extracting, Pull complete, Already exists... */
  phase: string;
  current?: number;
  total?: number;
  /** Bytes of the compressed layer, once known (for the summary). */
  size?: number;
  done: boolean;
}

export interface PullState {
  ref: string;
  layers: LayerState[];
  /** "Digest: sha256:...", "Status: Downloaded newer image for ..." */
  notes: string[];
  error?: string;
}

const LAYER_ID = /^[0-9a-f]{12}$/;
const DONE_PHASES = new Set(['Pull complete', 'Already exists']);

export function initialPullState(ref: string): PullState {
  return { ref, layers: [], notes: [] };
}

/** The message of an error event, whichever of its two fields carries it. */
export function eventError(event: PullEvent): string | undefined {
  if (event.error !== undefined || event.errorDetail !== undefined) {
    return event.errorDetail?.message || event.error || 'the daemon reported an unnamed error';
  }
  return undefined;
}

/** Folds one event into the state (a new state; the old one is left as it was). */
export function applyPullEvent(state: PullState, event: PullEvent): PullState {
  const error = eventError(event);
  if (error !== undefined) return { ...state, error };
  const status = event.status ?? '';
  if (event.id && LAYER_ID.test(event.id)) {
    const layers = state.layers.slice();
    const at = layers.findIndex((layer) => layer.id === event.id);
    const before = at >= 0 ? layers[at]! : { id: event.id, phase: '', done: false };
    const detail = event.progressDetail ?? {};
    const measured = typeof detail.current === 'number' && typeof detail.total === 'number';
    const next: LayerState = {
      ...before,
      phase: status,
      done: before.done || DONE_PHASES.has(status),
    };
    if (measured && detail.total! > 0) {
      next.current = detail.current!;
      next.total = detail.total!;
      if (status === 'Downloading') next.size = detail.total!;
    } else {
      delete next.current;
      delete next.total;
    }
    if (at >= 0) layers[at] = next;
    else layers.push(next);
    return { ...state, layers };
  }
  if (status.startsWith('Digest:') || status.startsWith('Status:')) {
    return { ...state, notes: [...state.notes, status] };
  }
  return state;
}

/** A parser for the stream's bytes: complete lines become events; others are ignored. */
export function createEventSplitter(onEvent: (event: PullEvent) => void): {
  push(chunk: string): void;
  end(): void;
} {
  let rest = '';
  const emit = (line: string): void => {
    const text = line.trim();
    if (!text) return;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') onEvent(parsed as PullEvent);
    } catch {
      // Not JSON (a proxy's HTML page, say): nothing to show, the status code tells.
    }
  };
  return {
    push(chunk) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    end() {
      emit(rest);
      rest = '';
    },
  };
}

function percent(layer: LayerState): number | undefined {
  if (layer.current === undefined || !layer.total) return undefined;
  return Math.min(100, Math.floor((layer.current / layer.total) * 100));
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}]`;
}

function clip(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/** The terminal frame: the reference, then one line per layer with a bar while it moves. */
export function renderPullFrame(state: PullState, width = 80): string {
  const lines = [`Pulling ${state.ref}`];
  for (const layer of state.layers) {
    let line = `  ${layer.id}  ${layer.phase.padEnd(18)}`;
    if (layer.current !== undefined && layer.total) {
      const barWidth = Math.max(10, Math.min(30, width - 60));
      line += ` ${bar(layer.current / layer.total, barWidth)} ${formatSize(layer.current)}/${formatSize(layer.total)}`;
    }
    lines.push(clip(line.trimEnd(), width));
  }
  return lines.join('\n');
}

/**
 * The plain lines one event adds: a layer's change of phase, and its download or extraction
 * passing each quarter. Pure: compares the layer before and after the event.
 */
export function plainPullLines(before: PullState, after: PullState): string[] {
  const lines: string[] = [];
  if (after.error !== undefined && before.error === undefined) {
    lines.push(`${after.ref}: error: ${after.error}`);
  }
  for (const layer of after.layers) {
    const previous = before.layers.find((candidate) => candidate.id === layer.id);
    if (previous === layer) continue;
    const now = percent(layer);
    if (!previous || previous.phase !== layer.phase) {
      const amount = now !== undefined ? ` ${now}% of ${formatSize(layer.total!)}` : '';
      lines.push(`${after.ref}: ${layer.id}: ${layer.phase}${amount}`);
      continue;
    }
    const was = percent(previous);
    if (now !== undefined && was !== undefined && Math.floor(now / 25) > Math.floor(was / 25)) {
      lines.push(
        `${after.ref}: ${layer.id}: ${layer.phase} ${now}% of ${formatSize(layer.total!)}`,
      );
    }
  }
  for (const note of after.notes.slice(before.notes.length)) lines.push(`${after.ref}: ${note}`);
  return lines;
}

/** One line for the end of a pull: what came down. */
export function pullSummary(state: PullState): string {
  const fetched = state.layers.filter((layer) => layer.phase === 'Pull complete');
  const cached = state.layers.filter((layer) => layer.phase === 'Already exists').length;
  const bytes = fetched.reduce((sum, layer) => sum + (layer.size ?? 0), 0);
  if (state.layers.length === 0) return `${state.ref}: up to date`;
  return (
    `${state.ref}: pulled ${fetched.length} layer${fetched.length === 1 ? '' : 's'}` +
    (bytes > 0 ? ` (${formatSize(bytes)})` : '') +
    (cached > 0 ? `, ${cached} already present` : '')
  );
}
