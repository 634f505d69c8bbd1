/**
 * `volume`: a named volume. `usedBy` lists the containers (any state) that mount it, since a
 * stopped container still holds its volume.
 */
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { statusOf } from '../../docker/engine-error.js';
import { callSignal, compareFields, containerNames, existenceObservation } from './support.js';

type VolumeSpec = CheckSpec<'volume'>;

function subject(spec: VolumeSpec, lang: Lang): string {
  return messages(lang).subject.volume(spec.name);
}

async function evaluate(spec: VolumeSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  let info;
  try {
    info = await ctx.docker.getVolume(spec.name).inspect({ abortSignal: callSignal(ctx) });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const settled = existenceObservation(spec, info !== undefined, base.subject, ctx.lang, () =>
    messages(ctx.lang).fix.volumeMissing(spec.name),
  );
  if (settled || !info) return settled!;

  const actual: Record<string, unknown> = { driver: info.Driver, labels: info.Labels ?? {} };
  if (spec.usedBy !== undefined) {
    // The `volume` filter also matches mount destinations; keep only mounts of this volume.
    const containers = await ctx.docker.listContainers({
      all: true,
      filters: { volume: [spec.name] },
      abortSignal: callSignal(ctx),
    });
    actual.usedBy = containerNames(
      containers
        .filter((c) => c.Mounts.some((m) => m.Type === 'volume' && m.Name === spec.name))
        .map((c) => c.Names),
    );
  }
  const mismatches = compareFields(spec, actual, ['driver', 'labels', 'usedBy'], ctx.lang);
  const observation: Observation = {
    ...base,
    pass: mismatches.length === 0,
    mismatches,
    observed: { id: info.Name, mountpoint: info.Mountpoint, ...actual },
  };
  if (mismatches.some((m) => m.field === 'usedBy')) {
    observation.fix = messages(ctx.lang).fix.volumeUnused(spec.name);
  }
  return observation;
}

export const volumeKind: CheckKindStrategy<'volume'> = { kind: 'volume', subject, evaluate };
