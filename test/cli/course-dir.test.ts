/**
 * One course for every command: with DOCKER_LAB_COURSE_DIR set, `list`, `images` and `verify`
 * all work on that course, not on the bundled one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';

const COURSE = resolve('fixtures/lessons/tui');
const empty = mkdtempSync(join(tmpdir(), 'docker-lab-empty-course-'));
after(() => rmSync(empty, { recursive: true, force: true }));
before(() => requireDaemon());

test('list shows the lessons of DOCKER_LAB_COURSE_DIR', async () => {
  const run = await runCli(['list', '--lang', 'en'], {
    DOCKER_LAB_COURSE_DIR: COURSE,
    DOCKER_LAB_STATE_DIR: empty,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /tui-drive/);
  assert.doesNotMatch(run.stdout, /first-run/);
});

test('images lists the images and lessons of DOCKER_LAB_COURSE_DIR, not the bundled course', async () => {
  const run = await runCli(['images', '--json'], { DOCKER_LAB_COURSE_DIR: COURSE });
  assert.equal(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as { ref: string; lessons: string[] }[];
  assert.deepEqual(
    rows.map((row) => [row.ref, row.lessons]),
    [['docker-lab-test/busybox:latest', ['tui-drive']]],
  );
});

test('verify of the course is the course of DOCKER_LAB_COURSE_DIR', async () => {
  const run = await runCli(['verify'], { DOCKER_LAB_COURSE_DIR: empty });
  assert.equal(run.code, 2);
  assert.match(run.stderr, new RegExp(`^docker-lab: ${empty} holds no lesson files`));
});
