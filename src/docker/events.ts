/**
 * The Engine's event stream (/events), as parsed events. Two ways to read it: a bounded window
 * (`readEvents` with `until`, which the daemon answers from its in-memory buffer of recent
 * events and then closes), and a live subscription that reconnects after a drop from the last
 * event it saw (`followEvents`), so a daemon restart or a broken socket loses nothing the
 * daemon still remembers.
 */
import type Dockerode from 'dockerode';
import { CALL_TIMEOUT_MS, deadline } from './deadline.js';
import { toTimestamp } from './daemon-time.js';

export interface EngineEvent {
  /** container, image, volume, network, service, secret, config, ... */
  type: string;
  /** create, destroy, tag, pull, ... */
  action: string;
  /** Actor.ID: a container/image/network id, a volume name, or for pulls the image reference. */
  id: string;
  attributes: Record<string, string>;
  scope: string;
  /** Daemon time, nanoseconds. Kept as a bigint: it does not fit a double exactly. */
  timeNano: bigint;
}

export type EventFilters = Record<string, string[]>;

/**
 * Parses one line of the stream. `timeNano` is read from the raw text because JSON.parse would
 * round it (about 1.8e18 > 2^53), and reconnecting from a rounded time could skip an event.
 */
export function parseEvent(line: string): EngineEvent | undefined {
  if (line.trim() === '') return undefined;
  const raw = JSON.parse(line) as {
    Type?: string;
    Action?: string;
    Actor?: { ID?: string; Attributes?: Record<string, string> };
    scope?: string;
    time?: number;
  };
  const nano = /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
  return {
    type: raw.Type ?? '',
    action: raw.Action ?? '',
    id: raw.Actor?.ID ?? '',
    attributes: raw.Actor?.Attributes ?? {},
    scope: raw.scope ?? 'local',
    timeNano: nano ? BigInt(nano) : BigInt(raw.time ?? 0) * 1_000_000_000n,
  };
}

/** Splits a byte stream into lines, parsing each as an event. */
async function* eventsOf(stream: AsyncIterable<Buffer | string>): AsyncGenerator<EngineEvent> {
  let pending = '';
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const event = parseEvent(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (event) yield event;
      newline = pending.indexOf('\n');
    }
  }
  const last = parseEvent(pending);
  if (last) yield last;
}

interface OpenOptions {
  since: bigint;
  until?: bigint;
  filters?: EventFilters;
  /** Aborts the whole stream (the request stays open as long as this signal allows). */
  signal: AbortSignal;
  connectTimeoutMs?: number;
}

/** Opens /events; the connection itself must answer within `connectTimeoutMs`. */
async function openStream(docker: Dockerode, options: OpenOptions): Promise<AsyncIterable<Buffer>> {
  // A timer called off once the stream is open, not deadline(): the signal stays with the stream
  // for as long as it runs, and a deadline could not be taken back from it.
  const connect = new AbortController();
  const timer = setTimeout(
    () => connect.abort(new Error('the Docker daemon did not open its event stream in time')),
    options.connectTimeoutMs ?? CALL_TIMEOUT_MS,
  );
  try {
    const query: Record<string, unknown> = {
      since: toTimestamp(options.since),
      abortSignal: AbortSignal.any([options.signal, connect.signal]),
    };
    if (options.until !== undefined) query.until = toTimestamp(options.until);
    if (options.filters) query.filters = options.filters;
    // @types/dockerode types since/until as numbers; the Engine takes "seconds.nanoseconds".
    const stream = await docker.getEvents(query as Dockerode.GetEventsOptions);
    return stream as unknown as AsyncIterable<Buffer>;
  } finally {
    clearTimeout(timer);
  }
}

/** Every event in [since, until] the daemon still remembers, then the stream ends. */
export async function* readEvents(
  docker: Dockerode,
  options: {
    since: bigint;
    until: bigint;
    filters?: EventFilters;
    signal?: AbortSignal;
    timeoutMs?: number;
  },
): AsyncGenerator<EngineEvent> {
  const signal = deadline(options.signal, options.timeoutMs ?? CALL_TIMEOUT_MS);
  yield* eventsOf(await openStream(docker, { ...options, signal }));
}

export interface FollowOptions {
  since: bigint;
  filters?: EventFilters;
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
  /** A dropped or failed stream; following goes on (reconnecting) until `signal` aborts. */
  onError?: (error: unknown) => void;
  /** Delay before the first reconnect, doubled up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface Follower {
  /** Resolves once the first connection is open; rejects if it could not be opened. */
  connected: Promise<void>;
  /** Settles when following has stopped (signal aborted). */
  done: Promise<void>;
  /** Number of (re)connections made so far, for diagnostics and tests. */
  connections(): number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Follows the live stream from `since`. After a drop it reconnects from the `timeNano` of the
 * last event seen (inclusive, so events sharing that nanosecond are not lost; the consumer
 * de-duplicates).
 */
export function followEvents(docker: Dockerode, options: FollowOptions): Follower {
  const { signal } = options;
  let from = options.since;
  let connections = 0;
  let markConnected!: () => void;
  let failConnect!: (error: unknown) => void;
  const connected = new Promise<void>((resolve, reject) => {
    markConnected = resolve;
    failConnect = reject;
  });
  connected.catch(() => undefined); // observed through `connected` by whoever awaits it

  const done = (async () => {
    let backoff = options.backoffMs ?? 200;
    while (!signal.aborted) {
      try {
        const stream = await openStream(docker, { since: from, filters: options.filters, signal });
        connections += 1;
        if (connections === 1) markConnected();
        backoff = options.backoffMs ?? 200;
        for await (const event of eventsOf(stream)) {
          if (event.timeNano > from) from = event.timeNano;
          options.onEvent(event);
        }
        if (!signal.aborted)
          options.onError?.(new Error('the Docker event stream ended; reconnecting'));
      } catch (error) {
        if (signal.aborted) break;
        if (connections === 0) {
          failConnect(error);
          return;
        }
        options.onError?.(error);
      }
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 5_000);
    }
  })();
  return { connected, done, connections: () => connections };
}
