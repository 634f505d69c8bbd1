/**
 * Names a step is about to create that something not the lesson's already has: a learner's own
 * container `dl-mysql`, a volume left by an earlier run the learner chose to keep. Found before
 * the step runs, so the learner is asked (remove it, or keep it and skip the step) instead of
 * the step failing on a name conflict, or silently writing into a volume that is not the
 * lesson's (`docker volume create` of an existing name succeeds). Whose an object is follows the
 * ledger: only what this run created is the lesson's.
 */
import type { Engine } from '../docker/client.js';
import { isGone } from '../docker/engine-error.js';
import { engineObject, removeEach } from '../docker/objects.js';
import type { Resource } from '../docker/records.js';
import { addScript, emptyNames } from '../lesson/created-names.js';

export interface InTheWay {
  type: 'container' | 'volume' | 'network';
  name: string;
  id: string;
}

/** The id of the object of that type and name on the daemon, or undefined when there is none. */
async function existing(
  engine: Engine,
  type: InTheWay['type'],
  name: string,
): Promise<string | undefined> {
  try {
    const found = await engine.call((abortSignal) =>
      engineObject(engine.docker, type, name).inspect({ abortSignal }),
    );
    // A volume's id is its name. The Engine finds a network by an id prefix too: only the same
    // name is in the way.
    if (type === 'volume') return found.Name;
    if (type === 'network' && found.Name !== name) return undefined;
    return found.Id;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/**
 * What the scripts would create under a name that is already taken by an object this run did
 * not create. `files` are the lesson's file blocks (compose files), `workdir` its folder.
 */
export async function namesInTheWay(
  engine: Engine,
  scripts: string[],
  context: { files: { path: string; content: string }[]; workdir: string; owned: Resource[] },
): Promise<InTheWay[]> {
  const names = emptyNames();
  for (const script of scripts) addScript(script, names, context.files, context.workdir);
  const owned = new Set(context.owned.map((r) => `${r.type}:${r.id}`));
  const found: InTheWay[] = [];
  const kinds: [InTheWay['type'], Set<string>][] = [
    ['container', names.containers],
    ['volume', names.volumes],
    ['network', names.networks],
  ];
  for (const [type, wanted] of kinds) {
    for (const name of [...wanted].sort()) {
      const id = await existing(engine, type, name);
      if (id !== undefined && !owned.has(`${type}:${id}`)) found.push({ type, name, id });
    }
  }
  return found;
}

/** The command a person would type to remove it (shown, and what `removeInTheWay` does). */
export function removalCommand(item: InTheWay): string {
  if (item.type === 'container') return `docker rm -f ${item.name}`;
  return `docker ${item.type} rm ${item.name}`;
}

/** Removes what the learner agreed to remove (a container keeps its volumes); throws if one stays. */
export async function removeInTheWay(engine: Engine, items: InTheWay[]): Promise<void> {
  const failed = await removeEach(engine, items);
  if (failed.length > 0)
    throw new Error(
      failed
        .map((f) => `could not remove ${f.resource.type} ${f.resource.name}: ${f.error}`)
        .join('\n'),
    );
}
