/**
 * A sandbox: a throwaway Docker daemon for a lesson, in a container on the learner's daemon (the
 * "outer" one). It is made of a private network, and on it one or more nodes (a container from
 * docker-lab/sandbox:<engine> with its data root on a volume of its own), each with its API
 * published on this machine's 127.0.0.1 only. The lesson then runs against the first node
 * exactly as against any remote daemon (run/daemon-bridge.ts mirrors the working directory and
 * forwards published ports): nothing here knows about lessons.
 *
 * Everything a sandbox makes on the outer daemon carries its labels (LABEL_SANDBOX = its id, the
 * owner's pid and host), and is found again by them, never by name: `remove()` at the end, and
 * `sweepSandboxes()` at the next start for a run that was killed (its owner pid is gone).
 * Nothing else on the outer daemon is touched; images are read from it (exported), never
 * changed.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { connectEngine, type Engine } from '../docker/client.js';
import { statusOf } from '../docker/engine-error.js';
import { resolveEndpointFromProcess, type Endpoint } from '../docker/endpoint.js';
import { HELPER_IMAGE } from '../docker/helper.js';
import { DockerLabError } from '../errors.js';
import type { Lesson } from '../lesson/schema.js';
import { nodeName, nodeVariables } from '../checks/nodes.js';
import {
  ENGINE_PREFERENCE,
  LABEL_SANDBOX_ENGINE,
  sandboxImage,
  type SandboxEngine,
} from '../images/sandbox-image.js';

/**
 * What a sandbox is given for these lessons: the images they declare, once each, and the
 * helper's (the bridge to the sandbox runs in it). The one rule for the TUI, practice and verify.
 */
export function imagesForSandbox(lessons: readonly Lesson[]): string[] {
  return [...new Set(lessons.flatMap((lesson) => lesson.meta.images ?? [])), HELPER_IMAGE];
}

/** The sandbox's id, on its network, nodes and volumes. */
export const LABEL_SANDBOX = 'docker-lab.sandbox';
export const LABEL_OWNER_PID = 'docker-lab.sandbox.owner-pid';
export const LABEL_OWNER_HOST = 'docker-lab.sandbox.owner-host';
/** A node's name in a multi-node sandbox (manager, worker1, ...), on its container. */
export const LABEL_NODE_NAME = 'docker-lab.sandbox.node-name';
/** What the sandbox is for (a lesson id, or `course` for the TUI's list): `docker-lab env` looks. */
export const LABEL_PURPOSE = 'docker-lab.sandbox.for';
/** The loopback address its published ports are forwarded to on this machine. */
export const LABEL_LOOPBACK = 'docker-lab.sandbox.loopback';

const API_PORT = '2375/tcp';
/** An inner daemon starts in 1 to 3 s here; a loaded machine gets much longer. */
const READY_TIMEOUT_MS = 60_000;

export interface SandboxNode {
  /** Its container's (and volume's) name on the outer daemon. */
  name: string;
  /** Its name in the lesson: manager, worker1, ... (checks/nodes.ts); also its hostname. */
  node: string;
  /** Its address on the sandbox's network (what the other nodes and this machine reach). */
  address: string;
  containerId: string;
  volume: string;
  /** The node's API from this machine: tcp://127.0.0.1:PORT. */
  dockerHost: string;
  /** Connected to the node's daemon. */
  engine: Engine;
}

export interface StartOptions {
  /** The learner's daemon, where the sandbox lives. */
  outer: Engine;
  engine: SandboxEngine;
  /** What it is for: a lesson id, or `course`. */
  purpose: string;
  /** Images to bring in from the outer daemon (those absent there are left out). */
  images?: readonly string[];
  /** Where its published ports are forwarded here (127.0.0.1 unless several run side by side). */
  loopback?: string;
  /** How many daemons on the sandbox's network (1; a cluster lesson takes more). */
  nodes?: number;
  signal?: AbortSignal;
  /** Progress for people, one line per stage. */
  say?: (line: string) => void;
}

