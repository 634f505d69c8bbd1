/**
 * What the event stream says was created, kept as plain data: `recordEvent` is a pure update,
 * so the rules (which event creates what) are testable without a daemon.
 *
 * Event names on API 1.41 (dockerd 20.10), observed:
 * - container: create (also for `docker run` whose command fails to start: no start event),
 *   commit (attributes imageID, imageRef), destroy. Attributes carry name, image and labels.
 * - image: pull (Actor.ID is the reference), tag (Actor.ID the image id, name the new
 *   reference), import, load (Actor.ID the image id; the tags it restores get no tag event),
 *   untag and delete (name is the image id, not the reference). An untagged legacy build emits
 *   no image event at all: only its step containers, whose `image` is the parent image's id.
 * - volume: create (again each time `run -v name:` reuses it), mount, unmount, destroy;
 *   Actor.ID is the volume name; mount's attributes name the container. Anonymous volumes get
 *   create events too, which say nothing of the container they are for.
 * - network: create, connect, disconnect, destroy; attributes name and type.
 * - service, secret, config (swarm managers only): create, update, remove.
 */
import type { EngineEvent } from './events.js';
import { normalizeRef, type Inventory } from './inventory.js';

export type ResourceType =
  | 'service'
  | 'secret'
  | 'config'
  | 'container'
  | 'network'
  | 'volume'
  | 'image'
  | 'compose-project'
  /** Swarm mode itself, when the lesson turned it on (swarm init). */
  | 'swarm';

/** Something the lesson created, as the UI shows it. */
export interface Resource {
  type: ResourceType;
  /** Engine id (volume: its name; image: the image id, or the reference for a pull). */
  id: string;
  /** What a person recognises: a name, an image reference. */
  name: string;
}

interface Entry extends Resource {
  /** The daemon reported it gone (destroy/delete/remove), by the learner or by us. */
  gone: boolean;
  /** Daemon time (ns) of the event that created it: checks scoped to a step compare it. */
  at: bigint;
}

/** A created resource with the daemon time of its creation event (ns since the epoch). */
export interface TimedResource extends Resource {
  at: bigint;
}

export interface Records {
  /** Insertion-ordered: the order things were created in. Key: `${type}:${id}` (image: ref). */
  entries: Map<string, Entry>;
  /** Image references named by events (tag, pull, commit). */
  imageRefs: Set<string>;
  /** Image ids named by events (tag, import, load, commit). */
  imageIds: Set<string>;
  /** Image ids `docker load` named: their tags arrive without tag events. */
  loadedIds: Set<string>;
  /** Image ids new containers ran from by id: the legacy builder's step containers. */
  buildParents: Set<string>;
  /** Event keys already applied: the live stream and the catch-up sweep overlap. */
  seen: Set<string>;
}

export function emptyRecords(): Records {
  return {
    entries: new Map(),
    imageRefs: new Set(),
    imageIds: new Set(),
    loadedIds: new Set(),
    buildParents: new Set(),
    seen: new Set(),
  };
}

/** Filters the event stream to the kinds of event that create or remove something. */
export const EVENT_FILTERS = {
  type: ['container', 'image', 'volume', 'network', 'service', 'secret', 'config'],
  event: [
    'create',
    'commit',
    'destroy',
    'tag',
    'pull',
    'import',
    'load',
    'delete',
    'remove',
    'mount',
  ],
};

const COMPOSE_PROJECT = 'com.docker.compose.project';

function eventKey(event: EngineEvent): string {
  return `${event.timeNano}|${event.type}|${event.action}|${event.id}`;
}

function add(records: Records, resource: Resource, at: bigint): Resource {
  const key = `${resource.type}:${resource.type === 'image' ? resource.name : resource.id}`;
  const existing = records.entries.get(key);
  if (existing) {
    if (existing.gone) existing.at = at; // re-created under the same name (volumes)
    existing.gone = false;
    return existing;
  }
  const entry = { ...resource, gone: false, at };
  records.entries.set(key, entry);
  return entry;
}

function markGone(records: Records, type: ResourceType, id: string): void {
  for (const entry of records.entries.values()) {
    if (entry.type === type && entry.id === id) entry.gone = true;
  }
}

const isImageId = (value: string): boolean => value.startsWith('sha256:');
/** The Engine names an anonymous volume with 64 hex digits. */
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

