/**
 * `docker-lab verify` on the fixture lesson that uses the container and image fields made to
 * match Docker: a health check that recovers from unhealthy, a restart policy's restartCount,
 * tty/openStdin, a file inside an image and a multi-stage build compared by size. Run as users
 * do, through the built CLI; the daemon ends as it began (no image-file probe, no build stage
 * left behind).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';

const LESSON = 'fixtures/lessons/verify/container-image.md';

/** `docker inspect` of ids, one formatted line each (gone ones left out). */
function inspect(ids: string[], format: string): string[] {
  if (ids.length === 0) return [];
  try {
    return execFileSync('docker', ['inspect', '--format', format, ...ids], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch (error) {
    return String((error as { stdout?: unknown }).stdout ?? '')
      .split('\n')
      .filter(Boolean);
  }
}

/**
 * What appeared on the shared daemon since `before` and is this lesson's: its containers (dl-cc-
 * names, image-file probes) and images (its tags, or its build stage, left dangling, recognised
 * by the RUN that made it). Others' objects are not looked at, whatever they are.
 */
function leftByLesson(before: Record<string, string[]>): string[] {
  const now = daemonListing();
  const added = (kind: string) => now[kind]!.filter((id) => !before[kind]!.includes(id));
  const containers = inspect(
    added('containers'),
    '{{.Name}}{{if index .Config.Labels "org.docker-lab.image-file"}} probe{{end}}',
  ).filter((line) => line.startsWith('/dl-cc-') || line.endsWith(' probe'));
  const images = inspect(
    added('images'),
    '{{.Id}} {{json .RepoTags}} {{json .ContainerConfig.Cmd}}',
  ).filter((line) => line.includes('dl-cc-app') || line.includes('/build/cache.bin'));
  return [...containers, ...images];
}

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
});

test('the lesson passes verify: every check fails before its step and passes after', async () => {
  const listed = daemonListing();
  const run = await runCli(['verify', LESSON]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  for (const step of ['warm-up', 'restarts', 'tty', 'multi-stage']) {
    assert.match(run.stdout, new RegExp(`^ {2}PASS ${step}: `, 'm'));
  }
  assert.match(run.stdout, /^1 passed, 0 failed$/m);
  assert.deepEqual(leftByLesson(listed), []);
});
