import { z } from 'zod';

/**
 * The nodes of a multi-node lesson (front matter `nodes: 3`): the first is `manager`, the others
 * `worker1`, `worker2`, ... Each is a Docker daemon of its own in the lesson's sandbox, reached by
 * that name on the sandbox's network; a check's `node:` names the one it looks at.
 */
export const MAX_NODES = 5;
export const MANAGER_NODE = 'manager';

/** The name of the node at `index` (0 is the manager). */
export function nodeName(index: number): string {
  return index === 0 ? MANAGER_NODE : `worker${index}`;
}

/** The names of a lesson's nodes, in order. */
export function nodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => nodeName(index));
}

export const NodeNameSchema = z.string().regex(/^(manager|worker[1-9])$/, {
  message: 'a node is manager, worker1, worker2, ... (front matter `nodes:` says how many)',
});

/**
 * The variables a lesson's commands (and the learner's terminal) get for a node: `WORKER1` is
 * its daemon address for `docker --host "$WORKER1"`, `WORKER1_IP` its address on the cluster's
 * network (what `docker swarm init --advertise-addr "$MANAGER_IP"` and `curl` take).
 */
export function nodeVariables(node: string): { host: string; ip: string } {
  const upper = node.toUpperCase();
  return { host: upper, ip: `${upper}_IP` };
}
