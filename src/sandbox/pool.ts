/**
 * A warm sandbox reused from lesson to lesson (one per `verify --jobs` slot), and only when it is
 * provably clean. Safety is by identity, never by timing: right after the sandbox starts (and
 * after the images a lesson needs are loaded) its daemon's listing is taken, by id: containers,
 * volumes, networks, images (ids and tags), plugins, build cache, and the swarm state. After the
 * lesson it is taken again. Anything there that was not there before (an image the lesson built,
 * a volume it made through the API, a container it never removed), a swarm still active, a
 * lesson that failed or was interrupted, or a daemon that does not answer: the sandbox is removed
 * and the next lesson gets a fresh one. Images loaded for a lesson are expected and stay; the next
 * lesson loads only what it declares and the sandbox lacks.
 *
 * It knows nothing of lessons: what runs in between is the caller's.
 */
import type { Engine } from '../docker/client.js';

/** What a lesson can leave on a daemon, each as a sorted list of identities. */
export interface DaemonListing {
  containers: string[];
  volumes: string[];
  networks: string[];
  /** `id` and `id tag` for each tag: a new tag on a loaded image is a leftover too. */
  images: string[];
  plugins: string[];
  buildCache: string[];
  /** The node's swarm state (`inactive` unless a lesson ran `swarm init`/`join`). */
  swarm: string;
}

/** The daemon's listing, by identity. Throws when the daemon does not answer. */
export async function daemonListing(engine: Engine): Promise<DaemonListing> {
  const { docker } = engine;
  // Dockerode takes options (the abort signal) on info and df too; its typings do not say so.
  const withOptions = docker as unknown as {
    info(options: object): Promise<{ Swarm?: { LocalNodeState?: string } }>;
    df(options: object): Promise<{ BuildCache?: { ID: string }[] | null }>;
  };
  const [containers, volumes, networks, images, plugins, info, df] = await Promise.all([
    engine.call((abortSignal) => docker.listContainers({ all: true, abortSignal } as object)),
    engine.call((abortSignal) => docker.listVolumes({ abortSignal } as object)),
    engine.call((abortSignal) => docker.listNetworks({ abortSignal } as object)),
    engine.call((abortSignal) => docker.listImages({ all: true, abortSignal } as object)),
    engine.call((abortSignal) => docker.listPlugins({ abortSignal } as object)),
    engine.call((abortSignal) => withOptions.info({ abortSignal })),
    engine.call((abortSignal) => withOptions.df({ abortSignal })),
  ]);
  const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();
  return {
    containers: sorted(containers.map((c) => c.Id)),
    volumes: sorted((volumes.Volumes ?? []).map((v) => v.Name)),
    networks: sorted(networks.map((n) => n.Id)),
    images: sorted(
      images.flatMap((image) => [
        image.Id,
        ...(image.RepoTags ?? [])
          .filter((tag) => tag !== '<none>:<none>')
          .map((tag) => `${image.Id} ${tag}`),
      ]),
    ),
    plugins: sorted(plugins.map((p) => p.Id ?? p.Name)),
    buildCache: sorted((df.BuildCache ?? []).map((entry) => entry.ID)),
    swarm: info.Swarm?.LocalNodeState ?? '',
  };
}

/**
 * What `after` has that `before` had not (as `kind id`), and a swarm not as it was. Empty: the
 * daemon holds nothing the listing did not already hold. Things gone are no leftover: the next
 * lesson loads an image it needs and lacks.
 */
export function leftovers(before: DaemonListing, after: DaemonListing): string[] {
  const found: string[] = [];
  const kinds = [
    ['container', 'containers'],
    ['volume', 'volumes'],
    ['network', 'networks'],
    ['image', 'images'],
    ['plugin', 'plugins'],
    ['build cache', 'buildCache'],
  ] as const;
  for (const [word, key] of kinds) {
    const known = new Set(before[key]);
    for (const item of after[key]) if (!known.has(item)) found.push(`${word} ${item}`);
  }
  // A swarm brings configs, secrets and services with it: only an inactive one is clean.
  if (after.swarm !== before.swarm || after.swarm !== 'inactive')
    found.push(`swarm ${after.swarm} (was ${before.swarm})`);
  return found;
}

