import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
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
