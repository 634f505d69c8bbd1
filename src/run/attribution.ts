import type { EngineEvent } from '../docker/events.js';
import { normalizeRef } from '../docker/inventory.js';
import type { CreatedNames } from '../lesson/created-names.js';

/**
 * Which creations on the daemon are the lesson's, by identity only (design §5). The Engine does
 * not say which client made an object and the learner may use the daemon from another terminal
 * while a lesson runs, so neither the moment an object appears nor a word of the lesson's text
 * says anything. An object is the lesson's when
 * - its name is one the lesson's commands create (`created-names.ts`), whoever typed them;
 * - it derives from one: the containers, networks and volumes of the lesson's compose project or
 *   stack, the tasks of its services, the side networks of a swarm the lesson turned on (a
 *   container's anonymous volumes are recorded from their mount events, in records.ts);
 * - or docker-lab labelled it: commands docker-lab runs create containers with `RUN_LABEL`.
 * Everything else is the learner's, and cleanup never sees it.
 */
export const RUN_LABEL = 'org.docker-lab.run';

const COMPOSE_PROJECT = 'com.docker.compose.project';
const STACK = 'com.docker.stack.namespace';
const SERVICE = 'com.docker.swarm.service.name';
/** What `swarm init` makes besides the swarm: a bridge for its gateways and the routing mesh. */
const SWARM_NETWORKS = new Set(['docker_gwbridge', 'ingress']);

export class Attribution {
  constructor(
    private readonly names: CreatedNames,
    /** This run's value of `RUN_LABEL`. */
    readonly runId: string,
  ) {}

  /** `P_x`: how compose and stacks name a project's networks and volumes. */
  private derivedName(name: string): boolean {
    for (const prefix of [...this.names.composeProjects, ...this.names.stacks])
      if (name.startsWith(`${prefix}_`)) return true;
    return false;
  }

  private namedImage(ref: string | undefined): boolean {
    return ref !== undefined && this.names.images.has(normalizeRef(ref));
  }

  accepts(event: EngineEvent): boolean {
    const a = event.attributes;
    const name = (a.name ?? event.id).replace(/^\//, '');
    switch (event.type) {
      case 'container':
        if (event.action === 'commit') return this.namedImage(a.imageRef);
        return (
          a[RUN_LABEL] === this.runId ||
          this.names.containers.has(name) ||
          (a[COMPOSE_PROJECT] !== undefined &&
            this.names.composeProjects.has(a[COMPOSE_PROJECT])) ||
          (a[STACK] !== undefined && this.names.stacks.has(a[STACK])) ||
          (a[SERVICE] !== undefined &&
            (this.names.services.has(a[SERVICE]) || this.derivedName(a[SERVICE])))
        );
      case 'image':
        // pull: the id is the reference; tag: the name is the new reference.
        return this.namedImage(event.action === 'pull' ? event.id : a.name);
      case 'volume':
        return this.names.volumes.has(event.id) || this.derivedName(event.id);
      case 'network':
        return (
          this.names.networks.has(name) ||
          this.derivedName(name) ||
          (this.names.swarm && SWARM_NETWORKS.has(name))
        );
      case 'service':
        return this.names.services.has(name) || this.derivedName(name);
      case 'secret':
        return this.names.secrets.has(name) || this.derivedName(name);
      case 'config':
        return this.names.configs.has(name) || this.derivedName(name);
      default:
        return false;
    }
  }
}