/**
 * Applies one event. `before` keeps pre-existing objects out (an event may name them: the
 * window between taking the inventory and the stream's start overlaps on purpose). `accept`
 * narrows what is recorded, for runs that share a daemon.
 * Returns the resource the event created, if any.
 */
export function recordEvent(
  records: Records,
  event: EngineEvent,
  before: Inventory,
  accept: (event: EngineEvent) => boolean = () => true,
): Resource | undefined {
  const key = eventKey(event);
  if (records.seen.has(key)) return undefined;
  records.seen.add(key);
  const { type, action, id, attributes } = event;
  const name = attributes.name ?? id;

  if (action === 'destroy' || action === 'delete' || action === 'remove') {
    markGone(records, type as ResourceType, id);
    return undefined;
  }
  // A volume a lesson's container mounts and nobody named (a VOLUME of its image, `-v /data`)
  // derives from that container: it is the lesson's, though no name in the lesson says so.
  if (type === 'volume' && action === 'mount') {
    const container = attributes.container;
    if (!container || !records.entries.has(`container:${container}`)) return undefined;
    if (!ANONYMOUS_VOLUME.test(id) || before.volumes.has(id)) return undefined;
    return add(records, { type: 'volume', id, name: id }, event.timeNano);
  }
  if (!accept(event)) return undefined;

  switch (type) {
    case 'container': {
      if (action === 'commit') {
        const imageId = attributes.imageID;
        if (imageId) records.imageIds.add(imageId);
        if (attributes.imageRef) records.imageRefs.add(normalizeRef(attributes.imageRef));
        if (!imageId || before.images.has(imageId)) return undefined;
        return add(
          records,
          { type: 'image', id: imageId, name: attributes.imageRef ?? imageId },
          event.timeNano,
        );
      }
      if (action !== 'create' || before.containers.has(id)) return undefined;
      if (attributes.image && isImageId(attributes.image))
        records.buildParents.add(attributes.image);
      const project = attributes[COMPOSE_PROJECT];
      if (project)
        add(records, { type: 'compose-project', id: project, name: project }, event.timeNano);
      return add(records, { type: 'container', id, name }, event.timeNano);
    }
    case 'image': {
      if (action === 'pull') {
        const ref = normalizeRef(id);
        records.imageRefs.add(ref);
        return add(records, { type: 'image', id: ref, name: ref }, event.timeNano);
      }
      if (action === 'tag') {
        const ref = normalizeRef(name);
        records.imageRefs.add(ref);
        records.imageIds.add(id);
        return add(records, { type: 'image', id, name: ref }, event.timeNano);
      }
      if (action === 'import' || action === 'load') {
        if (!isImageId(id)) {
          records.imageRefs.add(normalizeRef(id));
          return add(records, { type: 'image', id, name: normalizeRef(id) }, event.timeNano);
        }
        records.imageIds.add(id);
        if (action === 'load') records.loadedIds.add(id);
        if (before.images.has(id)) return undefined;
        return add(records, { type: 'image', id, name: id }, event.timeNano);
      }
      return undefined;
    }
    case 'volume':
      if (action !== 'create' || before.volumes.has(id)) return undefined;
      return add(records, { type: 'volume', id, name: id }, event.timeNano);
    case 'network':
      if (action !== 'create' || before.networks.has(id)) return undefined;
      return add(records, { type: 'network', id, name }, event.timeNano);
    case 'service':
    case 'secret':
    case 'config': {
      if (action !== 'create') return undefined;
      const beforeSet =
        type === 'service' ? before.services : type === 'secret' ? before.secrets : before.configs;
      if (beforeSet.has(id)) return undefined;
      return add(records, { type, id, name }, event.timeNano);
    }
    default:
      return undefined;
  }
}

/** Resources still present as far as the events tell, in the order they were created. */
export function liveResources(records: Records): Resource[] {
  return [...records.entries.values()]
    .filter((entry) => !entry.gone)
    .map(({ type, id, name }) => ({ type, id, name }));
}

/** Like liveResources, with when each was created (daemon time, ns): for scoped checks. */
export function liveTimedResources(records: Records): TimedResource[] {
  return [...records.entries.values()]
    .filter((entry) => !entry.gone)
    .map(({ type, id, name, at }) => ({ type, id, name, at }));
}
