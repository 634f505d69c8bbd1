/**
 * Bundles end to end on the real daemon, with two small images of their own (never the
 * course's, which other tests use): export, remove, import restores them with the same ids;
 * a cut-off or changed bundle is refused before anything is loaded; a real image is never
 * replaced by a bundle's stand-in.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { connectFromEnv, type Engine } from '../../src/docker/client.js';
import { exportBundle, importBundle, MANIFEST_NAME } from '../../src/images/bundle.js';
import { LABEL_STANDIN_FOR } from '../../src/images/recipe.js';
import { inspectImage } from '../../src/images/status.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';

const exec = promisify(execFile);
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const A = `docker-lab-test/bundle-a-${RUN}:1`;
const B = `docker-lab-test/bundle-b-${RUN}:1`;
const PAYLOAD = `docker-lab bundle payload ${RUN}`;

let engine: Engine;
let dir: string;
const ids = new Map<string, string>();

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args, {
    timeout: 120_000,
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
  return stdout.trim();
}

async function removeImages(): Promise<void> {
  for (const ref of [A, B]) await docker('image', 'rm', ref).catch(() => undefined);
  for (const ref of [A, B])
    assert.equal(await inspectImage(engine, ref), undefined, `${ref} is gone`);
}

async function build(
  tag: string,
  dockerfile: string,
  files: Record<string, string> = {},
): Promise<void> {
  const ctx = await mkdtemp(join(dir, 'ctx-'));
  await writeFile(join(ctx, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(files)) await writeFile(join(ctx, name), text);
  await docker('build', '-q', '-t', tag, ctx);
  ids.set(tag, (await inspectImage(engine, tag))!.id);
}

before(async () => {
  await requireDaemon();
  engine = await connectFromEnv(process.env);
  dir = await mkdtemp(join(tmpdir(), 'docker-lab-bundle-'));
  const busybox = await ensureBusyboxImage();
  // A: a layer of its own on the busybox test image. B: a "stand-in", one file on scratch.
  await build(A, `FROM ${busybox}\nCOPY payload.txt /payload.txt\nLABEL docker-lab.test=true\n`, {
    'payload.txt': `${PAYLOAD}\n`,
  });
  await build(
    B,
    `FROM scratch\nCOPY note.txt /note.txt\nLABEL docker-lab.test=true ${LABEL_STANDIN_FOR}=${B}\n`,
    { 'note.txt': `stand-in ${RUN}\n` },
  );
});

after(async () => {
  for (const ref of [A, B]) await docker('image', 'rm', '-f', ref).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('export then import', () => {
  test('restores every image, with the same ids, into a daemon that has none of them', async () => {
    const file = join(dir, 'course.tar');
    const manifest = await exportBundle({ engine, refs: [A, B], file });
    assert.deepEqual(
      manifest.images.map((image) => [image.ref, image.id, image.standInFor ?? null]),
      [
        [A, ids.get(A), null],
        [B, ids.get(B), B],
      ],
    );
    await removeImages();
    const result = await importBundle({ engine, file });
    assert.deepEqual(result.loaded, [A, B]);
    for (const ref of [A, B]) assert.equal((await inspectImage(engine, ref))?.id, ids.get(ref));
  });

  test('a .tar.gz bundle is compressed and imports the same way', async () => {
    const file = join(dir, 'course.tar.gz');
    await exportBundle({ engine, refs: [A, B], file });
    const head = (await readFile(file)).subarray(0, 2);
    assert.deepEqual([...head], [0x1f, 0x8b]);
    await removeImages();
    await importBundle({ engine, file });
    for (const ref of [A, B]) assert.equal((await inspectImage(engine, ref))?.id, ids.get(ref));
  });

  test('the bundle is still a plain docker load archive', async () => {
    const file = join(dir, 'plain.tar');
    await exportBundle({ engine, refs: [A], file });
    await docker('image', 'rm', A);
    assert.match(await docker('load', '-i', file), new RegExp(`Loaded image: ${A}`));
  });

  test('exporting an image the daemon lacks says which and what to do', async () => {
    await assert.rejects(
      exportBundle({
        engine,
        refs: [A, `docker-lab-test/absent-${RUN}:1`],
        file: join(dir, 'x.tar'),
      }),
      {
        message: `Cannot export: docker-lab-test/absent-${RUN}:1 is not on this Docker daemon.\nWhat to do: run "docker-lab images pull" (or "docker-lab images build-standins") first, or leave them out with --skip-missing.`,
      },
    );
  });
});

describe('a damaged bundle is refused before anything is loaded', () => {
  let good: Buffer;
  before(async () => {
    const file = join(dir, 'good.tar');
    await exportBundle({ engine, refs: [A, B], file });
    good = await readFile(file);
  });

  test('cut off in the middle', async () => {
    const file = join(dir, 'truncated.tar');
    await writeFile(file, good);
    await truncate(file, Math.floor((await stat(file)).size / 2));
    await removeImages();
    await assert.rejects(importBundle({ engine, file }), (error: Error) => {
      assert.match(error.message, /^truncated\.tar: the file ends in the middle of its contents/);
      assert.match(error.message, /Nothing was loaded\./);
      return true;
    });
    for (const ref of [A, B]) assert.equal(await inspectImage(engine, ref), undefined);
  });

  test('cut off at the end (the manifest is lost)', async () => {
    const file = join(dir, 'no-manifest.tar');
    const at = good.lastIndexOf(Buffer.from(MANIFEST_NAME));
    await writeFile(file, good.subarray(0, at - (at % 512)));
    await assert.rejects(importBundle({ engine, file }), (error: Error) => {
      assert.match(error.message, /there is no docker-lab-bundle\.json at its end/);
      return true;
    });
    for (const ref of [A, B]) assert.equal(await inspectImage(engine, ref), undefined);
  });

  test('one byte changed inside a layer', async () => {
    const file = join(dir, 'tampered.tar');
    const copy = Buffer.from(good);
    const at = copy.indexOf(Buffer.from(PAYLOAD));
    assert.ok(at > 0, 'the payload is inside the uncompressed bundle');
    copy[at] = copy[at]! ^ 0x20;
    await writeFile(file, copy);
    await assert.rejects(importBundle({ engine, file }), (error: Error) => {
      assert.match(
        error.message,
        /^tampered\.tar: its contents do not match its manifest, so it was changed or damaged after export:\n {4}\S+\/layer\.tar has different contents/,
      );
      assert.match(error.message, /Nothing was loaded\./);
      return true;
    });
    for (const ref of [A, B]) assert.equal(await inspectImage(engine, ref), undefined);
  });

  test('a plain docker save archive is not taken for a bundle', async () => {
    const file = join(dir, 'saved.tar');
    await importBundle({ engine, file: join(dir, 'good.tar') });
    await docker('save', '-o', file, A);
    await assert.rejects(
      importBundle({ engine, file }),
      /A plain "docker save" archive is loaded with "docker load -i FILE" instead/,
    );
  });
});

describe('real images stay', () => {
  test("a bundle's stand-in does not replace the real image of the same name", async () => {
    const file = join(dir, 'standin.tar');
    await exportBundle({ engine, refs: [B], file });
    // Now B names a "real" image (no stand-in label) on this daemon.
    await docker('image', 'rm', B);
    await docker('tag', A, B);
    const result = await importBundle({ engine, file });
    assert.deepEqual(result.keptReal, [B]);
    assert.equal((await inspectImage(engine, B))?.id, ids.get(A));
    assert.equal(
      await inspectImage(engine, ids.get(B)!),
      undefined,
      "the bundle's stand-in was not left behind",
    );
  });
});
