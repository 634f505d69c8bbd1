/**
 * One course for every command: with DOCKER_LAB_COURSE_DIR set, `list`, `images` and `verify`
 * all work on that course, not on the bundled one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
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

/**
 * A course being written: one lesson in both languages, one only in English whose image no
 * daemon has. Every command shows the same lessons and agrees on which images are present.
 */
describe('a course with an untranslated lesson and a missing image', () => {
  const TWINS = resolve('fixtures/lessons/course-twins');
  const env = () => ({ DOCKER_LAB_COURSE_DIR: TWINS, DOCKER_LAB_STATE_DIR: empty });
  const MISSING = 'docker-lab-test/never-built:1';

  test('list in zh-CN shows the twin in Chinese and the untranslated lesson in English', async () => {
    const run = await runCli(['list', '--lang', 'zh-CN', '--images', '--json'], env());
    assert.equal(run.code, 0, run.stderr);
    const { lessons } = JSON.parse(run.stdout) as {
      lessons: { id: string; lang: string; missingImages: string[] }[];
    };
    assert.deepEqual(
      lessons.map((l) => [l.id, l.lang, l.missingImages]),
      [
        ['twin-alpha', 'zh-CN', []],
        ['untranslated-beta', 'en', [MISSING]],
      ],
    );
  });

  test('the TUI offers the same two lessons, marked as list marks them', async () => {
    // Piped, the TUI is its plain view: the list, then "q" quits.
    const run = await runCli(['--lang', 'zh-CN'], env(), 60_000, 'q\n');
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.split('\n').filter((line) => /^\s*\d+\. /.test(line));
    assert.deepEqual(rows, [' 1. 甲，两种语言都有', ' 2. Beta, in English only（英文）  ! 缺镜像']);
  });

  test('images says the same image is missing and the other present', async () => {
    const run = await runCli(['images', '--json'], env());
    assert.equal(run.code, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as { ref: string; present: boolean; lessons: string[] }[];
    assert.deepEqual(
      rows.map((row) => [row.ref, row.present, row.lessons]),
      [
        ['docker-lab-test/busybox:latest', true, ['twin-alpha']],
        [MISSING, false, ['untranslated-beta']],
      ],
    );
  });

  test('verify runs every lesson file and skips the one whose image is missing, naming it; --require-images fails it', async () => {
    const run = await runCli(['verify', '--reporter', 'json'], env());
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('\n{') + 1)) as {
      lessons: { id: string; lang: string; status: string; reason?: string }[];
    };
    assert.deepEqual(
      report.lessons.map((l) => [l.id, l.lang, l.status]),
      [
        ['twin-alpha', 'en', 'passed'],
        ['twin-alpha', 'zh-CN', 'passed'],
        ['untranslated-beta', 'en', 'skipped'],
      ],
    );
    assert.ok(report.lessons[2]?.reason?.startsWith(`image not on the daemon: ${MISSING}`));
    const required = await runCli(['verify', '--require-images'], env());
    assert.equal(required.code, 1, required.stderr);
    assert.ok(
      required.stdout.includes(`image not on the daemon (--require-images): ${MISSING}`),
      required.stdout,
    );
  });
});
