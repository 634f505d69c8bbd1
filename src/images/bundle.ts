/**
 * Bundles: every image a course needs in one file, for classrooms without a registry.
 *
 * A bundle is the daemon's own `docker save` archive, entry by entry, with one more entry at
 * the end: docker-lab-bundle.json, listing the images and the sha256 of every entry before it.
 * So it is still a valid `docker load` archive (the daemon ignores the extra file), and
 * `docker-lab images import` can prove it whole and unchanged before it loads anything:
 * verification reads the entire file first, and loading starts only when every entry matched.
 * A name ending in .gz or .tgz is gzip-compressed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { z } from 'zod';
import { DockerLabError } from '../errors.js';
import type { Engine } from '../docker/client.js';
import { createEventSplitter, eventError } from './pull-progress.js';
import { LABEL_RECIPE_HASH, LABEL_STANDIN_FOR } from './recipe.js';
import { inspectImage } from './status.js';

export const MANIFEST_NAME = 'docker-lab-bundle.json';
export const BUNDLE_FORMAT = 1;

const EntrySchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['file', 'directory', 'symlink', 'link']),
  size: z.number().int().min(0),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  linkname: z.string().optional(),
});

const ImageSchema = z.strictObject({
  ref: z.string().min(1),
  id: z.string().min(1),
  size: z.number().int().min(0),
  /** The reference a stand-in stands in for; absent for a real image. */
  standInFor: z.string().optional(),
  recipeHash: z.string().optional(),
});

export const ManifestSchema = z.strictObject({
  kind: z.literal('docker-lab-bundle'),
  format: z.number().int().min(1),
  created: z.string(),
  /** The daemon's architecture when exported: images run only where it matches. */
  arch: z.string(),
  images: z.array(ImageSchema).min(1),
  entries: z.array(EntrySchema).min(1),
});
export type BundleManifest = z.infer<typeof ManifestSchema>;
export type BundleImage = z.infer<typeof ImageSchema>;
type BundleEntry = z.infer<typeof EntrySchema>;

const isGzipName = (file: string): boolean => /\.(gz|tgz)$/i.test(file);

function entryType(type: string | null | undefined): BundleEntry['type'] | undefined {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return undefined;
  }
}

export interface ExportOptions {
  engine: Engine;
  refs: readonly string[];
  file: string;
  signal?: AbortSignal;
  /** Called with the bytes written so far. */
  onProgress?: (bytes: number) => void;
}

