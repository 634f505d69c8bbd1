import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import stringWidth from 'string-width';
import { runCli } from '../helpers/cli.js';

/**
 * `docker-lab list` and `reset`, run as the built binary against a small course of our own
 * (DOCKER_LAB_COURSE_DIR) and a progress file in a temp folder (DOCKER_LAB_STATE_DIR), so the
 * output is exact whatever the bundled course becomes.
 */
const root = mkdtempSync(join(tmpdir(), 'docker-lab-list-'));
const course = join(root, 'lessons');
const state = join(root, 'state');
const file = join(state, 'progress.json');
const env = {
  DOCKER_LAB_COURSE_DIR: course,
  DOCKER_LAB_STATE_DIR: state,
  LC_ALL: '',
  LC_MESSAGES: '',
  LANG: 'C.UTF-8',
};

function lesson(
  lang: string,
  meta: { id: string; title: string; order: number; duration?: string },
  steps: string[],
): void {
  const front = [
    '---',
    `id: ${meta.id}`,
    `title: ${JSON.stringify(meta.title)}`,
    `lang: ${lang}`,
    `order: ${meta.order}`,
    ...(meta.duration ? [`duration: ${meta.duration}`] : []),
    'images: [busybox]',
    '---',
    `# ${meta.title}`,
    '',
  ];
  const body = steps.flatMap((id) => [
    `## Step ${id} {#${id}}`,
    '',
    '```sh',
    'docker version',
    '```',
    '',
    '```yaml check',
    `- id: ${id}-ran`,
    '  output: { exitCode: 0 }',
    '```',
    '',
  ]);
  mkdirSync(join(course, lang), { recursive: true });
  writeFileSync(join(course, lang, `${meta.id}.md`), [...front, ...body].join('\n'));
}

lesson('en', { id: 'alpha', title: 'Alpha: the first lesson', order: 10, duration: '5m' }, [
  'one',
  'two',
]);
lesson(
  'en',
  {
    id: 'beta',
    title: 'A very long title about containers, images, volumes, networks and everything else',
    order: 20,
    duration: '15m',
  },
  ['a', 'b', 'c'],
);
lesson('en', { id: 'gamma', title: 'Gamma', order: 30 }, ['x']);
lesson(
  'zh-CN',
  {
    id: 'alpha',
    title: '第一课：容器、镜像、数据卷、网络、仓库、监控以及图形化管理的一切知识',
    order: 10,
    duration: '5m',
  },
  ['one', 'two'],
);

const T = '2025-01-02T03:04:05.000Z';
const entry = (steps: string[], done: string[]) => ({
  steps,
  startedAt: T,
  completed: Object.fromEntries(done.map((id) => [id, T])),
  hints: {},
  quizzes: {},
});
/** A format 1 file (per language): list and reset read it merged by lesson id. */
const SEEDED = {
  version: 1,
  lessons: {
    'en/alpha': { ...entry(['one', 'two'], ['one', 'two']), completedAt: T },
    'en/beta': { ...entry(['a', 'b', 'c'], ['a']), currentStep: 'b' },
    'zh-CN/alpha': entry(['one', 'two'], ['one']),
  },
};

before(() => {
  assert.ok(existsSync('dist/cli.js'), 'dist/cli.js is missing: run "npm run build" first');
});
beforeEach(() => {
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  writeFileSync(file, JSON.stringify(SEEDED));
});
after(() => rmSync(root, { recursive: true, force: true }));

const saved = () => JSON.parse(readFileSync(file, 'utf8')) as typeof SEEDED;

describe('docker-lab list', () => {
  test('shows the course in order with duration and progress, ✓ for completed lessons', async () => {
    const { code, stdout, stderr } = await runCli(['list'], env);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    for (const line of stdout.split('\n')) assert.ok(stringWidth(line) <= 80, line);
    assert.equal(
      stdout,
      [
        'Docker course (English): 1 of 3 lessons completed',
        '',
        '  ✓ alpha  Alpha: the first lesson                                       5m  2/2',
        '    beta   A very long title about containers, images, volumes, netwo…  15m  1/3',
        '    gamma  Gamma                                                             0/1',
        '',
      ].join('\n'),
    );
  });

  test('in Chinese, CJK titles are cut by display width and untranslated lessons are shown in English', async () => {
    const { code, stdout } = await runCli(['list', '--lang', 'zh-CN'], env);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      [
        'Docker 课程（简体中文）：已完成 1/3 课',
        '',
        // Progress is the lesson's in every language: both steps were done in English.
        '  ✓ alpha  第一课：容器、镜像、数据卷、网络、仓库、监控以及图形化管理…   5m  2/2',
        // Untranslated lessons are the English ones, with the English progress.
        '    beta   A very long title about containers, images, volumes, netwo…  15m  1/3',
        '    gamma  Gamma（英文）                                                     0/1',
        '',
      ].join('\n'),
    );
    for (const line of stdout.split('\n')) assert.ok(stringWidth(line) <= 80, line);
  });

  test('the language comes from the locale when --lang is not given', async () => {
    const { stdout } = await runCli(['list'], { ...env, LANG: 'zh_CN.UTF-8' });
    assert.match(stdout, /^Docker 课程（简体中文）/);
  });

  test('--json gives the same facts for programs', async () => {
    const { code, stdout } = await runCli(['list', '--json'], env);
    assert.equal(code, 0);
    const out = JSON.parse(stdout) as { lang: string; lessons: Record<string, unknown>[] };
    assert.equal(out.lang, 'en');
    assert.deepEqual(out.lessons[1], {
      id: 'beta',
      lang: 'en',
      title: 'A very long title about containers, images, volumes, networks and everything else',
      order: 20,
      duration: '15m',
      done: 1,
      total: 3,
      completed: false,
      currentStep: 'b',
      images: ['busybox'],
    });
  });

  test('a corrupt progress file: the warning comes first, the list still shows', async () => {
    writeFileSync(file, 'not json');
    const { code, stdout, stderr } = await runCli(['list'], env);
    assert.equal(code, 0);
    assert.match(
      stderr,
      /^docker-lab: Your progress file .*progress\.json could not be read \(it is not valid JSON\), so progress starts empty; the old file is kept as .*progress\.json\.corrupt-\d{8}T\d{6}Z\.\n$/,
    );
    assert.match(stdout, /^Docker course \(English\): 0 of 3 lessons completed\n/);
  });

  test('--images without a daemon says so on one line and still lists', async () => {
    const { code, stdout, stderr } = await runCli(['list', '--images'], {
      ...env,
      DOCKER_HOST: 'tcp://127.0.0.1:1',
    });
    assert.equal(code, 0);
    assert.match(stderr, /^docker-lab: images not checked: Cannot reach the Docker daemon .*\n$/);
    assert.equal(stderr.split('\n').length, 2);
    assert.match(stdout, /^ {2}✓ alpha /m);
  });

  test('an unknown --lang is a usage error', async () => {
    const { code, stderr } = await runCli(['list', '--lang', 'fr'], env);
    assert.equal(code, 2);
    assert.equal(stderr, 'docker-lab: --lang is en or zh-CN, not "fr"\n');
  });
});

