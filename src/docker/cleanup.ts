/**
 * Removes what a ledger recorded, in dependency order: swarm services (their tasks' containers
 * go with them), containers, secrets and configs, networks, volumes, images. Each removal is
 * its own Engine call with its own deadline; one failure does not stop the rest. Something
 * already gone counts as done. Nothing in the "before" inventory is ever removed.
 */
import type Dockerode from 'dockerode';
import { IMAGE_REMOVE_TIMEOUT_MS, deadline } from './deadline.js';
import { isGone, messageOf } from './engine-error.js';
import { planImageCleanup } from './image-plan.js';
import { listImages, type Inventory } from './inventory.js';
import { engineObject, type ObjectType } from './objects.js';
import type { Records, Resource, ResourceType } from './records.js';

export interface CleanupResult {
  removed: Resource[];
  failed: Array<{ resource: Resource; error: string }>;
  /** Left in place on purpose, with the reason (it would take something of the learner's). */
  kept: Array<{ resource: Resource; reason: string }>;
  /** Learner's image tags a lesson had moved onto its own image, put back. */
  restored: Resource[];
}

interface Context {
  docker: Dockerode;
  before: Inventory;
  signal: AbortSignal | undefined;
  result: CleanupResult;
}

const NOT_IN_SWARM = /not a swarm manager|not part of a swarm/i;

/** Runs one removal; a 404 (or "already being removed") is success without a report line. */
async function attempt(
  context: Context,
  resource: Resource,
  remove: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await remove();
    context.result.removed.push(resource);
    return true;
  } catch (error) {
    if (isGone(error)) return true;
    if (context.signal?.aborted) throw error;
    context.result.failed.push({ resource, error: messageOf(error) });
    return false;
  }
}

type Op<T> = (options: object) => Promise<T>;

async function removeContainer(context: Context, resource: Resource): Promise<void> {
  const { docker, before, signal } = context;
  const container = docker.getContainer(resource.id);
  await attempt(context, resource, async () => {
    const info = await (container.inspect as Op<Dockerode.ContainerInspectInfo>).call(container, {
      abortSignal: deadline(signal),
    });
    // Anonymous volumes go with the container, unless one of its mounts is the learner's
    // (`--volumes-from` a learner's container shares their anonymous volumes).
    const sharesLearnerVolume = (info.Mounts ?? []).some(
      (mount) =>
        mount.Type === 'volume' && mount.Name !== undefined && before.volumes.has(mount.Name),
    );
    await container.remove({ force: true, v: !sharesLearnerVolume, abortSignal: deadline(signal) });
  });
}