/** What the slot needs of a sandbox (sandbox.ts's Sandbox, or a fake in a unit test). */
export interface PooledBox {
  /** The daemon a lesson runs against. */
  readonly daemon: Engine;
  loadImages(refs: readonly string[], signal?: AbortSignal): Promise<string[]>;
  remove(): Promise<void>;
}

export interface WarmSlotOptions<B extends PooledBox> {
  /** A fresh sandbox with these images loaded. */
  start(images: readonly string[]): Promise<B>;
  /** Of `refs`, those not on the sandbox's daemon. */
  lacking(box: B, refs: readonly string[]): Promise<string[]>;
  /** The listing (daemonListing; a fake in a unit test). */
  listing?: (box: B) => Promise<DaemonListing>;
  /** A sandbox let go: removed; the caller may wait for it later. */
  discard(box: B): void;
  signal?: AbortSignal;
}

/** How a lesson in the sandbox ended, as far as reuse goes. */
export interface LessonOutcome {
  /** Passed or skipped, every command ended, the daemon answered all along. */
  clean: boolean;
}

/** Why a sandbox was not kept, or that it was. */
export type Release = { kept: true } | { kept: false; why: string };

/** One job slot's sandbox: reused while it is provably clean, replaced otherwise. */
export class WarmSlot<B extends PooledBox> {
  private box: B | undefined;
  private baseline: DaemonListing | undefined;
  /** The images asked of the current sandbox so far (a hint for which lesson it takes next). */
  private asked = new Set<string>();
  /** How many sandboxes this slot started, and how many lessons reused one. */
  started = 0;
  reused = 0;

  constructor(private readonly options: WarmSlotOptions<B>) {}

  private listing(box: B): Promise<DaemonListing> {
    return (this.options.listing ?? ((b: B) => daemonListing(b.daemon)))(box);
  }

  /**
   * Whether the warm sandbox was already given all of `images` (a lesson may have removed one
   * since: acquire still loads what the daemon lacks; this only steers the order).
   */
  holds(images: readonly string[]): boolean {
    return this.box !== undefined && images.every((image) => this.asked.has(image));
  }

  /**
   * The sandbox for the next lesson, with `images` in it: the warm one (loading only what it
   * lacks), or a fresh one. Its listing is taken here, after the load.
   */
  async acquire(images: readonly string[]): Promise<B> {
    if (this.box) {
      const box = this.box;
      try {
        const lacking = await this.options.lacking(box, images);
        if (lacking.length > 0) await box.loadImages(lacking, this.options.signal);
        this.baseline = await this.listing(box);
        this.reused++;
        for (const image of images) this.asked.add(image);
        return box;
      } catch {
        // Not answering, or the load failed: a fresh one.
        this.let(box);
      }
    }
    const box = await this.options.start(images);
    this.started++;
    try {
      this.baseline = await this.listing(box);
    } catch (error) {
      this.options.discard(box);
      throw error;
    }
    this.box = box;
    this.asked = new Set(images);
    return box;
  }

  /** After the lesson: keep the sandbox if it holds nothing new, else let it go. */
  async release(outcome: LessonOutcome): Promise<Release> {
    const box = this.box;
    const before = this.baseline;
    if (!box || !before) return { kept: false, why: 'no sandbox' };
    if (!outcome.clean || this.options.signal?.aborted) {
      this.let(box);
      return { kept: false, why: 'the lesson did not end cleanly' };
    }
    let after: DaemonListing;
    try {
      after = await this.listing(box);
    } catch (error) {
      this.let(box);
      return { kept: false, why: `the sandbox does not answer: ${(error as Error).message}` };
    }
    const left = leftovers(before, after);
    if (left.length > 0) {
      this.let(box);
      return { kept: false, why: `the lesson left ${left.join(', ')}` };
    }
    this.baseline = after;
    return { kept: true };
  }

  /** Lets the warm sandbox go (at the end of the run). */
  close(): void {
    if (this.box) this.let(this.box);
  }

  private let(box: B): void {
    if (this.box === box) {
      this.box = undefined;
      this.baseline = undefined;
    }
    this.options.discard(box);
  }
}
