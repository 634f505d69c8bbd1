/**
 * `network`: a network by name. `containers` lists every container connected to it, stopped
 * ones included (`docker network connect` works on a stopped container too), which the
 * network's own inspect leaves out.
 */
import type Dockerode from 'dockerode';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { statusOf } from '../../docker/engine-error.js';
import { callSignal, compareFields, containerNames, existenceObservation } from './support.js';

type NetworkSpec = CheckSpec<'network'>;

function subject(spec: NetworkSpec, lang: Lang): string {
  return messages(lang).subject.network(spec.name);
}

async function inspect(
  ctx: CheckContext,
  name: string,
): Promise<Dockerode.NetworkInspectInfo | undefined> {
  try {
    const network = ctx.docker.getNetwork(name);
    // @types/dockerode omits the options argument dockerode accepts.
    const inspect = network.inspect as unknown as (
      opts: object,
    ) => Promise<Dockerode.NetworkInspectInfo>;
    const info = await inspect.call(network, { abortSignal: callSignal(ctx) });
    // The Engine also resolves an id prefix: "fe" could find some other network whose id
    // starts with fe. Only the name (or the full id) counts.
    return info.Name === name || info.Id === name ? info : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

async function evaluate(spec: NetworkSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  const info = await inspect(ctx, spec.name);
  const settled = existenceObservation(spec, info !== undefined, base.subject, ctx.lang, () =>
    messages(ctx.lang).fix.networkMissing(spec.name),
  );
  if (settled || !info) return settled!;

  const actual: Record<string, unknown> = {
    driver: info.Driver,
    internal: info.Internal,
    subnet: info.IPAM?.Config?.[0]?.Subnet ?? null,
  };
  if (spec.containers !== undefined) {
    const containers = await ctx.docker.listContainers({
      all: true,
      // By name: a container that never ran has no NetworkID yet, and the id filter misses it.
      filters: { network: [info.Name] },
      abortSignal: callSignal(ctx),
    });
    actual.containers = containerNames(
      containers
        .filter((c) => Object.keys(c.NetworkSettings?.Networks ?? {}).includes(info.Name))
        .map((c) => c.Names),
    );
  }
  const mismatches = compareFields(
    spec,
    actual,
    ['driver', 'containers', 'internal', 'subnet'],
    ctx.lang,
  );
  const observation: Observation = {
    ...base,
    pass: mismatches.length === 0,
    mismatches,
    observed: { id: info.Id, ...actual },
  };
  if (mismatches.some((m) => m.field === 'containers')) {
    observation.fix = messages(ctx.lang).fix.networkAttach(spec.name);
  }
  return observation;
}

export const networkKind: CheckKindStrategy<'network'> = { kind: 'network', subject, evaluate };