export class SandboxImageMissing extends DockerLabError {
  override name = 'SandboxImageMissing';
  constructor(engine: SandboxEngine | undefined) {
    super({
      what: engine
        ? `the sandbox image ${sandboxImage(engine)} is not on this daemon`
        : 'no sandbox image is on this daemon',
      fix: [
        `docker-lab images build-sandbox${engine ? ` --engine ${engine}` : ''} builds it offline from Debian's packages (a minute or two)`,
      ],
    });
  }
}

/** Which Engine a sandbox runs: the one asked for, else the newest built. */
export async function chooseEngine(
  outer: Engine,
  asked: SandboxEngine | undefined,
): Promise<SandboxEngine> {
  const present = async (which: SandboxEngine): Promise<boolean> =>
    outer
      .call((abortSignal) =>
        outer.docker.getImage(sandboxImage(which)).inspect({ abortSignal } as object),
      )
      .then(
        (info) => info.Config?.Labels?.[LABEL_SANDBOX_ENGINE] === which,
        () => false,
      );
  if (asked) {
    if (!(await present(asked))) throw new SandboxImageMissing(asked);
    return asked;
  }
  for (const which of ENGINE_PREFERENCE) if (await present(which)) return which;
  throw new SandboxImageMissing(undefined);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A sandbox whose owner is gone: on this machine, a pid that no longer runs. */
function orphaned(labels: Record<string, string> | undefined): boolean {
  if (!labels?.[LABEL_SANDBOX]) return false;
  if (labels[LABEL_OWNER_HOST] !== hostname()) return false;
  const pid = Number(labels[LABEL_OWNER_PID]);
  return !Number.isInteger(pid) || pid <= 0 || !isAlive(pid);
}

const ignoreGone = (error: unknown): void => {
  if (statusOf(error) !== 404) throw error;
};

/** Removes a sandbox's nodes, volumes and network, found by its id label. */
async function removeById(outer: Engine, id: string): Promise<void> {
  const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=${id}`] });
  const containers = await outer.call((abortSignal) =>
    outer.docker.listContainers({ all: true, filters, abortSignal } as object),
  );
  await Promise.all(
    containers.map((c) =>
      outer
        .call((abortSignal) =>
          outer.docker.getContainer(c.Id).remove({ force: true, v: true, abortSignal } as object),
        )
        .catch(ignoreGone),
    ),
  );
  const { Volumes } = await outer.call((abortSignal) =>
    outer.docker.listVolumes({ filters, abortSignal } as object),
  );
  await Promise.all(
    (Volumes ?? []).map((v) =>
      outer
        .call((abortSignal) => outer.docker.getVolume(v.Name).remove({ abortSignal } as object))
        .catch(ignoreGone),
    ),
  );
  const networks = await outer.call((abortSignal) =>
    outer.docker.listNetworks({ filters, abortSignal } as object),
  );
  await Promise.all(
    networks.map((n) =>
      outer
        .call((abortSignal) => outer.docker.getNetwork(n.Id).remove({ abortSignal } as object))
        .catch(ignoreGone),
    ),
  );
}

/**
 * Removes what sandboxes of runs that ended without cleaning up (killed, crashed) left on the
 * outer daemon: anything labelled as a sandbox's whose owner pid on this machine is gone.
 * Returns the ids removed.
 */
export async function sweepSandboxes(outer: Engine): Promise<string[]> {
  const filters = JSON.stringify({ label: [LABEL_SANDBOX] });
  const [containers, { Volumes }, networks] = await Promise.all([
    outer.call((abortSignal) =>
      outer.docker.listContainers({ all: true, filters, abortSignal } as object),
    ),
    outer.call((abortSignal) => outer.docker.listVolumes({ filters, abortSignal } as object)),
    outer.call((abortSignal) => outer.docker.listNetworks({ filters, abortSignal } as object)),
  ]);
  const ids = new Set<string>();
  for (const labels of [
    ...containers.map((c) => c.Labels),
    ...(Volumes ?? []).map((v) => v.Labels),
    ...networks.map((n) => n.Labels),
  ]) {
    if (orphaned(labels ?? undefined)) ids.add(labels![LABEL_SANDBOX]!);
  }
  for (const id of ids) await removeById(outer, id);
  return [...ids];
}

/** A running sandbox found on the outer daemon (for `docker-lab env`). */
export interface FoundSandbox {
  id: string;
  purpose: string;
  engine: string;
  dockerHost: string;
  loopback: string;
  /** Every node, manager first, with the variables a terminal gets for it (multi-node only). */
  nodes: { node: string; dockerHost: string; address: string }[];
}

/** The running sandboxes of live owners on this machine, first nodes only. */
export async function findSandboxes(outer: Engine): Promise<FoundSandbox[]> {
  const filters = JSON.stringify({ label: [LABEL_SANDBOX], status: ['running'] });
  const containers = await outer.call((abortSignal) =>
    outer.docker.listContainers({ filters, abortSignal } as object),
  );
  const found: FoundSandbox[] = [];
  const apiOf = (c: (typeof containers)[number]): string | undefined => {
    const port = c.Ports.find((p) => p.PrivatePort === 2375 && p.IP === '127.0.0.1');
    return port?.PublicPort ? `tcp://127.0.0.1:${port.PublicPort}` : undefined;
  };
  for (const c of containers) {
    if (orphaned(c.Labels) || c.Labels[LABEL_OWNER_HOST] !== hostname()) continue;
    if (c.Labels['docker-lab.sandbox.node'] !== '0') continue;
    const port = c.Ports.find((p) => p.PrivatePort === 2375 && p.IP === '127.0.0.1');
    if (!port?.PublicPort) continue;
    const id = c.Labels[LABEL_SANDBOX]!;
    const nodes = containers
      .filter((n) => n.Labels[LABEL_SANDBOX] === id && n.Labels[LABEL_NODE_NAME])
      .map((n) => ({
        index: Number(n.Labels['docker-lab.sandbox.node']),
        node: n.Labels[LABEL_NODE_NAME]!,
        dockerHost: apiOf(n) ?? '',
        address: Object.values(n.NetworkSettings?.Networks ?? {})[0]?.IPAddress ?? '',
      }))
      .sort((a, b) => a.index - b.index)
      .map(({ node, dockerHost, address }) => ({ node, dockerHost, address }));
    found.push({
      nodes,
      id: c.Labels[LABEL_SANDBOX]!,
      purpose: c.Labels[LABEL_PURPOSE] ?? '',
      engine: c.Labels[LABEL_SANDBOX_ENGINE] ?? '',
      dockerHost: `tcp://127.0.0.1:${port.PublicPort}`,
      loopback: c.Labels[LABEL_LOOPBACK] ?? '127.0.0.1',
    });
  }
  return found;
}