/** Writes the images under `refs` to `file` (atomically: a partial file never has its name). */
export async function exportBundle(options: ExportOptions): Promise<BundleManifest> {
  const { engine } = options;
  const images: BundleImage[] = [];
  const missing: string[] = [];
  for (const ref of options.refs) {
    const image = await inspectImage(engine, ref);
    if (!image) {
      missing.push(ref);
      continue;
    }
    const standInFor = image.labels[LABEL_STANDIN_FOR];
    const recipeHash = image.labels[LABEL_RECIPE_HASH];
    images.push({
      ref,
      id: image.id,
      size: image.size,
      ...(standInFor !== undefined ? { standInFor } : {}),
      ...(standInFor !== undefined && recipeHash ? { recipeHash } : {}),
    });
  }
  if (missing.length > 0) {
    throw new DockerLabError({
      what:
        `Cannot export: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on this Docker daemon.\n` +
        'What to do: run "docker-lab images pull" (or "docker-lab images build-standins") first, ' +
        'or leave them out with --skip-missing.',
    });
  }
  // GET /images/get: the `docker save` archive of all of them at once (shared layers once).
  const save = await (
    engine.docker as unknown as { getImages(opts: object): Promise<Readable> }
  ).getImages({ names: images.map((image) => image.ref), abortSignal: options.signal });

  const partial = `${options.file}.partial-${process.pid}`;
  const extract = tar.extract();
  const pack = tar.pack();
  const entries: BundleEntry[] = [];
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      options.onProgress?.(written);
      done(null, chunk);
    },
  });
  // tar-stream's streams are streamx streams: they are async iterables and pipe(), not
  // Node streams, so they join Node's pipeline as a source and are fed by hand.
  const output = pipeline(
    [
      Readable.from(pack as unknown as AsyncIterable<Buffer>),
      ...(isGzipName(options.file) ? [createGzip({ level: 6 })] : []),
      counter,
      createWriteStream(partial),
    ],
    options.signal ? { signal: options.signal } : {},
  );
  save.on('error', (error) => extract.destroy(error));
  save.pipe(extract as unknown as Writable);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const type = entryType(header.type);
      if (!type) throw new Error(`docker save produced an entry of unexpected type ${header.type}`);
      if (type === 'file') {
        const hash = createHash('sha256');
        let size = 0;
        const sink = pack.entry({
          name: header.name,
          size: header.size ?? 0,
          mode: header.mode ?? 0o644,
          mtime: header.mtime ?? new Date(0),
          type: 'file',
        });
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          if (!sink.write(chunk)) await once(sink, 'drain');
        }
        await new Promise<void>((resolve, reject) =>
          sink.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
        entries.push({ name: header.name, type, size, sha256: hash.digest('hex') });
      } else {
        entry.resume();
        pack.entry({
          name: header.name,
          type,
          mode: header.mode ?? (type === 'directory' ? 0o755 : 0o644),
          mtime: header.mtime ?? new Date(0),
          ...(header.linkname ? { linkname: header.linkname } : {}),
        });
        entries.push({
          name: header.name,
          type,
          size: 0,
          ...(header.linkname ? { linkname: header.linkname } : {}),
        });
      }
    }
    const manifest: BundleManifest = {
      kind: 'docker-lab-bundle',
      format: BUNDLE_FORMAT,
      created: new Date().toISOString(),
      arch: engine.server.arch,
      images,
      entries,
    };
    pack.entry(
      { name: MANIFEST_NAME, mtime: new Date() },
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
    pack.finalize();
    await output;
    await rename(partial, options.file);
    return manifest;
  } catch (error) {
    pack.destroy();
    await output.catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}

/** Bundle problems, all found before anything is loaded. */
export class BundleError extends DockerLabError {
  override name = 'BundleError';
  constructor(file: string, what: string, fix: string[]) {
    super({ where: basename(file), what: `${what} Nothing was loaded.`, fix }, 1);
  }
}

