import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { requireDaemon } from './helpers/daemon.js';
import { daemonListing } from './helpers/listing.js';

const DIR = 'fixtures/lessons/conversions';

interface Report {
  summary: { passed: number; failed: number; skipped: number };
  lessons: { id: string; status: string }[];
}

/**
 * Three public hands-on lessons of other projects, converted (a beginner busybox chapter, a
 * bridge-network scenario, a getting-started build lab). They need what issue 15 added: checks
 * scoped to what a step created, `tty`/`openStdin`, combined output with regex flags, `lines`
 * and `trim`, a captured address used in later commands and checks, image file and size checks,
 * an output check that re-runs, a health that recovers through `unhealthy`, `restartCount`, and
 * near misses. They lint clean and verify on the real daemon, even when the learner already has
 * unnamed busybox containers of their own, which survive untouched.
 */
test('the converted public lessons lint clean and verify, beside a learner’s own busybox containers', async () => {
  await requireDaemon();
  const lint = await runCli(['lint', DIR]);
  assert.equal(lint.code, 0, lint.stdout + lint.stderr);

  // The learner ran busybox before, twice: `ancestor: busybox` alone would see these.
  const own = [1, 2].map(() =>
    execFileSync('docker', ['create', 'busybox:latest', 'true'], { encoding: 'utf8' }).trim(),
  );
  try {
    const listed = daemonListing();
    const run = await runCli(['verify', '--reporter', 'json', DIR], {}, 20 * 60_000);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(
      report.lessons.map((l) => `${l.id} ${l.status}`),
      ['busybox-basics passed', 'bridge-networking passed', 'getting-started passed'],
      run.stderr,
    );
    assert.equal(run.code, 0);
    assert.deepEqual(daemonListing(), listed, 'the daemon ends as it began, the learner’s too');
  } finally {
    execFileSync('docker', ['rm', '-f', ...own], { stdio: 'ignore' });
  }
});