/** The node's endpoint, resolved as the CLI resolves DOCKER_HOST=tcp://… */
function tcpEndpoint(dockerHost: string): Endpoint {
  const resolution = resolveEndpointFromProcess({ DOCKER_HOST: dockerHost });
  if (!resolution.ok) throw new DockerLabError({ what: `${dockerHost} is not a daemon address` });
  return resolution.endpoint;
}

export class Sandbox {
  private removed = false;

  private constructor(
    private readonly outer: Engine,
    readonly id: string,
    readonly engine: SandboxEngine,
    readonly network: string,
    readonly nodes: SandboxNode[],
    /** Where the lesson reaches the sandbox's published ports on this machine. */
    readonly loopback: string,
  ) {}

  /** The daemon the lesson runs on. */
  get primary(): SandboxNode {
    return this.nodes[0]!;
  }

  /** The primary node's daemon (what a warm slot lists and loads into). */
  get daemon(): Engine {
    return this.primary.engine;
  }

  /** The variables that point a docker CLI at the sandbox (and at nothing else). */
  env(): Record<string, string> {
    return { DOCKER_HOST: this.primary.dockerHost, ...this.nodeEnv() };
  }

  /**
   * With several nodes, each node's variables (checks/nodes.ts): `MANAGER`, `WORKER1`, ... its
   * daemon (for `docker --host`), `MANAGER_IP`, `WORKER1_IP`, ... its address on the network.
   */
  nodeEnv(): Record<string, string> {
    return nodesEnv(this.nodes);
  }

