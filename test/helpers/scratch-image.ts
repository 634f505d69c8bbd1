/**
 * A tiny test image built FROM scratch (legacy builder, no pull): one file at
 * /greeting/hello.txt with mode 0640, no CMD and no ENTRYPOINT, labelled as the tests'.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_LABEL } from './images.js';
import { uniqueName } from './kind-context.js';

const run = promisify(execFile);

export const SCRATCH_FILE = '/greeting/hello.txt';
export const SCRATCH_CONTENT = 'hello from scratch\n';

/** Builds the image under a unique tag; remove it with `removeImage`. */
export async function buildScratchImage(): Promise<string> {
  const tag = `${uniqueName('dl-cc-scratch')}:latest`;
  const context = await mkdtemp(join(tmpdir(), 'dl-cc-scratch-'));
  try {
    await writeFile(join(context, 'hello.txt'), SCRATCH_CONTENT);
    await chmod(join(context, 'hello.txt'), 0o640);
    await writeFile(
      join(context, 'Dockerfile'),
      `FROM scratch\nCOPY hello.txt ${SCRATCH_FILE}\nLABEL ${TEST_LABEL}=true\n`,
    );
    await run('docker', ['build', '-q', '-t', tag, context], {
      timeout: 120_000,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return tag;
}

export async function removeImage(tag: string): Promise<void> {
  await run('docker', ['rmi', tag], { timeout: 60_000 }).catch(() => undefined);
}
