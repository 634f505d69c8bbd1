/**
 * Offline test images. No registry is reachable here, so test images are built `FROM scratch`
 * with Debian's static busybox copied in. Built once per daemon and reused: a build is skipped
 * when the tag already exists with our label.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const BUSYBOX_IMAGE = 'docker-lab-test/busybox:latest';
export const TEST_LABEL = 'docker-lab.test';
const BUSYBOX_BINARY = '/bin/busybox';

const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
LABEL ${TEST_LABEL}=true
CMD ["/bin/sh"]
`;

let built: Promise<string> | undefined;

async function hasImage(tag: string): Promise<boolean> {
  try {
    const { stdout } = await run(
      'docker',
      ['image', 'inspect', '--format', `{{index .Config.Labels "${TEST_LABEL}"}}`, tag],
      { timeout: 15_000 },
    );
    return stdout.trim() === 'true';
  } catch {
    return false;
  }
}

async function build(tag: string): Promise<string> {
  if (await hasImage(tag)) return tag;
  const context = await mkdtemp(join(tmpdir(), 'docker-lab-busybox-'));
  try {
    await copyFile(BUSYBOX_BINARY, join(context, 'busybox'));
    await writeFile(join(context, 'Dockerfile'), DOCKERFILE);
    // The legacy builder is what this machine's CLI uses (no buildx); DOCKER_BUILDKIT=0 keeps
    // the behaviour the same where buildx happens to be installed.
    await run('docker', ['build', '-q', '-t', tag, context], {
      timeout: 120_000,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
  } catch (error) {
    // Two test files may race to build: the loser finds the winner's image.
    if (!(await hasImage(tag))) throw error;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return tag;
}

/** Builds (once) and returns the tag of a tiny busybox image: `sh`, `sleep`, `echo`, ... */
export function ensureBusyboxImage(): Promise<string> {
  built ??= build(BUSYBOX_IMAGE);
  return built;
}
