/**
 * `compose`: a compose project, read from the labels compose puts on its containers
 * (com.docker.compose.project / .service) through the Engine. No compose binary is run: v1
 * (python) and v2 (plugin) label containers the same way, and either may be missing.
 */
import type Dockerode from 'dockerode';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { deferredSnapshot } from './snapshot.js';
import { callSignal, compareFields, uniqueSorted } from './support.js';

type ComposeSpec = CheckSpec<'compose'>;

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
/** `docker compose run` containers: not part of the project's services. */
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';

function subject(spec: ComposeSpec, lang: Lang): string {
  return messages(lang).subject.compose(spec.project, spec.service);
}

export interface ComposeState {
  services: string[];
  running: string[];
  /** The newest container of each service (several exist with `--scale`). */
  newest: Map<string, Dockerode.ContainerInfo>;
}

/** Services of a project, from a container list filtered on its project label. */
export function composeState(containers: Dockerode.ContainerInfo[]): ComposeState {
  const services: string[] = [];
  const running: string[] = [];
  const newest = new Map<string, Dockerode.ContainerInfo>();
  for (const c of containers) {
    const service = c.Labels?.[SERVICE_LABEL];
    if (!service || c.Labels?.[ONEOFF_LABEL] === 'True') continue;
    services.push(service);
    if (c.State === 'running') running.push(service);
    const seen = newest.get(service);
    if (!seen || c.Created > seen.Created) newest.set(service, c);
  }
  return { services: uniqueSorted(services), running: uniqueSorted(running), newest };
}

async function evaluate(spec: ComposeSpec, ctx: CheckContext): Promise<Observation> {
  const containers = await ctx.docker.listContainers({
    all: true,
    filters: { label: [`${PROJECT_LABEL}=${spec.project}`] },
    abortSignal: callSignal(ctx),
  });
  const state = composeState(containers);
  const container = spec.service === undefined ? undefined : state.newest.get(spec.service);
  const actual = {
    services: state.services,
    running: state.running,
    state: container ? container.State : messages(ctx.lang).word.noServiceContainer(),
  };
  const fields =
    spec.service === undefined
      ? (['services', 'running'] as const)
      : (['services', 'running', 'state'] as const);
  const mismatches = compareFields(spec, actual, fields, ctx.lang);
  const observation: Observation = {
    subject: subject(spec, ctx.lang),
    pass: mismatches.length === 0,
    mismatches,
  };
  if (observation.pass) return observation;
  if (container) {
    observation.collectSnapshot = deferredSnapshot(ctx.docker, container.Id);
    observation.fix = messages(ctx.lang).fix.composeLogs(spec.service ?? '');
  } else {
    observation.fix = messages(ctx.lang).fix.composeUp();
  }
  return observation;
}

export const composeKind: CheckKindStrategy<'compose'> = { kind: 'compose', subject, evaluate };
