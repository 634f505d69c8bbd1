import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { startDind } from '../helpers/dind.js';
import { daemonListing } from '../helpers/listing.js';

/**
 * The course, proven: every lesson in both languages verifies against this daemon with the
 * offline stand-ins (.ci/run builds them first), soundness included, and the daemon is left
 * exactly as it was. Lessons whose image nothing can stand in for are skipped with the reason.
 */
test('docker-lab verify lessons/ passes for the whole course and leaves the daemon as it was', async () => {
  await requireDaemon();
  const listed = daemonListing();
  const run = await runCli(['verify', '--reporter', 'json', 'lessons'], {}, 60 * 60_000);
  const report = JSON.parse(run.stdout) as {
    summary: { passed: number; failed: number; skipped: number };
    lessons: { id: string; lang: string; status: string; reason?: string; durationMs: number }[];
  };
  const failed = report.lessons.filter((l) => l.status === 'failed');
  assert.deepEqual(
    failed.map((l) => `${l.lang}/${l.id}: ${l.reason ?? 'a step failed'}`),
    [],
    `failing lessons (progress below):\n${run.stderr.slice(-20_000)}`,
  );
  assert.equal(run.code, 0);
  for (const skipped of report.lessons.filter((l) => l.status === 'skipped')) {
    assert.equal(skipped.id, 'portainer', 'only the online-only lesson may be skipped');
    assert.match(skipped.reason ?? '', /no offline stand-in/);
  }
  assert.ok(report.summary.passed >= 28, `${report.summary.passed} lessons passed`);
  const minutes = report.lessons.reduce((ms, l) => ms + l.durationMs, 0) / 60_000;
  console.log(`course verified in ${minutes.toFixed(1)} min: ${JSON.stringify(report.summary)}`);
  assert.deepEqual(daemonListing(), listed);
});

/**
 * The same course on a daemon that shares no folder and no loopback with the runner: a fresh
 * Docker-in-Docker reached over tcp, as CI services are. Its published ports and bind-mounted
 * folders are bridged by docker-lab (daemon-bridge.ts); it must end with the listing it began.
 * In the same file as the test above, so the two never publish the same ports at once.
 */
test('on a fresh Docker-in-Docker over tcp, sharing nothing, the course passes and the daemon ends as it began', async (t) => {
  await requireDaemon();
  const dind = await startDind();
  t.after(() => dind.remove());
  const images = [
    ...new Set(
      readdirSync('lessons', { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.md'))
        .flatMap((file) => {
          const line = /^images: \[(.*)\]$/m.exec(readFileSync(join('lessons', file), 'utf8'));
          return (line?.[1] ?? '').split(',').map((image) => image.trim());
        })
        .filter(Boolean)
        .map((image) => (image.includes(':') ? image : `${image}:latest`))
        // The helper docker-lab keeps on a daemon that shares nothing with it.
        .concat('busybox:latest'),
    ),
  ].filter((image) => {
    try {
      execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
      return true;
    } catch {
      return false; // online-only (portainer): skipped there as here
    }
  });
  execFileSync('sh', ['-c', `docker save ${images.join(' ')} | docker load -q`], {
    env: { ...process.env, DOCKER_HOST: dind.dockerHost },
    stdio: 'ignore',
    timeout: 10 * 60_000,
  });
  const inner = { ...process.env, DOCKER_HOST: dind.dockerHost };
  const listed = daemonListing(inner);
  const outer = daemonListing();
  const run = await runCli(
    ['verify', '--reporter', 'json', 'lessons'],
    { DOCKER_HOST: dind.dockerHost },
    60 * 60_000,
  );
  const report = JSON.parse(run.stdout) as {
    summary: { passed: number; failed: number; skipped: number };
    lessons: { id: string; lang: string; status: string; reason?: string; durationMs: number }[];
  };
  assert.deepEqual(
    report.lessons
      .filter((l) => l.status === 'failed')
      .map((l) => `${l.lang}/${l.id}: ${l.reason ?? 'a step failed'}`),
    [],
    `failing lessons on DinD (progress below):\n${run.stderr.slice(-20_000)}`,
  );
  assert.ok(report.summary.passed >= 28, `${report.summary.passed} lessons passed`);
  const minutes = report.lessons.reduce((ms, l) => ms + l.durationMs, 0) / 60_000;
  console.log(
    `course verified on DinD over tcp in ${minutes.toFixed(1)} min: ${JSON.stringify(report.summary)}`,
  );
  assert.deepEqual(daemonListing(inner), listed, 'the inner daemon ends as it began');
  assert.deepEqual(daemonListing(), outer, 'the outer daemon was not touched');
  const left = execFileSync(
    'docker',
    ['exec', dind.container, 'sh', '-c', 'ls -d /tmp/docker-lab-* 2>/dev/null || true'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(left.trim(), '', "no copy of a working directory is left on the daemon's host");
});