  /**
   * Starts a sandbox and waits until every node answers; brings in the images meanwhile. On any
   * failure (Ctrl-C too) what was made is removed before the error goes on.
   */
  static async start(options: StartOptions): Promise<Sandbox> {
    const { outer } = options;
    const id = randomBytes(6).toString('hex');
    const loopback = options.loopback ?? '127.0.0.1';
    const labels = {
      [LABEL_SANDBOX]: id,
      [LABEL_OWNER_PID]: String(process.pid),
      [LABEL_OWNER_HOST]: hostname(),
      [LABEL_PURPOSE]: options.purpose,
      [LABEL_SANDBOX_ENGINE]: options.engine,
      [LABEL_LOOPBACK]: loopback,
    };
    const name = `docker-lab-sandbox-${id}`;
    try {
      const network = await outer.call((abortSignal) =>
        outer.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          Labels: labels,
          abortSignal,
        } as Dockerode.NetworkCreateOptions),
      );
      // Export the images while the daemons boot: the tarball waits in memory-light chunks.
      const nodes = await Promise.all(
        Array.from({ length: options.nodes ?? 1 }, (_, index) =>
          startNode(outer, `${name}-${index}`, network.id, index, labels, options),
        ),
      );
      const sandbox = new Sandbox(outer, id, options.engine, network.id, nodes, loopback);
      if (options.images && options.images.length > 0) {
        await sandbox.loadImages(options.images, options.signal);
      }
      return sandbox;
    } catch (error) {
      await removeById(outer, id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Brings images from the outer daemon into every node: one export of them all (layers they
   * share go once), streamed into each node's load. No registry is involved. Images absent on
   * the outer daemon are left out: the lesson's own image check says what is missing.
   */
  async loadImages(refs: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const present: string[] = [];
    for (const ref of new Set(refs)) {
      const ok = await this.outer
        .call((abortSignal) => this.outer.docker.getImage(ref).inspect({ abortSignal } as object))
        .then(
          () => true,
          () => false,
        );
      if (ok) present.push(ref);
    }
    if (present.length === 0) return present;
    await Promise.all(
      this.nodes.map(async (node) => {
        const outerDocker = this.outer.docker as unknown as {
          getImages(options: object): Promise<NodeJS.ReadableStream>;
        };
        const tar = await outerDocker.getImages({ names: present });
        // A warm sandbox loads many times under one signal: the listener goes with its load.
        const onAbort = (): void => (tar as unknown as { destroy(): void }).destroy();
        signal?.addEventListener('abort', onAbort, { once: true });
        const reply = (await node.engine.docker.loadImage(tar, {
          quiet: true,
        } as never)) as unknown as NodeJS.ReadableStream;
        // The load's answer is a JSON stream; it ends when every image is in.
        const text = await new Promise<string>((resolve, reject) => {
          let all = '';
          reply.on('data', (chunk: Buffer) => (all += chunk.toString()));
          reply.on('end', () => resolve(all));
          reply.on('error', reject);
        }).finally(() => signal?.removeEventListener('abort', onAbort));
        const error = /"error(?:Detail)?"\s*:\s*"([^"]*)"/.exec(text);
        if (error)
          throw new DockerLabError({ what: `loading images into the sandbox failed: ${error[1]}` });
      }),
    );
    return present;
  }

  /** Removes the nodes, their volumes and the network. Safe to call twice. */
  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    await removeById(this.outer, this.id);
  }
}

