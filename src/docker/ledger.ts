/**
 * The resource ledger: what a lesson created, known from the Engine's event stream since the
 * lesson started, and the means to remove exactly that (design §5). The learner's own objects
 * are protected twice: only creation events are recorded, and an inventory taken at the start
 * (the "before" set) is never touched whatever an event says.
 *
 * The Dockerode instance is passed in: which daemon to talk to is the endpoint module's call.
 */
import type Dockerode from 'dockerode';
import { cleanupRecords, type CleanupResult } from './cleanup.js';
import { daemonNow } from './daemon-time.js';
import { deadline } from './deadline.js';
import { followEvents, readEvents, type EngineEvent } from './events.js';
import { takeInventory, type Inventory } from './inventory.js';
import {
  EVENT_FILTERS,
  emptyRecords,
  liveResources,
  liveTimedResources,
  recordEvent,
  type Records,
  type Resource,
  type TimedResource,
} from './records.js';

export type { CleanupResult } from './cleanup.js';
export type { EngineEvent } from './events.js';
export type { Resource, ResourceType, TimedResource } from './records.js';

export interface LedgerOptions {
  /** Stops following the stream (same as `stop()`); cleanup stays possible. */
  signal?: AbortSignal;
  /**
   * Narrows which creation events count, for runs that share a daemon with others (sharded
   * `verify`, tests): e.g. only objects whose names carry a run id. Default: all of them.
   */
  accept?: (event: EngineEvent) => boolean;
  /** Each event as it arrives (the TUI re-checks a step when the daemon's state changes). */
  onEvent?: (event: EngineEvent, created: Resource | undefined) => void;
  /**
   * Swarm mode turned on while the lesson ran is the lesson's to turn off (and its side
   * networks) only when the lesson itself turns it on; default true. Otherwise someone else
   * did, and it stays.
   */
  ownsSwarm?: boolean;
  /** The stream dropped or failed; the ledger keeps reconnecting until stopped. */
  onError?: (error: unknown) => void;
}

/** What the ledger held at a moment (`mark`), so that what was made after it can be undone. */
export interface LedgerMark {
  /** Keys of the records live at the mark. */
  readonly live: ReadonlySet<string>;
  readonly imageRefs: ReadonlySet<string>;
  readonly imageIds: ReadonlySet<string>;
  readonly loadedIds: ReadonlySet<string>;
  readonly buildParents: ReadonlySet<string>;
  /** Daemon time of the mark, in seconds (for images a build made after it). */
  readonly sinceSeconds: number;
}

export interface Ledger {
  /** Daemon time (ns since the epoch) from which events are recorded. */
  readonly since: bigint;
  /** Created resources still present as far as the events tell, in creation order. */
  created(): Resource[];
  /** The same, each with the daemon time (ns) of its creation event: for checks scoped to a step. */
  createdTimed(): TimedResource[];
  /** Reads every event up to the daemon's "now", so nothing just created is missed. */
  catchUp(options?: { signal?: AbortSignal }): Promise<void>;
  /** Catches up, then removes what was created, in dependency order. Safe to call again. */
  cleanup(options?: { signal?: AbortSignal }): Promise<CleanupResult>;
  /** Catches up and notes what is recorded now, for `undo`. */
  mark(options?: { signal?: AbortSignal }): Promise<LedgerMark>;
  /**
   * Catches up, then removes only what was recorded after `mark` (verify's near misses), by
   * the same identity rules and in the same order as `cleanup`; what was there at the mark,
   * and the "before" inventory, stay.
   */
  undo(mark: LedgerMark, options?: { signal?: AbortSignal }): Promise<CleanupResult>;
  /** Stops following the event stream. */
  stop(): Promise<void>;
  /** How many times the stream was (re)connected: 1 unless it dropped. */
  connections(): number;
}

async function swarmState(docker: Dockerode, signal?: AbortSignal): Promise<string> {
  // @types/dockerode omits info()'s options; dockerode itself passes abortSignal through.
  const engine = docker as unknown as {
    info(o: object): Promise<{ Swarm?: { LocalNodeState?: string } }>;
  };
  const info = await engine.info({ abortSignal: deadline(signal) });
  return info.Swarm?.LocalNodeState ?? 'inactive';
}

