/**
 * `image`: an image by reference. One inspect answers everything but `history`, which costs a
 * second call and is read only when the spec asks for it; `file` (a file inside the image, read
 * through a container that is never started) and `smallerThan`/`sizeRatio` (another image's
 * inspect) likewise.
 */
import type Dockerode from 'dockerode';
import { statusOf } from '../../docker/engine-error.js';
import { readImageFile } from '../../docker/image-file.js';
import { describeMatcher, matches } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Mismatch, Observation } from '../types.js';
import { modeString } from './file.js';
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

/** Expectations that cost more than the image's inspect, each compared on its own. */
const EXTRA_FIELDS = ['file', 'smallerThan', 'sizeRatio'] as const;

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
  const others = [...FIELDS, ...EXTRA_FIELDS].some((f) => spec[f] !== undefined);
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
  const fixes: string[] = [];
  const file = await fileMismatches(spec, ctx);
  if (file.length > 0 && spec.file) fixes.push(m.fix.imageFile(spec.name, spec.file.path));
  const size = await sizeMismatches(spec, info.Size, ctx);
  mismatches.push(...file, ...size.mismatches);
  if (size.fix) fixes.push(size.fix);
  const pass = mismatches.length === 0;
  const fix = fixes[0] ?? m.fix.imageRebuild(spec.name);
  return {
    ...base,
    pass,
    mismatches,
    observed: { id: info.Id, ...actual },
    ...(pass ? {} : { fix }),
  };
}

/**
 * `file`: the file at an absolute path inside the image (fields `file.exists`, `file.content`,
 * `file.mode`). A directory has no content (null); its mode is compared like a file's.
 */
async function fileMismatches(spec: ImageSpec, ctx: CheckContext): Promise<Mismatch[]> {
  const want = spec.file;
  if (!want) return [];
  const found = await readImageFile(ctx.docker, spec.name, want.path, {
    signal: ctx.signal,
    content: want.content !== undefined,
  });
  const named = (mismatch: Mismatch, matcher: unknown): Mismatch => ({
    ...mismatch,
    field: `file.${mismatch.field}`,
    ...(matcher !== undefined ? { matcher: matcher as Mismatch['matcher'] } : {}),
  });
  const exists = found !== undefined;
  const wanted = want.exists ?? true;
  if (exists !== wanted || !found) {
    if (exists === wanted) return []; // absent, as `exists: false` wants
    return [
      named(
        { field: 'exists', expected: describeMatcher(wanted, ctx.lang), actual: exists },
        wanted,
      ),
    ];
  }
  const actual = {
    content: found.type === 'file' ? (found.content ?? '') : null,
    mode: modeString(found.mode),
  };
  return compareFields(want, actual, ['content', 'mode'], ctx.lang).map((mismatch) =>
    named(mismatch, want[mismatch.field as 'content' | 'mode']),
  );
}

/** The other image's size, or undefined when there is no such image. */
async function sizeOf(ctx: CheckContext, name: string): Promise<number | undefined> {
  return (await inspect(ctx, name))?.Size;
}

/**
 * `smallerThan: other` (size < other's size) and `sizeRatio: { of: other, ratio: matcher }`
 * (size / other's size, three decimals). A missing other image fails, naming it.
 */
async function sizeMismatches(
  spec: ImageSpec,
  size: number,
  ctx: CheckContext,
): Promise<{ mismatches: Mismatch[]; fix?: string }> {
  const m = messages(ctx.lang);
  const mismatches: Mismatch[] = [];
  let fix: string | undefined;
  const missing = (field: string, other: string): void => {
    mismatches.push({
      field,
      expected: m.word.anImage(other),
      actual: m.word.noSuchImage(),
      matcher: undefined,
    });
    fix ??= m.fix.imageMissing(other);
  };
  if (spec.smallerThan !== undefined) {
    const other = await sizeOf(ctx, spec.smallerThan);
    if (other === undefined) missing('smallerThan', spec.smallerThan);
    else if (!(size < other)) {
      mismatches.push({
        field: 'smallerThan',
        expected: m.word.lessThanSizeOf(spec.smallerThan, other),
        actual: size,
        matcher: { lt: other },
      });
      fix ??= m.fix.imageSize(spec.name);
    }
  }
  if (spec.sizeRatio !== undefined) {
    const { of, ratio } = spec.sizeRatio;
    const other = await sizeOf(ctx, of);
    if (other === undefined) missing('sizeRatio.of', of);
    else {
      const actual = other === 0 ? null : size / other;
      if (!matches(ratio, actual)) {
        mismatches.push({
          field: 'sizeRatio',
          expected: m.word.ratioOf(describeMatcher(ratio, ctx.lang), of),
          // Shown to four decimals; judged exactly.
          actual: actual === null ? null : Math.round(actual * 10_000) / 10_000,
          matcher: ratio,
        });
        fix ??= m.fix.imageSize(spec.name);
      }
    }
  }
  return fix === undefined ? { mismatches } : { mismatches, fix };
}

export const imageKind: CheckKindStrategy<'image'> = { kind: 'image', subject, evaluate };
