/**
 * What exists on the daemon at a moment: the ledger's "before" set, the safety net that keeps
 * the learner's own objects out of cleanup whatever the event stream says.
 */
import type Dockerode from 'dockerode';
import { deadline } from './deadline.js';

export interface ImageRow {
  id: string;
  /** Parent image id (legacy builder chains); '' when none. */
  parent: string;
  /** References that name this image: repo:tag and repo@digest. */
  refs: string[];
  /** Seconds since the epoch (daemon clock). */
  created: number;
}

export interface Inventory {
  containers: Set<string>;
  images: Map<string, ImageRow>;
  /** Every image reference (repo:tag, repo@digest) and the image id it named. */
  imageRefs: Map<string, string>;
  /** Volumes by name (volume events name them, not an id). */
  volumes: Set<string>;
  networks: Set<string>;
  services: Set<string>;
  secrets: Set<string>;
  configs: Set<string>;
}

/**
 * One spelling per reference, as the daemon lists them: events may say `busybox` or
 * `docker.io/library/busybox:latest` for what `docker images` lists as `busybox:latest`.
 */
export function normalizeRef(ref: string): string {
  let name = ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const lastSlash = name.lastIndexOf('/');
  if (!name.includes('@') && !name.slice(lastSlash + 1).includes(':')) name += ':latest';
  if (name.startsWith('library/')) name = name.slice('library/'.length);
  return name;
}

export async function listImages(docker: Dockerode, signal?: AbortSignal): Promise<ImageRow[]> {
  const rows = await docker.listImages({
    all: true,
    abortSignal: deadline(signal),
  } as Dockerode.ListImagesOptions);
  return rows.map((row) => ({
    id: row.Id,
    parent: row.ParentId ?? '',
    refs: [...(row.RepoTags ?? []), ...(row.RepoDigests ?? [])]
      .filter((ref) => !ref.startsWith('<none>'))
      .map(normalizeRef),
    created: row.Created,
  }));
}

/** Swarm objects exist only on an active manager; elsewhere the lists are empty. */
async function swarmIds(
  docker: Dockerode,
  signal: AbortSignal | undefined,
): Promise<Pick<Inventory, 'services' | 'secrets' | 'configs'>> {
  const engine = docker as unknown as {
    info(o: object): Promise<{ Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }>;
  };
  const info = await engine.info({ abortSignal: deadline(signal) });
  if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
    return { services: new Set(), secrets: new Set(), configs: new Set() };
  }
  const [services, secrets, configs] = await Promise.all([
    docker.listServices({ abortSignal: deadline(signal) } as object),
    docker.listSecrets({ abortSignal: deadline(signal) } as object),
    docker.listConfigs({ abortSignal: deadline(signal) } as object),
  ]);
  const ids = (list: Array<{ ID?: string }>): Set<string> =>
    new Set(list.map((item) => item.ID ?? '').filter(Boolean));
  return { services: ids(services), secrets: ids(secrets), configs: ids(configs) };
}

export async function takeInventory(docker: Dockerode, signal?: AbortSignal): Promise<Inventory> {
  const [containers, images, volumes, networks, swarm] = await Promise.all([
    docker.listContainers({
      all: true,
      abortSignal: deadline(signal),
    } as Dockerode.ContainerListOptions),
    listImages(docker, signal),
    docker.listVolumes({ abortSignal: deadline(signal) } as object),
    docker.listNetworks({ abortSignal: deadline(signal) } as object),
    swarmIds(docker, signal),
  ]);
  const imageRefs = new Map<string, string>();
  for (const image of images) for (const ref of image.refs) imageRefs.set(ref, image.id);
  return {
    containers: new Set(containers.map((container) => container.Id)),
    images: new Map(images.map((image) => [image.id, image])),
    imageRefs,
    volumes: new Set((volumes.Volumes ?? []).map((volume) => volume.Name)),
    networks: new Set(networks.map((network) => network.Id)),
    ...swarm,
  };
}
