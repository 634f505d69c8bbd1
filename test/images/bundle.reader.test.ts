/**
 * The bundle reader on damaged input, as a property: whatever a copy does to a bundle (cut it
 * anywhere, change any byte, hand over something else entirely), `verifyBundle` either accepts
 * a bundle whose every entry still matches its manifest or refuses it with a sentence for
 * people (a DockerLabError naming the file) — never another exception, never a hang.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import tar from 'tar-stream';
import { DockerLabError } from '../../src/errors.js';
import { MANIFEST_NAME, verifyBundle } from '../../src/images/bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'docker-lab-bundle-prop-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small bundle of the real shape: a docker save archive, then the docker-lab manifest. */
async function makeBundle(): Promise<Buffer> {
  const files: [string, Buffer][] = [
    [
      'manifest.json',
      Buffer.from(
        JSON.stringify([
          { Config: 'c.json', RepoTags: ['hello-world:latest'], Layers: ['l/layer.tar'] },
        ]),
      ),
    ],
    ['c.json', Buffer.from('{"config":{}}')],
    ['l/layer.tar', Buffer.from('x'.repeat(1500))],
  ];
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [name, content] of files) pack.entry({ name, size: content.length }, content);
  const manifest = {
    kind: 'docker-lab-bundle',
    format: 1,
    created: '2026-12-06T00:00:00Z',
    arch: 'amd64',
    images: [{ ref: 'hello-world:latest', id: 'sha256:1', size: 1500 }],
    entries: files.map(([name, content]) => ({
      name,
      type: 'file',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    })),
  };
  pack.entry({ name: MANIFEST_NAME }, JSON.stringify(manifest));
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

let counter = 0;
/** The verdict on these bytes: 'accepted', or the refusal's message. Anything else fails. */
async function verdict(bytes: Buffer): Promise<string> {
  const file = join(dir, `b${counter++}.tar`);
  writeFileSync(file, bytes);
  try {
    await verifyBundle(file);
    return 'accepted';
  } catch (error) {
    assert.ok(error instanceof DockerLabError, `not a sentence for people: ${String(error)}`);
    assert.ok(
      error.message.startsWith(`${basename(file)}: `),
      `the refusal names the file: ${error.message}`,
    );
    return error.message;
  } finally {
    rmSync(file, { force: true });
  }
}

describe('the bundle reader, on whatever a copy does to a bundle', () => {
  test('the intact bundle is accepted, plain and gzipped', async () => {
    const bundle = await makeBundle();
    assert.equal(await verdict(bundle), 'accepted');
    assert.equal(await verdict(gzipSync(bundle)), 'accepted');
  });

  test('property: cut anywhere, it is refused with a sentence (never accepted)', async () => {
    const bundle = await makeBundle();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bundle.length - 1025 }),
        fc.boolean(),
        async (at, gz) => {
          // The last 1024 bytes are the archive's zero blocks: cutting them loses nothing. A
          // gzipped bundle is cut at the same fraction of its length.
          const gzipped = gzipSync(bundle);
          const text = await verdict(
            gz
              ? gzipped.subarray(0, Math.floor((at / bundle.length) * gzipped.length))
              : bundle.subarray(0, at),
          );
          assert.notEqual(text, 'accepted');
        },
      ),
      { numRuns: 150 },
    );
  });

  test('property: any byte changed is refused with a sentence, or changed nothing that counts', async () => {
    const bundle = await makeBundle();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bundle.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const changed = Buffer.from(bundle);
          changed[at] = changed[at]! ^ xor;
          const text = await verdict(changed);
          if (text === 'accepted') {
            // Only bytes outside every entry's content and name may change unnoticed
            // (header padding, zero blocks): the manifest's hashes still match.
            const contentChanged =
              bundle.indexOf('x'.repeat(1500)) <= at &&
              at < bundle.indexOf('x'.repeat(1500)) + 1500;
            assert.equal(contentChanged, false, `a changed layer byte at ${at} was accepted`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('property: arbitrary bytes are refused with a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        assert.notEqual(await verdict(Buffer.from(bytes)), 'accepted');
      }),
      { numRuns: 150 },
    );
  });
});
