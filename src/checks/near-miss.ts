/**
 * Near misses: a check looks for `dl-hello` and the daemon has `dl_hello`. Said at once, in one
 * sentence naming both, instead of a wait that ends in "not found". Only names are compared
 * (containers, volumes, networks, images by repository): close means the same once case and
 * the separators - _ . are ignored, or at most two edits apart.
 */
import type Dockerode from 'dockerode';
import { distance } from 'fastest-levenshtein';
import type { Check } from './schema.js';

export type NamedType = 'container' | 'volume' | 'network' | 'image';

export interface NearMiss {
  type: NamedType;
  /** The name the check looks for. */
  expected: string;
  /** The names on the daemon that are close to it. */
  found: string[];
}

const squash = (name: string) => name.toLowerCase().replace(/[-_.]/g, '');

/** Whether `found` looks like a slip for `expected` (and is not it). */
export function isNear(expected: string, found: string): boolean {
  if (found === expected) return false;
  if (squash(found) === squash(expected)) return true;
  const limit = expected.length <= 4 ? 1 : 2;
  return distance(found, expected) <= limit;
}

/** The name a check looks for, when it looks by name. */
export function expectedName(check: Check): { type: NamedType; name: string } | undefined {
  switch (check.kind) {
    case 'container':
    case 'volume':
    case 'network':
      return check.spec.name === undefined
        ? undefined
        : { type: check.kind, name: check.spec.name };
    case 'image':
      return check.spec.name === undefined
        ? undefined
        : { type: 'image', name: check.spec.name.replace(/:[^/:]*$/, '') };
    default:
      return undefined;
  }
}

async function names(docker: Dockerode, type: NamedType, signal: AbortSignal): Promise<string[]> {
  const options = { abortSignal: signal } as object;
  switch (type) {
    case 'container':
      return (await docker.listContainers({ ...options, all: true })).flatMap((c) =>
        c.Names.map((n) => n.replace(/^\//, '')),
      );
    case 'volume':
      return ((await docker.listVolumes(options)).Volumes ?? []).map((v) => v.Name);
    case 'network':
      return (await docker.listNetworks(options)).map((n) => n.Name);
    case 'image':
      return (await docker.listImages(options)).flatMap((i) =>
        (i.RepoTags ?? []).map((tag) => tag.replace(/:[^/:]*$/, '')),
      );
  }
}

/**
 * For the checks that did not pass, what the daemon has under a name close to the one they
 * look for. Best effort: a daemon that cannot list answers with no near miss.
 */
export async function findNearMisses(
  failing: readonly Check[],
  docker: Dockerode,
  signal: AbortSignal,
): Promise<NearMiss[]> {
  const misses: NearMiss[] = [];
  const listed = new Map<NamedType, string[]>();
  for (const check of failing) {
    const wanted = expectedName(check);
    if (!wanted) continue;
    try {
      if (!listed.has(wanted.type))
        listed.set(wanted.type, await names(docker, wanted.type, signal));
    } catch {
      continue;
    }
    const all = listed.get(wanted.type)!;
    // The expected name exists: the check failed on something else than the name.
    if (all.includes(wanted.name)) continue;
    const found = [...new Set(all.filter((name) => isNear(wanted.name, name)))];
    if (found.length > 0) misses.push({ type: wanted.type, expected: wanted.name, found });
  }
  return misses;
}