describe('docker-lab reset', () => {
  test('with --yes forgets the lesson in both languages and nothing else', async () => {
    const { code, stdout, stderr } = await runCli(['reset', 'alpha', '--yes'], env);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.equal(stdout, 'Forgot your progress in Alpha: the first lesson (en, zh-CN).\n');
    // Written in format 2: one entry per lesson id.
    assert.equal(saved().version, 2);
    assert.deepEqual(Object.keys(saved().lessons), ['beta']);
  });

  test('--lang names the lesson in that language; its progress goes in every language', async () => {
    const { code, stdout } = await runCli(['reset', 'alpha', '--lang', 'zh-CN', '--yes'], env);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      'Forgot your progress in 第一课：容器、镜像、数据卷、网络、仓库、监控以及图形化管理的一切知识 (en, zh-CN).\n',
    );
    assert.deepEqual(Object.keys(saved().lessons), ['beta']);
  });

  test('--all forgets everything', async () => {
    const { code, stdout } = await runCli(['reset', '--all', '--yes'], env);
    assert.equal(code, 0);
    assert.equal(stdout, 'Forgot your progress in every lesson (2 lessons).\n');
    assert.deepEqual(saved(), { version: 2, lessons: {} });
  });

  test('without a terminal and without --yes it refuses (exit 2) and says to add --yes', async () => {
    const { code, stdout, stderr } = await runCli(['reset', 'alpha'], env);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      'docker-lab: reset asks before it forgets progress and there is no terminal to ask in: add --yes (docker-lab reset alpha --yes)\n',
    );
    assert.deepEqual(saved(), SEEDED);
  });

  test('on a terminal it asks first: only y or yes forgets', () => {
    // `script` gives reset a pseudo-terminal; what we type arrives as the answer.
    const inTerminal = (answer: string) =>
      spawnSync('script', ['-qec', `${process.execPath} dist/cli.js reset alpha`, '/dev/null'], {
        input: `${answer}\n`,
        env: { ...process.env, NO_COLOR: '1', ...env },
        encoding: 'utf8',
      });
    const no = inTerminal('n');
    assert.match(no.stdout, /Forget your progress in Alpha: the first lesson\? \[y\/N\]/);
    assert.match(no.stdout, /Your progress is kept\./);
    assert.equal(no.status, 1);
    assert.deepEqual(saved(), SEEDED);
    const yes = inTerminal('y');
    assert.match(yes.stdout, /Forgot your progress in Alpha: the first lesson \(en, zh-CN\)\./);
    assert.equal(yes.status, 0);
    assert.deepEqual(Object.keys(saved().lessons), ['beta']);
  });

  test('an unknown lesson id is a usage error with "did you mean"', async () => {
    const { code, stderr } = await runCli(['reset', 'alhpa', '--yes'], env);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'docker-lab: no lesson "alhpa" in the course (did you mean "alpha"?); "docker-lab list" shows the lessons\n',
    );
    assert.deepEqual(saved(), SEEDED);
  });

  test('a lesson without progress: nothing to forget', async () => {
    const { code, stdout } = await runCli(['reset', 'gamma', '--yes'], env);
    assert.equal(code, 0);
    assert.equal(stdout, 'No progress recorded in Gamma: nothing to forget.\n');
  });

  test('refuses to write over a newer docker-lab’s progress file', async () => {
    const newer = JSON.stringify({
      version: 3,
      lessons: { alpha: SEEDED.lessons['en/alpha'], beta: SEEDED.lessons['en/beta'] },
    });
    writeFileSync(file, newer);
    const { code, stderr } = await runCli(['reset', 'alpha', '--yes'], env);
    assert.equal(code, 1);
    assert.match(stderr, /was written by a newer docker-lab/);
    assert.match(stderr, /^docker-lab: Your progress was not saved: /m);
    assert.equal(readFileSync(file, 'utf8'), newer);
  });

  test('its help says that Docker resources are never touched', async () => {
    const { code, stdout } = await runCli(['reset', '--help'], env);
    assert.equal(code, 0);
    assert.match(stdout, /never touches Docker containers, images, volumes or networks/);
  });
});
