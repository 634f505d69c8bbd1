/**
 * The Engine objects docker-lab inspects and removes by type and id: one place that maps a
 * resource type to its dockerode handle, and the order in which removals must go (a service
 * before its containers, containers before the networks and volumes they use).
 */
import type Dockerode from 'dockerode';
import type { Engine } from './client.js';
import { isGone } from './engine-error.js';
import type { Resource } from './records.js';

export type ObjectType = 'service' | 'container' | 'secret' | 'config' | 'network' | 'volume';

/** Dependency order for removal. */
export const REMOVAL_ORDER: readonly ObjectType[] = [
  'service',
  'container',
  'secret',
  'config',
  'network',
  'volume',
];

export interface EngineObject {
  inspect(options: object): Promise<{ Id?: string; Name?: string; CreatedAt?: string }>;
  remove(options: object): Promise<unknown>;
}

export function isObjectType(type: string): type is ObjectType {
  return (REMOVAL_ORDER as readonly string[]).includes(type);
}

/** The dockerode handle of an object (by id, or by name where the Engine takes one). */
export function engineObject(docker: Dockerode, type: ObjectType, id: string): EngineObject {
  const handle = {
    service: () => docker.getService(id),
    container: () => docker.getContainer(id),
    secret: () => docker.getSecret(id),
    config: () => docker.getConfig(id),
    network: () => docker.getNetwork(id),
    volume: () => docker.getVolume(id),
  }[type]();
  return handle as unknown as EngineObject;
}

/**
 * Removes each resource, in dependency order, with its own deadline; one failure does not stop
 * the rest, and an object already gone counts as removed. Containers go with force and keep
 * their volumes. Returns what could not be removed, with the first line of why.
 */
export async function removeEach(
  engine: Engine,
  resources: readonly Resource[],
): Promise<{ resource: Resource; error: string }[]> {
  const failed: { resource: Resource; error: string }[] = [];
  const rank = (r: Resource): number => REMOVAL_ORDER.indexOf(r.type as ObjectType);
  for (const resource of [...resources].sort((a, b) => rank(a) - rank(b))) {
    if (!isObjectType(resource.type)) continue;
    const object = engineObject(engine.docker, resource.type, resource.id);
    try {
      await engine.call(
        (abortSignal) =>
          object.remove({ abortSignal, ...(resource.type === 'container' ? { force: true } : {}) }),
        30_000,
      );
    } catch (error) {
      if (isGone(error)) continue;
      failed.push({ resource, error: (error as Error).message.split('\n')[0]! });
    }
  }
  return failed;
}
