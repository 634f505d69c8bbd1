import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { assertCoursePassed, seedCourseImages } from './helpers/course.js';
import { requireDaemon } from './helpers/daemon.js';
import { ensureDindImage, startDind, type Dind } from './helpers/dind.js';
import { ensureJobImage, startJob } from './helpers/job.js';
import { daemonListing } from './helpers/listing.js';

const HOUR = 60 * 60_000;

/** Nothing of a lesson's is left on the daemon's host: no copy of a working directory. */
function assertNoWorkdirCopies(dind: Dind): void {
  const left = execFileSync(
    'docker',
    [
      'exec',
      dind.container,
      'sh',
      '-c',
      'ls -d /tmp/docker-lab-* /root/.local/state/docker-lab/work/* 2>/dev/null || true',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(left.trim(), '', "no copy of a working directory is left on the daemon's host");
}

/**
 * The course, proven on the daemons people have: every lesson in both languages verifies,
 * soundness included, and each daemon ends exactly as it began. Lessons whose image nothing can
 * stand in for (portainer) are skipped with the reason.
 *
 * Three kinds of daemon: this machine's (Engine 20.10, compose v1, the legacy builder); fresh
 * Docker-in-Docker 20.10 sandboxes over tcp with the runner here (`verify --sandbox --jobs 2`,
 * one per lesson, two side by side); a fresh Docker-in-Docker 26.1 over TLS (BuildKit) with the
 * runner in a CI job container (docker CLI 26, compose v2). The remote ones share no folder and
 * no loopback with their runner: docker-lab bridges both. The multi-node lesson runs in a
 * three-node sandbox on this machine's daemon, and is skipped on the job's DinD, which has no
 * sandbox image.
 *
 * The host's course and the job's run side by side (the job's forwarded ports are on its own
 * loopback); the sandboxes' ports are on 127.0.0.2 and .3, but they run after the host's course
 * so that the two CPUs here are not shared three ways.
 */
test('the course passes on three kinds of daemon', { concurrency: 2 }, async (t) => {
  await requireDaemon();
  // Built before any listing is taken: a new image mid-run would look like a lesson's leftover.
  ensureDindImage('trixie');
  ensureJobImage();

  const hostAndBookworm = (async () => {
    await t.test(
      'on this machine’s daemon, the course passes and the daemon is left as it was',
      async () => {
        const listed = daemonListing();
        const run = await runCli(['verify', '--reporter', 'json', 'lessons'], {}, HOUR);
        assertCoursePassed(run, 'on the host daemon');
        assert.deepEqual(daemonListing(), listed);
      },
    );

    await t.test(
      'in sandboxes (fresh Docker-in-Docker 20.10 over tcp, sharing nothing), two lessons side by side, the course passes and this machine’s daemon is left as it was',
      async () => {
        // verify --sandbox --jobs 2: each lesson in a daemon of its own, its ports on a loopback
        // address of its own; what CI uses to keep the course short.
        const listed = daemonListing();
        const run = await runCli(
          [
            'verify',
            '--sandbox',
            '--engine',
            '20.10',
            '--jobs',
            '2',
            '--reporter',
            'json',
            'lessons',
          ],
          {},
          HOUR,
        );
        assertCoursePassed(run, 'in 20.10 sandboxes, 2 jobs');
        assert.deepEqual(daemonListing(), listed, 'the outer daemon ends as it began');
      },
    );
  })();

  const trixie = t.test(
    'on a fresh Docker-in-Docker 26.1 over TLS, with the runner in a job container (CLI 26, compose v2, BuildKit), the course passes and the daemon ends as it began',
    async (s) => {
      const dind = await startDind('trixie', { tls: true });
      s.after(() => dind.remove());
      seedCourseImages(dind.env);
      const inner = { ...process.env, ...dind.env };
      const listed = daemonListing(inner);
      const job = startJob(dind);
      s.after(() => job.remove());
      const versions = execFileSync(
        'docker',
        [
          'exec',
          job.container,
          'sh',
          '-c',
          'docker version -f "{{.Client.Version}} {{.Server.Version}}"; docker compose version --short; command -v docker-compose || echo none',
        ],
        { encoding: 'utf8' },
      ).split('\n');
      assert.match(versions[0]!, /^26\.\d+\.\d+\S* 26\.\d+\.\d+/, 'CLI and Engine 26');
      assert.match(versions[1]!, /^v?2\./, 'the compose v2 plugin');
      const run = await job.dockerLab(['verify', '--reporter', 'json', 'lessons'], HOUR);
      assertCoursePassed(run, 'on DinD 26.1 over TLS from a job container');
      assert.deepEqual(daemonListing(inner), listed, 'the inner daemon ends as it began');
      assertNoWorkdirCopies(dind);
    },
  );

  await Promise.all([hostAndBookworm, trixie]);
});