async function isGzipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function openBundle(file: string): Promise<Readable> {
  // Opened (and so found) before the stream exists: a stream that fails to open emits an error
  // event nobody listens to yet.
  const gzipped = await isGzipFile(file);
  const raw = createReadStream(file);
  if (!gzipped) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

const COPY_AGAIN =
  'Copy the bundle again from the machine that made it (compare sha256sum on both sides), or export it again there.';

/**
 * Reads the whole bundle and checks every entry against the manifest at its end. Throws a
 * BundleError saying what is wrong (cut off, changed, not a bundle); returns the manifest.
 */
export async function verifyBundle(file: string, signal?: AbortSignal): Promise<BundleManifest> {
  let source: Readable;
  try {
    source = await openBundle(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DockerLabError({
        what: `There is no bundle at ${file}. Check the path, or make one on a machine that has the images with: docker-lab images export ${basename(file)}`,
      });
    if (code === 'EISDIR')
      throw new DockerLabError({
        what: `${file} is a folder, not a bundle: name the .tar file inside it.`,
      });
    throw new DockerLabError({ what: `cannot read ${file}: ${(error as Error).message}` });
  }
  const extract = tar.extract();
  const seen: BundleEntry[] = [];
  let manifestText: string | undefined;
  let afterManifest = false;
  let innerManifest: string | undefined;
  const onAbort = (): void => void source.destroy(signal?.reason as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  source.on('error', (error) => extract.destroy(error));
  source.pipe(extract as unknown as Writable);
  try {
    for await (const entry of extract) {
      const header = entry.header;
      if (manifestText !== undefined) afterManifest = true;
      if (header.name === MANIFEST_NAME) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        manifestText = Buffer.concat(chunks).toString('utf8');
        continue;
      }
      const type = entryType(header.type) ?? 'file';
      if (type !== 'file') {
        entry.resume();
        seen.push({
          name: header.name,
          type,
          size: 0,
          ...(header.linkname ? { linkname: header.linkname } : {}),
        });
        continue;
      }
      const hash = createHash('sha256');
      let size = 0;
      const keep = header.name === 'manifest.json';
      const kept: Buffer[] = [];
      for await (const chunk of entry) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (keep) kept.push(chunk as Buffer);
      }
      if (keep) innerManifest = Buffer.concat(kept).toString('utf8');
      seen.push({ name: header.name, type, size, sha256: hash.digest('hex') });
    }
  } catch (error) {
    source.destroy();
    if (signal?.aborted) throw error;
    const message = (error as Error).message;
    if (/unexpected end|premature close|unexpected eof|truncated/i.test(message)) {
      throw new BundleError(
        file,
        `the file ends in the middle of its contents (${seen.length} entries read): it was cut off, probably while being copied.`,
        [COPY_AGAIN],
      );
    }
    throw new BundleError(file, `this is not a readable tar archive (${message}).`, [
      'Check that you named the bundle made by "docker-lab images export".',
      COPY_AGAIN,
    ]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (manifestText === undefined) {
    throw new BundleError(
      file,
      `there is no ${MANIFEST_NAME} at its end: either it was cut off (a bundle ends with it) or it is not a docker-lab bundle.`,
      [COPY_AGAIN, 'A plain "docker save" archive is loaded with "docker load -i FILE" instead.'],
    );
  }
  if (afterManifest) {
    throw new BundleError(
      file,
      `entries follow ${MANIFEST_NAME}: something was added to the bundle after export.`,
      [COPY_AGAIN],
    );
  }
  let manifest: BundleManifest;
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(manifestText));
    if (!parsed.success)
      throw new Error(
        parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      );
    manifest = parsed.data;
  } catch (error) {
    throw new BundleError(file, `its ${MANIFEST_NAME} is damaged (${(error as Error).message}).`, [
      COPY_AGAIN,
    ]);
  }
  if (manifest.format > BUNDLE_FORMAT) {
    throw new BundleError(
      file,
      `it was made by a newer docker-lab (bundle format ${manifest.format}; this one reads ${BUNDLE_FORMAT}).`,
      ['Update docker-lab (npm install -g docker-lab@latest) and import again.'],
    );
  }
  const problems = compareEntries(manifest.entries, seen);
  if (problems.length > 0) {
    throw new BundleError(
      file,
      `its contents do not match its manifest, so it was changed or damaged after export:\n${problems
        .slice(0, 5)
        .map((line) => `    ${line}`)
        .join('\n')}${problems.length > 5 ? `\n    ... and ${problems.length - 5} more` : ''}\n`,
      [COPY_AGAIN],
    );
  }
  const tagged = new Set<string>();
  try {
    for (const item of JSON.parse(innerManifest ?? '[]') as Array<{ RepoTags?: string[] }>)
      for (const tag of item.RepoTags ?? []) tagged.add(tag);
  } catch {
    // covered by the hash: a damaged manifest.json would not have matched
  }
  const absent = manifest.images
    .filter((image) => !tagged.has(image.ref))
    .map((image) => image.ref);
  if (absent.length > 0 && innerManifest !== undefined) {
    throw new BundleError(
      file,
      `its manifest lists ${absent.join(', ')}, which the archive does not contain.`,
      [COPY_AGAIN],
    );
  }
  return manifest;
}

function compareEntries(
  expected: readonly BundleEntry[],
  actual: readonly BundleEntry[],
): string[] {
  const problems: string[] = [];
  const byName = new Map(actual.map((entry) => [entry.name, entry]));
  for (const want of expected) {
    const got = byName.get(want.name);
    if (!got) problems.push(`${want.name} is missing`);
    else if (got.type !== want.type)
      problems.push(`${want.name} is a ${got.type}, the manifest says ${want.type}`);
    else if (got.size !== want.size)
      problems.push(`${want.name} has ${got.size} bytes, the manifest says ${want.size}`);
    else if (got.sha256 !== want.sha256)
      problems.push(
        `${want.name} has different contents (sha256 ${got.sha256?.slice(0, 12)}..., the manifest says ${want.sha256?.slice(0, 12)}...)`,
      );
    else if ((got.linkname ?? '') !== (want.linkname ?? ''))
      problems.push(`${want.name} points elsewhere than the manifest says`);
  }
  const known = new Set(expected.map((entry) => entry.name));
  for (const entry of actual)
    if (!known.has(entry.name)) problems.push(`${entry.name} is not in the manifest`);
  return problems;
}

export interface ImportResult {
  manifest: BundleManifest;
  /** References now naming the bundle's images. */
  loaded: string[];
  /** References that name a real image here and stayed on it (the bundle had a stand-in). */
  keptReal: string[];
}

/**
 * Verifies the bundle completely, then loads it. A real image already here is never replaced
 * by a bundle's stand-in: its reference is put back on it after the load.
 */
export async function importBundle(options: {
  engine: Engine;
  file: string;
  signal?: AbortSignal;
  onVerified?: (manifest: BundleManifest) => void;
}): Promise<ImportResult> {
  const { engine, file } = options;
  const manifest = await verifyBundle(file, options.signal);
  options.onVerified?.(manifest);
  const keep = new Map<string, string>();
  const existed = new Set<string>();
  for (const image of manifest.images) {
    if (await inspectImage(engine, image.id)) existed.add(image.id);
    if (image.standInFor === undefined) continue;
    const present = await inspectImage(engine, image.ref);
    if (present && present.labels[LABEL_STANDIN_FOR] === undefined) keep.set(image.ref, present.id);
  }
  const body = await openBundle(file);
  const response = (await engine.docker.loadImage(
    body as never,
    {
      quiet: true,
      abortSignal: options.signal,
    } as never,
  )) as unknown as NodeJS.ReadableStream;
  let failure: string | undefined;
  await new Promise<void>((resolve, reject) => {
    const splitter = createEventSplitter((event) => {
      failure ??= eventError(event);
    });
    response.on('data', (chunk: Buffer | string) => splitter.push(String(chunk)));
    response.on('end', () => {
      splitter.end();
      resolve();
    });
    response.on('error', reject);
  });
  if (failure !== undefined) {
    throw new DockerLabError({
      what: `The Docker daemon could not load ${basename(file)}: ${failure}`,
    });
  }
  for (const [ref, id] of keep) {
    const { repository, tag } = splitTag(ref);
    await engine.call(
      (abortSignal) =>
        engine.docker
          .getImage(id)
          .tag({ repo: repository, tag, abortSignal } as never) as unknown as Promise<unknown>,
    );
  }
  const loaded: string[] = [];
  for (const image of manifest.images) {
    if (keep.has(image.ref)) continue;
    const present = await inspectImage(engine, image.ref);
    if (present?.id !== image.id) {
      throw new DockerLabError({
        what: `After loading ${basename(file)}, ${image.ref} is ${present ? `image ${present.id.slice(7, 19)}` : 'missing'} instead of ${image.id.slice(7, 19)}: the daemon did not load it as listed.`,
      });
    }
    loaded.push(image.ref);
  }
  // A stand-in the bundle brought for a reference kept on its real image is left untagged.
  for (const image of manifest.images) {
    if (!keep.has(image.ref) || existed.has(image.id)) continue;
    await engine
      .call(
        (abortSignal) =>
          engine.docker
            .getImage(image.id)
            .remove({ abortSignal } as never) as unknown as Promise<unknown>,
      )
      .catch(() => undefined);
  }
  return { manifest, loaded, keptReal: [...keep.keys()] };
}

function splitTag(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repository: ref, tag: 'latest' };
}