async function removeNetwork(context: Context, resource: Resource): Promise<void> {
  const { docker, signal } = context;
  const network = docker.getNetwork(resource.id);
  const remove = (): Promise<unknown> =>
    (network.remove as Op<unknown>).call(network, { abortSignal: deadline(signal) });
  try {
    await remove();
    context.result.removed.push(resource);
    return;
  } catch (error) {
    if (isGone(error)) return;
    // A stack's overlay network goes with the swarm: once the node has left it (by cleanup, or
    // by the lesson's own `docker swarm leave`), the network is gone with it.
    if (SWARM_NETWORK_ID.test(resource.id) && NOT_IN_SWARM.test(messageOf(error))) return;
    if (!/active endpoints/i.test(messageOf(error))) {
      context.result.failed.push({ resource, error: messageOf(error) });
      return;
    }
  }
  // Still attached: only containers that outlive the lesson's own, i.e. the learner's, which
  // the lesson connected to its network. Disconnecting restores them as they were.
  try {
    const attached = await docker.listContainers({
      all: true,
      filters: { network: [resource.id] },
      abortSignal: deadline(signal),
    } as Dockerode.ContainerListOptions);
    for (const container of attached) {
      await (network.disconnect as Op<unknown>)
        .call(network, { Container: container.Id, Force: true, abortSignal: deadline(signal) })
        .catch((error: unknown) => {
          if (!isGone(error)) throw error;
        });
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    context.result.failed.push({ resource, error: messageOf(error) });
    return;
  }
  await attempt(context, resource, remove);
}

function simpleRemoval(type: ResourceType) {
  return async (context: Context, resource: Resource): Promise<void> => {
    const { docker, signal } = context;
    const handle = engineObject(docker, type as ObjectType, resource.id);
    await attempt(context, resource, () => handle.remove({ abortSignal: deadline(signal) }));
  };
}

async function cleanupImages(
  context: Context,
  records: Records,
  sinceSeconds: number,
): Promise<void> {
  const { docker, before, signal, result } = context;
  const images = await listImages(docker, signal);
  const plan = planImageCleanup(images, before, records, sinceSeconds);
  for (const action of plan) {
    if (action.kind === 'keep') {
      result.kept.push({
        resource: { type: 'image', id: action.id, name: action.name },
        reason: action.reason,
      });
    } else if (action.kind === 'restore-tag') {
      const resource: Resource = { type: 'image', id: action.id, name: action.ref };
      const at = action.ref.lastIndexOf(':');
      const image = docker.getImage(action.id);
      try {
        await image.tag({
          repo: action.ref.slice(0, at),
          tag: action.ref.slice(at + 1),
          abortSignal: deadline(signal),
        } as Dockerode.ImageTagOptions);
        result.restored.push(resource);
      } catch (error) {
        result.failed.push({ resource, error: messageOf(error) });
      }
    } else {
      const target = action.kind === 'untag' ? action.ref : action.id;
      const resource: Resource = {
        type: 'image',
        id: action.id,
        name: action.kind === 'untag' ? action.ref : action.name,
      };
      const image = docker.getImage(target);
      // noprune: parents are removed by their own actions, only when they are the lesson's.
      await attempt(context, resource, () =>
        image.remove({ noprune: true, abortSignal: deadline(signal, IMAGE_REMOVE_TIMEOUT_MS) }),
      );
    }
  }
}

const ORDER: Array<{
  type: ResourceType;
  remove: (context: Context, resource: Resource) => Promise<void>;
}> = [
  { type: 'service', remove: simpleRemoval('service') },
  { type: 'container', remove: removeContainer },
  { type: 'secret', remove: simpleRemoval('secret') },
  { type: 'config', remove: simpleRemoval('config') },
  { type: 'network', remove: removeNetwork },
  { type: 'volume', remove: simpleRemoval('volume') },
];

function beforeSetOf(before: Inventory, type: ResourceType): Set<string> | undefined {
  switch (type) {
    case 'service':
      return before.services;
    case 'secret':
      return before.secrets;
    case 'config':
      return before.configs;
    case 'container':
      return before.containers;
    case 'network':
      return before.networks;
    case 'volume':
      return before.volumes;
    default:
      return undefined;
  }
}

/** Swarm-made networks have 25-character ids; a local network's id is 64 hex digits. */
const SWARM_NETWORK_ID = /^[a-z0-9]{25}$/;

/**
 * A swarm's networks on this node (ingress, a stack's overlay) go a moment after the swarm is
 * left or the stack removed, by the lesson or by cleanup. Wait, bounded, until none that the
 * inventory did not have is listed, so the daemon is as it was when cleanup returns.
 */
async function swarmNetworksSettled(context: Context): Promise<void> {
  const { docker, signal, before } = context;
  for (let i = 0; i < 50 && !signal?.aborted; i++) {
    const networks = (await docker
      .listNetworks({ abortSignal: deadline(signal) } as object)
      .catch(() => [])) as { Id: string }[];
    if (!networks.some((n) => SWARM_NETWORK_ID.test(n.Id) && !before.networks.has(n.Id))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function leaveSwarm(context: Context): Promise<void> {
  const swarm: Resource = { type: 'swarm', id: 'swarm', name: 'swarm mode' };
  await attempt(context, swarm, () =>
    context.docker.swarmLeave({ force: true, abortSignal: deadline(context.signal) } as object),
  );
}

/**
 * `swarm init` also makes `docker_gwbridge`, a local bridge for the swarm's gateways, with no
 * event for it, and leaving the swarm keeps it. It is the lesson's when the lesson's swarm made
 * it (it was not there before): remove it once its last gateway endpoint has gone.
 */
async function removeGatewayBridge(context: Context): Promise<void> {
  const { docker, signal, before } = context;
  const networks = (await docker
    .listNetworks({
      filters: { name: ['docker_gwbridge'] },
      abortSignal: deadline(signal),
    } as object)
    .catch(() => [])) as { Id: string; Name: string }[];
  const bridge = networks.find((n) => n.Name === 'docker_gwbridge' && !before.networks.has(n.Id));
  if (!bridge) return;
  const resource: Resource = { type: 'network', id: bridge.Id, name: bridge.Name };
  const network = docker.getNetwork(bridge.Id);
  for (let i = 0; i < 50 && !signal?.aborted; i++) {
    try {
      await (network.remove as Op<unknown>).call(network, { abortSignal: deadline(signal) });
      context.result.removed.push(resource);
      return;
    } catch (error) {
      if (isGone(error)) return;
      if (!/active endpoints/i.test(messageOf(error)) || i === 49) {
        context.result.failed.push({ resource, error: messageOf(error) });
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function cleanupRecords(
  docker: Dockerode,
  records: Records,
  before: Inventory,
  options: {
    signal?: AbortSignal;
    sinceSeconds: number;
    leaveSwarm?: boolean;
    /** The lesson turned swarm mode on: a docker_gwbridge that was not there before is its. */
    gatewayBridge?: boolean;
  },
): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], failed: [], kept: [], restored: [] };
  const context: Context = { docker, before, signal: options.signal, result };
  const entries = [...records.entries.values()];
  for (const { type, remove } of ORDER) {
    // Swarm mode the lesson turned on goes after its services and before networks: leaving
    // removes the ingress network, which cannot be removed while the node is in the swarm.
    if (type === 'container' && options.leaveSwarm) await leaveSwarm(context);
    const protectedIds = beforeSetOf(before, type);
    // Newest first within a kind: later objects may depend on earlier ones.
    const targets = entries.filter((entry) => entry.type === type && !entry.gone).reverse();
    for (const entry of targets) {
      if (protectedIds?.has(entry.id)) continue; // the safety net: never the learner's
      const resource: Resource = { type: entry.type, id: entry.id, name: entry.name };
      await remove(context, resource);
      if (!result.failed.some((failure) => failure.resource === resource)) entry.gone = true;
    }
  }
  await cleanupImages(context, records, options.sinceSeconds);
  await swarmNetworksSettled(context);
  if (options.leaveSwarm || options.gatewayBridge) await removeGatewayBridge(context);
  return result;
}
