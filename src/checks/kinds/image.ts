/**
 * `image`: an image by reference. One inspect answers everything but `history`, which costs a
 * second call and is read only when the spec asks for it.
 */
import type Dockerode from 'dockerode';
import { statusOf } from '../../docker/engine-error.js';
import { describeMatcher } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { callSignal, compareFields } from './support.js';

type ImageSpec = CheckSpec<'image'>;

const FIELDS = [
  'entrypoint',
  'cmd',
  'env',
  'exposedPorts',
  'labels',
  'workdir',
  'user',
  'layers',
  'history',
  'size',
  'architecture',
] as const;

function subject(spec: ImageSpec, lang: Lang): string {
  return messages(lang).subject.image(spec.name);
}

async function inspect(
  ctx: CheckContext,
  name: string,
): Promise<Dockerode.ImageInspectInfo | undefined> {
  try {
    // dockerode's types omit the abort signal its inspect accepts.
    const options = { abortSignal: callSignal(ctx) } as Dockerode.ImageInspectOptions;
    return await ctx.docker.getImage(name).inspect(options);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The `created by` lines, newest first as `docker history` lists them. Through the modem
 * because dockerode's history() takes no abort signal.
 */
function history(ctx: CheckContext, id: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    ctx.docker.modem.dial(
      {
        path: `/images/${id}/history`,
        method: 'GET',
        abortSignal: callSignal(ctx),
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      } as Parameters<typeof ctx.docker.modem.dial>[0],
      (error, data) => {
        if (error) reject(error);
        else resolve(((data ?? []) as { CreatedBy?: string }[]).map((h) => h.CreatedBy ?? ''));
      },
    );
  });
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') return [value];
  return [];
}

async function evaluate(spec: ImageSpec, ctx: CheckContext): Promise<Observation> {
  const m = messages(ctx.lang);
  const base = { subject: subject(spec, ctx.lang) };
  const info = await inspect(ctx, spec.name);
  const others = FIELDS.some((f) => spec[f] !== undefined);
  const wanted = spec.exists ?? true;

  if (!info || spec.exists === false) {
    const exists = info !== undefined;
    // Without the image only `exists: false` can hold; expectations about it need it to exist.
    const pass = exists === wanted && !(others && !exists);
    return {
      ...base,
      pass,
      mismatches: pass
        ? []
        : [
            {
              field: 'exists',
              expected: describeMatcher(!exists, ctx.lang),
              actual: exists,
              matcher: !exists,
            },
          ],
      ...(pass
        ? {}
        : { fix: exists ? m.fix.imageRemove(spec.name) : m.fix.imageMissing(spec.name) }),
    };
  }

  const config = (info.Config ?? {}) as Partial<Dockerode.ImageInspectInfo['Config']>;
  const actual = {
    entrypoint: list(config.Entrypoint),
    cmd: list(config.Cmd),
    env: config.Env ?? [],
    exposedPorts: Object.keys(config.ExposedPorts ?? {}).sort(),
    labels: config.Labels ?? {},
    workdir: config.WorkingDir ?? '',
    user: config.User ?? '',
    layers: info.RootFS?.Layers?.length ?? 0,
    history: spec.history !== undefined ? await history(ctx, info.Id) : undefined,
    size: info.Size,
    architecture: info.Architecture,
  };
  const mismatches = compareFields(spec, actual, FIELDS, ctx.lang);
  const pass = mismatches.length === 0;
  return {
    ...base,
    pass,
    mismatches,
    observed: { id: info.Id, ...actual },
    ...(pass ? {} : { fix: m.fix.imageRebuild(spec.name) }),
  };
}

export const imageKind: CheckKindStrategy<'image'> = { kind: 'image', subject, evaluate };
