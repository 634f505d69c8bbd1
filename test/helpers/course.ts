/**
 * The course on a daemon that has never seen it: its images copied in from this machine's
 * daemon (no registry is reachable), then `verify` in both languages, then the daemon's listing
 * compared with its start. Shared by the course tests for each kind of daemon.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliRun } from './cli.js';

export interface CourseReport {
  summary: { passed: number; failed: number; skipped: number };
  lessons: { id: string; lang: string; status: string; reason?: string; durationMs: number }[];
}

/**
 * The images the course declares that this machine's daemon has, and busybox, the helper
 * docker-lab keeps on a daemon that shares nothing with it. Online-only ones (portainer) are
 * missing here as they will be there: verify skips their lesson with the reason.
 */
export function courseImages(): string[] {
  const declared = readdirSync('lessons', { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .flatMap((file) => {
      const line = /^images: \[(.*)\]$/m.exec(readFileSync(join('lessons', file), 'utf8'));
      return (line?.[1] ?? '').split(',').map((image) => image.trim());
    })
    .filter(Boolean)
    .map((image) => (image.includes(':') ? image : `${image}:latest`))
    .concat('busybox:latest');
  return [...new Set(declared)].filter((image) => {
    try {
      execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

/** Copies the course's images from this machine's daemon into the one `env` names. */
export function seedCourseImages(env: Record<string, string>): void {
  const images = courseImages();
  const load = Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  execFileSync('sh', ['-c', `docker save ${images.join(' ')} | env ${load} docker load -q`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 10 * 60_000,
  });
}

/** Asserts that the course passed (only the online-only lesson skipped), and says how long. */
export function assertCoursePassed(run: CliRun, where: string): CourseReport {
  let report: CourseReport;
  try {
    report = JSON.parse(run.stdout) as CourseReport;
  } catch {
    assert.fail(
      `verify ${where} printed no report (exit ${run.code}):\n${run.stderr.slice(-20_000)}`,
    );
  }
  assert.deepEqual(
    report.lessons
      .filter((l) => l.status === 'failed')
      .map((l) => `${l.lang}/${l.id}: ${l.reason ?? 'a step failed'}`),
    [],
    `failing lessons ${where} (progress below):\n${run.stderr.slice(-20_000)}`,
  );
  assert.equal(run.code, 0, run.stderr.slice(-5_000));
  for (const skipped of report.lessons.filter((l) => l.status === 'skipped')) {
    // A multi-node lesson runs only in a sandbox: a daemon without the sandbox image (a fresh
    // DinD) skips it, saying how to build the image.
    if (skipped.id === 'cluster') {
      assert.match(skipped.reason ?? '', /only in a sandbox.*build-sandbox/);
      continue;
    }
    assert.equal(skipped.id, 'portainer', 'only the online-only lesson may be skipped');
    assert.match(skipped.reason ?? '', /no offline stand-in/);
  }
  assert.ok(report.summary.passed >= 28, `${report.summary.passed} lessons passed`);
  const minutes = report.lessons.reduce((ms, l) => ms + l.durationMs, 0) / 60_000;
  console.log(
    `course verified ${where} in ${minutes.toFixed(1)} min: ${JSON.stringify(report.summary)}`,
  );
  return report;
}