/** The variables of a multi-node sandbox's nodes (none for one node). */
export function nodesEnv(
  nodes: readonly { node: string; dockerHost: string; address: string }[],
): Record<string, string> {
  if (nodes.length < 2) return {};
  const env: Record<string, string> = {};
  for (const n of nodes) {
    const names = nodeVariables(n.node);
    env[names.host] = n.dockerHost;
    env[names.ip] = n.address;
  }
  return env;
}

async function startNode(
  outer: Engine,
  name: string,
  network: string,
  index: number,
  labels: Record<string, string>,
  options: StartOptions,
): Promise<SandboxNode> {
  // One node keeps the name it always had; a cluster's nodes are named for the lesson, as
  // hostname (docker node ls shows it) and on the network (the others reach it by it).
  const cluster = (options.nodes ?? 1) > 1;
  const node = cluster ? nodeName(index) : `sandbox-${index}`;
  const nodeLabels = {
    ...labels,
    'docker-lab.sandbox.node': String(index),
    ...(cluster ? { [LABEL_NODE_NAME]: node } : {}),
  };
  // The inner data root on a volume: overlay2 cannot sit on the container's overlay.
  await outer.call((abortSignal) =>
    outer.docker.createVolume({ Name: name, Labels: nodeLabels, abortSignal } as object),
  );
  const container = await outer.call((abortSignal) =>
    outer.docker.createContainer({
      name,
      Image: sandboxImage(options.engine),
      Hostname: node,
      Labels: nodeLabels,
      ExposedPorts: { [API_PORT]: {} },
      HostConfig: {
        // Never --privileged (it fails on these machines and gives more than a lesson needs):
        // the capabilities and device rule Docker-in-Docker needs, as test/helpers/dind.ts.
        CapAdd: ['ALL'],
        CapDrop: ['SYS_RESOURCE'],
        SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
        DeviceCgroupRules: ['a *:* rwm'],
        Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw', `${name}:/var/lib/docker`],
        // Loopback only: the API has no TLS, so nobody else may reach it.
        PortBindings: { [API_PORT]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
        NetworkMode: network,
      },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [node] } } },
      abortSignal,
    } as Dockerode.ContainerCreateOptions),
  );
  await outer.call((abortSignal) => container.start({ abortSignal }));
  const info = await outer.call((abortSignal) => container.inspect({ abortSignal }));
  const port = info.NetworkSettings.Ports[API_PORT]?.find((b) => b.HostIp === '127.0.0.1');
  if (!port) throw new DockerLabError({ what: `the sandbox node ${name} publishes no API port` });
  const dockerHost = `tcp://127.0.0.1:${port.HostPort}`;
  const address = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress ?? '';
  const engine = await waitForDaemon(outer, container, dockerHost, options.signal);
  return { name, node, address, containerId: container.id, volume: name, dockerHost, engine };
}

async function waitForDaemon(
  outer: Engine,
  container: Dockerode.Container,
  dockerHost: string,
  signal: AbortSignal | undefined,
): Promise<Engine> {
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    signal?.throwIfAborted();
    try {
      return await connectEngine(tcpEndpoint(dockerHost), {
        timeoutMs: 2_000,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const state = await outer.call((abortSignal) => container.inspect({ abortSignal }));
      if (!state.State.Running || Date.now() > until) {
        const logs = await outer
          .call(
            (abortSignal) =>
              container.logs({
                stdout: true,
                stderr: true,
                tail: 20,
                abortSignal,
              } as never) as unknown as Promise<Buffer>,
          )
          .then((b) => String(b))
          .catch(() => '');
        throw new DockerLabError({
          what: `the sandbox's Docker daemon did not start${state.State.Running ? ` within ${READY_TIMEOUT_MS / 1000} s` : ''}; its last lines:\n${logs}`,
          fix: ['docker-lab doctor says whether this daemon can run Docker in a container'],
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
