/**
 * `service`: a swarm service. `replicas` is what the spec asks for, `running` how many of its
 * tasks run now (what `docker service ls` shows as 2/3). A daemon that is not a swarm manager
 * has no services: the check sees none, and the fix says to init the swarm.
 */
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { statusOf } from '../../docker/engine-error.js';
import { callSignal, compareFields, existenceObservation } from './support.js';

type ServiceSpec = CheckSpec<'service'>;

/** The parts of GET /services/{id} the check reads. */
export interface ServiceInfo {
  ID: string;
  Spec: {
    Name: string;
    Mode?: {
      Replicated?: { Replicas?: number };
      Global?: object;
      ReplicatedJob?: object;
      GlobalJob?: object;
    };
    TaskTemplate?: { ContainerSpec?: { Image?: string } };
    EndpointSpec?: { Ports?: PortConfig[] };
  };
  Endpoint?: { Ports?: PortConfig[] };
}

interface PortConfig {
  Protocol?: string;
  TargetPort?: number;
  PublishedPort?: number;
}

/** The parts of GET /tasks the check reads. */
export interface TaskInfo {
  DesiredState?: string;
  Status?: { State?: string };
}

function subject(spec: ServiceSpec, lang: Lang): string {
  return messages(lang).subject.service(spec.name);
}

export function serviceMode(info: ServiceInfo): string {
  const mode = info.Spec.Mode ?? {};
  if (mode.Global) return 'global';
  if (mode.ReplicatedJob) return 'replicated-job';
  if (mode.GlobalJob) return 'global-job';
  return 'replicated';
}

/** The service's state as the check's fields name it. Pure, over the Engine's answers. */
export function serviceFacts(info: ServiceInfo, tasks: TaskInfo[]): Record<string, unknown> {
  // Swarm pins the image to a digest (`nginx:latest@sha256:...`); people name it by tag.
  const image = info.Spec.TaskTemplate?.ContainerSpec?.Image?.replace(/@sha256:[0-9a-f]+$/, '');
  const ports = info.Endpoint?.Ports ?? info.Spec.EndpointSpec?.Ports ?? [];
  return {
    replicas: info.Spec.Mode?.Replicated?.Replicas ?? null,
    running: tasks.filter((t) => t.DesiredState === 'running' && t.Status?.State === 'running')
      .length,
    image: image ?? null,
    mode: serviceMode(info),
    ports: ports.map(
      (p) => `${p.PublishedPort ?? ''}->${p.TargetPort ?? ''}/${p.Protocol ?? 'tcp'}`,
    ),
  };
}

/** The service, undefined when there is none by that name; `swarm` false when no swarm runs. */
async function inspect(
  ctx: CheckContext,
  name: string,
): Promise<{ info?: ServiceInfo; swarm: boolean }> {
  try {
    // The Engine's JSON, untyped by @types/dockerode: the parts read are ServiceInfo.
    const info: ServiceInfo = await ctx.docker
      .getService(name)
      .inspect({ abortSignal: callSignal(ctx) });
    // The Engine also resolves an id prefix; only the name (or the full id) counts.
    return { info: info.Spec.Name === name || info.ID === name ? info : undefined, swarm: true };
  } catch (error) {
    if (statusOf(error) === 404) return { swarm: true };
    // 503: "This node is not a swarm manager."
    if (statusOf(error) === 503) return { swarm: false };
    throw error;
  }
}

async function evaluate(spec: ServiceSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  const { info, swarm } = await inspect(ctx, spec.name);
  const settled = existenceObservation(spec, info !== undefined, base.subject, ctx.lang, () =>
    swarm
      ? messages(ctx.lang).fix.serviceMissing(spec.name)
      : messages(ctx.lang).fix.swarmInactive(),
  );
  if (settled || !info) return settled!;

  let tasks: TaskInfo[] = [];
  if (spec.running !== undefined) {
    // The Engine's JSON, untyped by @types/dockerode: the parts read are TaskInfo.
    tasks = await ctx.docker.listTasks({
      filters: { service: [info.ID], 'desired-state': ['running'] },
      abortSignal: callSignal(ctx),
    });
  }
  const mismatches = compareFields(
    spec,
    serviceFacts(info, tasks),
    ['replicas', 'running', 'image', 'mode', 'ports'],
    ctx.lang,
  );
  const observation: Observation = { ...base, pass: mismatches.length === 0, mismatches };
  if (mismatches.some((m) => m.field === 'running')) {
    observation.fix = messages(ctx.lang).fix.serviceTasks(spec.name);
  }
  return observation;
}

export const serviceKind: CheckKindStrategy<'service'> = { kind: 'service', subject, evaluate };