export async function startLedger(docker: Dockerode, options: LedgerOptions = {}): Promise<Ledger> {
  const stopper = new AbortController();
  const onAbort = (): void => stopper.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // Order matters: the clock first, then the inventory, then the stream from that clock time.
  // Whatever appears in between is both in the inventory and in the stream, and the
  // inventory wins: it is kept, the safe side of the overlap.
  const since = await daemonNow(docker, options.signal);
  const before: Inventory = await takeInventory(docker, options.signal);
  const swarmBefore = await swarmState(docker, options.signal);
  const records = emptyRecords();

  const apply = (event: EngineEvent): void => {
    try {
      const created = recordEvent(records, event, before, options.accept);
      options.onEvent?.(event, created);
    } catch (error) {
      options.onError?.(error); // a callback's bug must not stop the recording
    }
  };

  const follower = followEvents(docker, {
    since,
    filters: EVENT_FILTERS,
    signal: stopper.signal,
    onEvent: apply,
    onError: options.onError,
  });
  try {
    await follower.connected;
  } catch (error) {
    stopper.abort();
    throw error;
  }

  const catchUp = async (signal?: AbortSignal): Promise<void> => {
    // The daemon answers a window that ends in the past from its buffer and closes the
    // stream: every event of a command that has returned is in it.
    const until = await daemonNow(docker, signal);
    for await (const event of readEvents(docker, {
      since,
      until,
      filters: EVENT_FILTERS,
      signal,
    })) {
      apply(event);
    }
  };

  return {
    since,
    created: () => liveResources(records),
    createdTimed: () => liveTimedResources(records),
    catchUp: ({ signal } = {}) => catchUp(signal),
    async cleanup({ signal } = {}) {
      await catchUp(signal);
      const sinceSeconds = Number(since / 1_000_000_000n);
      // Swarm mode has no creation event of its own: compare the node's state with the start.
      const ours = options.ownsSwarm !== false && swarmBefore === 'inactive';
      const leaveSwarm = ours && (await swarmState(docker, signal)) !== 'inactive';
      // docker_gwbridge outlives the swarm that made it, whoever left it (the lesson's own
      // `swarm leave`, or cleanup): it goes when the lesson's swarm made it.
      return cleanupRecords(docker, records, before, {
        signal,
        sinceSeconds,
        leaveSwarm,
        gatewayBridge: ours,
      });
    },
    async mark({ signal } = {}) {
      await catchUp(signal);
      const now = await daemonNow(docker, signal);
      return {
        live: new Set([...records.entries].filter(([, entry]) => !entry.gone).map(([key]) => key)),
        imageRefs: new Set(records.imageRefs),
        imageIds: new Set(records.imageIds),
        loadedIds: new Set(records.loadedIds),
        buildParents: new Set(records.buildParents),
        sinceSeconds: Number(now / 1_000_000_000n),
      };
    },
    async undo(mark, { signal } = {}) {
      await catchUp(signal);
      const after = <T>(now: Set<T>, then: ReadonlySet<T>): Set<T> =>
        new Set([...now].filter((value) => !then.has(value)));
      // The same entries (not copies): what cleanup removes is then gone for `cleanup` too.
      const since: Records = {
        entries: new Map(
          [...records.entries].filter(([key, entry]) => !entry.gone && !mark.live.has(key)),
        ),
        imageRefs: after(records.imageRefs, mark.imageRefs),
        imageIds: after(records.imageIds, mark.imageIds),
        loadedIds: after(records.loadedIds, mark.loadedIds),
        buildParents: after(records.buildParents, mark.buildParents),
        seen: records.seen,
      };
      return cleanupRecords(docker, since, before, { signal, sinceSeconds: mark.sinceSeconds });
    },
    async stop() {
      options.signal?.removeEventListener('abort', onAbort);
      stopper.abort();
      await follower.done;
    },
    connections: () => follower.connections(),
  };
}
