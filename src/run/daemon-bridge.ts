/**
 * What makes a daemon that shares no folder and no loopback with this machine behave, for a
 * lesson, like a local one: the working directory at the same path on its host (WorkdirMirror)
 * and its published ports at the same ports on this machine's 127.0.0.1 (PortBridge), both
 * through one helper container.
 *
 * Whether the daemon shares this machine's files is found out, not guessed from its address or
 * hostname: the helper looks for a file just written in the working directory. A unix socket is
 * local (Docker Desktop brings files and ports over itself), so no helper is started for it.
 */
import { randomBytes } from 'node:crypto';
import { realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../docker/client.js';
import { DaemonHelper, HOST_ROOT } from '../docker/helper.js';
import { PortBridge } from './port-bridge.js';
import { WorkdirMirror } from './workdir-mirror.js';

/** A file check that polls asks for the daemon's files at most this often. */
const REFRESH_EVERY_MS = 1_000;

/** Whether the daemon's host has this machine's folder: a file just written here is seen there. */
async function seesFolder(helper: DaemonHelper, path: string): Promise<boolean> {
  const probe = `.docker-lab-probe-${randomBytes(6).toString('hex')}`;
  await writeFile(join(path, probe), '');
  try {
    return (await helper.run(['test', '-e', `${HOST_ROOT}${path}/${probe}`])).exitCode === 0;
  } finally {
    await rm(join(path, probe), { force: true });
  }
}

/** How lessons reach this daemon, for doctor: what open() would decide, found out the same way. */
export type DaemonSharing = 'local-socket' | 'shares-files' | 'bridged';

export async function daemonSharing(
  engine: Engine,
  folder: string,
  labels: Record<string, string>,
): Promise<DaemonSharing> {
  if (engine.endpoint.kind === 'unix') return 'local-socket';
  const helper = await DaemonHelper.start(engine, labels);
  try {
    return (await seesFolder(helper, await realpath(folder))) ? 'shares-files' : 'bridged';
  } finally {
    await helper.remove();
  }
}

export class DaemonBridge {
  private lastRefresh = 0;
  private readonly said = new Set<number>();
  /** One sync at a time: a live check's pull and a command's push read the same listings. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly helper: DaemonHelper,
    private readonly mirror: WorkdirMirror,
    private readonly ports: PortBridge,
    private readonly containers: () => string[],
  ) {}

  /**
   * The bridge for this daemon, or undefined when the daemon shares this machine's files (it is
   * local). `containers` lists the lesson's containers (whose published ports are forwarded).
   */
  static async open(
    engine: Engine,
    workdir: string,
    labels: Record<string, string>,
    containers: () => string[],
    /** Where published ports are forwarded on this machine (port-bridge.ts). */
    loopback = '127.0.0.1',
  ): Promise<DaemonBridge | undefined> {
    if (engine.endpoint.kind === 'unix') return undefined;
    const helper = await DaemonHelper.start(engine, labels);
    try {
      const path = await realpath(workdir);
      if (await seesFolder(helper, path)) {
        await helper.remove();
        return undefined;
      }
      const mirror = await WorkdirMirror.start(helper, path);
      return new DaemonBridge(helper, mirror, new PortBridge(engine, helper, loopback), containers);
    } catch (error) {
      await helper.remove();
      throw error;
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Before a command runs: what changed here is on the daemon's host. */
  beforeCommand(): Promise<void> {
    return this.exclusive(() => this.mirror.push());
  }

  /** After a command: what containers wrote is here, and what they publish is forwarded. */
  afterCommand(): Promise<string[]> {
    return this.exclusive(async () => {
      await this.mirror.pull();
      await this.ports.refresh(this.containers());
      this.lastRefresh = Date.now();
      return this.newProblems();
    });
  }

  /** Before a check's attempt, at most once a second. */
  async refresh(): Promise<void> {
    if (Date.now() - this.lastRefresh < REFRESH_EVERY_MS) return;
    this.lastRefresh = Date.now();
    await this.exclusive(async () => {
      await this.mirror.pull();
      await this.ports.refresh(this.containers());
    });
  }

  /** Ports that could not be forwarded since the last call, as sentences. */
  newProblems(): string[] {
    const fresh: string[] = [];
    for (const [port, problem] of this.ports.problems) {
      if (this.said.has(port)) continue;
      this.said.add(port);
      fresh.push(problem);
    }
    return fresh;
  }

  /** Ports forwarded to this machine's loopback so far. */
  forwardedPorts(): number[] {
    return this.ports.ports();
  }

  /** Where the forwarded ports are on this machine: what ${DAEMON_HOST} is. */
  get address(): string {
    return this.ports.address;
  }

  /** How the daemon is reached, for reports and doctor. */
  describe(): string {
    const ports = this.ports.ports();
    return `the daemon shares no folder with this machine: the working directory is kept at ${this.mirror.path} on its host${ports.length > 0 ? `, and ports ${ports.join(', ')} are forwarded to ${this.ports.address} here` : ''}`;
  }

  /**
   * Stops forwarding and removes the helper; the copy on the daemon's host goes too, unless the
   * learner keeps the lesson's containers (their bind mounts are in it).
   */
  close(options: { keepFiles?: boolean } = {}): Promise<void> {
    return this.exclusive(async () => {
      await this.ports.close();
      if (!options.keepFiles) await this.mirror.remove();
      await this.helper.remove();
    });
  }
}
