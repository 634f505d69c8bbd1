import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';
import { startDind } from '../helpers/dind.js';
import { connect } from 'node:net';

const FIX = 'fixtures/lessons/verify';

/** A parsed XML element: its attributes and children by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type XmlNode = Record<string, any>;

function parseJunit(text: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
}

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
});

describe('docker-lab verify', () => {
  test('a passing lesson (commands, an interactive shell from scripted input, a quiz) exits 0 and leaves the daemon as it was', async () => {
    const listed = daemonListing();
    const run = await runCli(['verify', `${FIX}/passes.md`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(
      lines.includes(
        '  PASS run: Run a container (' +
          lines.find((l) => l.startsWith('  PASS run:'))!.split('(')[1],
      ),
    );
    assert.match(run.stdout, /^ {2}PASS shell: A shell with a terminal \(/m);
    assert.match(run.stdout, /^ {2}PASS quiz: A quiz \(/m);
    assert.match(
      run.stdout,
      /^ {4}\$ docker run -it --name dl-verify-shell docker-lab-test\/busybox:latest sh$/m,
    );
    assert.match(run.stdout, /^ {2}cleaned up 2 resources the lesson created$/m);
    assert.equal(lines.at(-2), '1 passed, 0 failed');
    assert.deepEqual(daemonListing(), listed);
  });

  test('a failing step gives exit 1 and a report that says what was expected, what was found and the fix', async () => {
    const listed = daemonListing();
    const run = await runCli(['verify', `${FIX}/fails.md`]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^ {2}FAIL expect-running: Expect a running container/m);
    assert.match(run.stdout, /still-running/);
    assert.match(run.stdout, /running/);
    assert.match(run.stdout, /Keep the container's main process running/);
    assert.match(run.stdout, /^ {8}about to exit$/m, 'the tail of the command output is shown');
    assert.match(run.stdout, /^FAIL fails \(en\) failed in [\d.]+ s, 1 step not reached$/m);
    assert.deepEqual(daemonListing(), listed);
  });

  test('a command that fails outright (exit 127) ends its step at once, saying what failed and what to do', async () => {
    const run = await runCli(['verify', '--reporter', 'json', `${FIX}/outright.md`]);
    assert.equal(run.code, 1);
    const step = JSON.parse(run.stdout).lessons[0].steps[0];
    assert.equal(step.status, 'failed');
    assert.deepEqual(step.after, [], 'the 5-minute check is not waited for');
    assert.match(
      step.problems.join('\n'),
      /^fixtures\/lessons\/verify\/outright\.md:11: the command failed outright with exit 127, a program it names was not found: ".*docker-lab-no-such-program.*"; its checks were not waited for\. Install the program/m,
    );
  });

  test('an exit 127 the author expects (an output check states it) is for the checks to judge', async () => {
    const run = await runCli(['verify', `${FIX}/expected-127.md`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  test('a check that holds before its step is reported as unsound', async () => {
    const run = await runCli(['verify', `${FIX}/unsound.md`]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^ {2}UNSOUND run: Run something \([\d.]+ s\) unsound$/m);
    assert.match(
      run.stdout,
      /daemon-up already held before the step ran, so it proves nothing about the step \(line 16\)\./,
    );
  });

  test('a command that hangs is killed at its timeout, with its children', async () => {
    const run = await runCli(['verify', `${FIX}/hangs.md`]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /the command at line 14 was killed after its timeout of 1 s/);
    assert.ok(run.ms < 15_000, `verify took ${run.ms} ms`);
    const left = execFileSync('sh', ['-c', 'pgrep -af "sleep 314[123]" || true'], {
      encoding: 'utf8',
    });
    assert.equal(left.trim(), '', 'no child of the killed command is left running');
  });

  test('the JUnit report has one testcase per check: classname the lesson id, name step/check: description', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-junit-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'report.xml');
    const run = await runCli([
      'verify',
      '--reporter',
      'junit',
      '--output',
      file,
      `${FIX}/passes.md`,
      `${FIX}/fails.md`,
      `${FIX}/unsound.md`,
      `${FIX}/outright.md`,
    ]);
    assert.equal(run.code, 1);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('\u001b'), 'no escape codes');
    assert.equal(XMLValidator.validate(text), true);
    const doc = parseJunit(text);
    const root = doc.testsuites;
    const suites = [root.testsuite].flat();
    assert.deepEqual(
      suites.map((s: Record<string, string>) => [s.name, s.tests, s.failures, s.skipped]),
      [
        ['fails (en)', '2', '1', '1'],
        ['outright (en)', '2', '1', '1'],
        ['passes (en)', '5', '0', '0'],
        ['unsound (en)', '1', '1', '0'],
      ],
    );
    assert.equal(root.tests, '10');
    assert.equal(root.failures, '3');
    const cases = (suite: { testcase: unknown }) =>
      [suite.testcase].flat() as XmlNode[] as [XmlNode, XmlNode];
    const passes = suites.find((s: { name: string }) => s.name === 'passes (en)');
    assert.deepEqual(
      cases(passes).map((c) => [c.classname, c.name]),
      [
        ['passes', 'run/said-hello'],
        ['passes', 'run/exited'],
        ['passes', 'shell/pid-one'],
        ['passes', 'shell/shell-exited'],
        ['passes', 'quiz/what-is-pid-one: What was PID 1 in the container?'],
      ],
    );
    const [failing, unreached] = cases(suites[0]);
    assert.equal(failing.name, 'expect-running/still-running');
    assert.equal(
      failing.failure.message,
      'still-running: running: expected equals true, found false',
      'one line: the check and what was expected and found',
    );
    // The body says what the pretty reporter says: expected, found, the fix.
    assert.match(failing.failure['#text'], /^✗ still-running: container dl-verify-fails$/m);
    assert.match(failing.failure['#text'], /^ {2}running: expected equals true, found false$/m);
    assert.match(
      failing.failure['#text'],
      /likeliest fix: Keep the container's main process running/,
    );
    assert.equal(unreached.name, 'never/never');
    assert.equal(unreached.skipped.message, 'an earlier step did not pass');
    // A command that failed outright is a test case of its own; its checks were not evaluated.
    const outright = suites.find((s: { name: string }) => s.name === 'outright (en)');
    const [check, problem] = cases(outright);
    assert.match(check.skipped.message, /^not evaluated: the step failed before its checks/);
    assert.match(problem.name, /^missing\/problem-1: /);
    assert.match(problem.failure.message, /the command failed outright with exit 127/);
    const unsound = cases(suites[3])[0];
    assert.match(unsound.failure.message, /^unsound: daemon-up already held before the step ran/);
  });

  test('the JSON report carries every step with its checks', async () => {
    const run = await runCli(['verify', '--reporter', 'json', `${FIX}/passes.md`]);
    assert.equal(run.code, 0);
    const data = JSON.parse(run.stdout);
    assert.deepEqual(data.summary, { passed: 1, failed: 0, skipped: 0, flaky: 0 });
    assert.deepEqual(
      data.lessons[0].steps.map(
        (s: { id: string; status: string; after: { id: string; ok: boolean }[] }) => [
          s.id,
          s.status,
          s.after.map((c) => c.id),
        ],
      ),
      [
        ['run', 'passed', ['said-hello', 'exited']],
        ['shell', 'passed', ['pid-one', 'shell-exited']],
        ['quiz', 'passed', []],
      ],
    );
    assert.match(
      run.stderr,
      /^1 passed, 0 failed$/m,
      'progress goes to stderr when the report owns stdout',
    );
  });

  test('shards partition the lessons: every lesson runs in exactly one shard', async () => {
    const names = async (shard: string) => {
      const run = await runCli(['verify', '--reporter', 'json', '--shard', shard, FIX]);
      return (JSON.parse(run.stdout).lessons as { id: string }[]).map((l) => l.id);
    };
    const one = await names('1/2');
    const two = await names('2/2');
    assert.deepEqual([...one, ...two].sort(), [
      'bystander',
      'container-image',
      'escapes',
      'expected-127',
      'fails',
      'hangs',
      'name-taken',
      'near-miss',
      'near-miss-lax',
      'near-miss-short-wait',
      'outright',
      'passes',
      'ports',
      'unsound',
    ]);
    assert.equal(new Set([...one, ...two]).size, 14);
  });

  test('a reader that goes away (| head) does not stop the cleanup', async () => {
    const listed = daemonListing();
    execFileSync('sh', ['-c', `node dist/cli.js verify ${FIX}/passes.md | head -1`], {
      encoding: 'utf8',
    });
    // The run goes on after head exits; wait for its lock to be released.
    const { lockPath } = await import('../../src/run/daemon-lock.js');
    const { existsSync } = await import('node:fs');
    for (let i = 0; i < 100 && existsSync(lockPath('unix:///var/run/docker.sock')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(daemonListing(), listed);
  });

  test('with DOCKER_HOST=tcp://… of a daemon in a container, commands and port checks go to that daemon', async (t) => {
    const dind = await startDind();
    t.after(() => dind.remove());
    const image = await ensureBusyboxImage();
    execFileSync(
      'sh',
      // busybox:latest is the helper docker-lab keeps on a daemon that shares nothing with it.
      [
        '-c',
        `docker save ${image} busybox:latest | DOCKER_HOST=${dind.bridgeDockerHost} docker load -q`,
      ],
      {
        stdio: 'ignore',
      },
    );
    const outer = daemonListing();
    const run = await runCli(['verify', '--reporter', 'json', `${FIX}/ports.md`], {
      DOCKER_HOST: dind.bridgeDockerHost,
    });
    assert.equal(run.code, 0, run.stderr);
    const step = JSON.parse(run.stdout).lessons[0].steps[0];
    assert.deepEqual(
      step.after.map((c: { id: string; ok: boolean; subject: string }) => [c.id, c.ok]),
      [
        ['port-open', true],
        ['page-served', true],
      ],
    );
    // The port is published on the inner daemon's host, not on this machine's loopback.
    const localOpen = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: 18080 });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    assert.equal(localOpen, false);
    assert.deepEqual(daemonListing(), outer, 'the outer daemon was not touched');
    const inner = daemonListing({ ...process.env, DOCKER_HOST: dind.bridgeDockerHost });
    assert.deepEqual(inner.containers, [], 'the lesson cleaned up on the inner daemon');
  });

  test("what others create on the daemon while a lesson waits is not the lesson's: cleanup leaves it", async (t) => {
    const name = `bystander-${process.pid}`;
    t.after(() => {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    });
    const running = runCli(['verify', '--reporter', 'json', `${FIX}/bystander.md`]);
    // The lesson's command has ended (and its trailing window passed) while its check waits.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    execFileSync('docker', ['create', '--name', name, 'docker-lab-test/busybox:latest', 'true']);
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    const cleanup = JSON.parse(run.stdout).lessons[0].cleanup;
    assert.deepEqual(
      cleanup.removed.map((r: { name: string }) => r.name),
      ['dl-bystander-own'],
    );
    assert.equal(
      execFileSync('docker', ['inspect', '-f', '{{.Name}}', name], { encoding: 'utf8' }).trim(),
      `/${name}`,
    );
  });

  test("names a step creates that the learner's objects already have: one sentence, nothing of theirs touched", async (t) => {
    t.after(() => {
      execFileSync('docker', ['rm', '-f', 'dl-taken'], { stdio: 'ignore' });
      execFileSync('docker', ['volume', 'rm', '-f', 'dl-taken-data'], { stdio: 'ignore' });
    });
    execFileSync('docker', ['volume', 'create', 'dl-taken-data'], { stdio: 'ignore' });
    const id = execFileSync(
      'docker',
      ['create', '--name', 'dl-taken', 'docker-lab-test/busybox:latest', 'sleep', '1'],
      { encoding: 'utf8' },
    ).trim();
    const listed = daemonListing();
    const run = await runCli(['verify', '--reporter', 'json', `${FIX}/name-taken.md`]);
    assert.equal(run.code, 1);
    const step = JSON.parse(run.stdout).lessons[0].steps[0];
    assert.equal(step.status, 'failed', 'the author did nothing wrong: failed, not unsound');
    assert.deepEqual(step.commands, [], 'no command ran');
    assert.deepEqual(step.problems, [
      'step "Make a container and a volume" creates names that something not this lesson\'s already has on this daemon (container dl-taken, volume dl-taken-data): it was made before the lesson, or outside it, and is left alone. Remove it if it is not needed (docker rm -f dl-taken; docker volume rm dl-taken-data), then run the lesson again.',
    ]);
    assert.equal(
      execFileSync('docker', ['inspect', '-f', '{{.Id}}', 'dl-taken'], { encoding: 'utf8' }).trim(),
      id,
    );
    assert.deepEqual(daemonListing(), listed);
  });

  test('a file block that would go through a link out of the lesson folder is refused where it stands', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'dl-outside-'));
    after(() => rmSync(outside, { recursive: true, force: true }));
    const run = await runCli(['verify', `${FIX}/escapes.md`], { DL_OUTSIDE: outside });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout + run.stderr,
      /escapes\.md:24:1: the file block file=out\/pwned was not written: .*not a link/,
    );
    assert.deepEqual(readdirSync(outside), [], 'nothing was written outside');
  });

  test('learner objects made by the hundred while a lesson runs, some under its own words, all survive', async (t) => {
    const id = process.pid;
    // Names a guess from words or from timing would take for the lesson's.
    const looks = [
      'dl-bystander-own-2',
      'dl-bystander',
      'bystander-own',
      'true',
      'busybox',
      'later',
    ];
    const names = Array.from({ length: 120 }, (_, n) => `${looks[n % looks.length]}-${id}-${n}`);
    const volumes = names.slice(0, 60).map((n) => `v-${n}`);
    const networks = names.slice(0, 12).map((n) => `n-${n}`);
    t.after(() => {
      execFileSync('sh', ['-c', `docker rm -f -v ${names.join(' ')} >/dev/null 2>&1 || true`]);
      execFileSync('sh', [
        '-c',
        `docker volume rm -f ${volumes.join(' ')} >/dev/null 2>&1 || true`,
      ]);
      execFileSync('sh', ['-c', `docker network rm ${networks.join(' ')} >/dev/null 2>&1 || true`]);
    });
    const running = runCli(['verify', '--reporter', 'json', `${FIX}/bystander.md`]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Eight at a time, from the lesson's start until it waits: containers (some running, some
    // with an anonymous volume), named volumes and networks.
    const script = [
      ...names.map((n, i) =>
        i % 3 === 0
          ? `docker run -d --name ${n} -v /data docker-lab-test/busybox:latest sleep 60`
          : `docker create --name ${n} docker-lab-test/busybox:latest true`,
      ),
      ...volumes.map((v) => `docker volume create ${v}`),
      ...networks.map((n) => `docker network create ${n}`),
    ].join('\n');
    execFileSync('sh', ['-c', 'xargs -P 8 -I{} sh -c "{} >/dev/null"'], { input: script });
    const run = await running;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const cleanup = JSON.parse(run.stdout).lessons[0].cleanup;
    assert.deepEqual(
      cleanup.removed.map((r: { name: string }) => r.name),
      ['dl-bystander-own'],
    );
    const left = (args: string) =>
      execFileSync('sh', ['-c', `docker ${args}`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
    const containers = new Set(left(`ps -a --format '{{.Names}}'`));
    assert.deepEqual(
      names.filter((n) => !containers.has(n)),
      [],
      'every container survived',
    );
    const vols = new Set(left(`volume ls -q`));
    assert.deepEqual(
      volumes.filter((v) => !vols.has(v)),
      [],
      'every volume survived',
    );
    const nets = new Set(left(`network ls --format '{{.Name}}'`));
    assert.deepEqual(
      networks.filter((n) => !nets.has(n)),
      [],
      'every network survived',
    );
    // The anonymous volumes of the learner's running containers survived too.
    for (const n of names.filter((_, i) => i % 3 === 0).slice(0, 5)) {
      const mounts = left(`inspect -f '{{range .Mounts}}{{.Name}} {{end}}' ${n}`).join('');
      for (const volume of mounts.trim().split(' ')) assert.ok(vols.has(volume), volume);
    }
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    test(`${signal} in the middle of a command wins: exit ${code}, every process and object it started gone`, async () => {
      const listed = daemonListing();
      const child = spawn(
        process.execPath,
        ['dist/cli.js', 'verify', 'fixtures/lessons/signals/long.md'],
        {
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      for (let i = 0; i < 200; i++) {
        const found = execFileSync('sh', ['-c', 'pgrep -f "sleep 315[2]" || true'], {
          encoding: 'utf8',
        });
        if (found.trim() !== '') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const sent = Date.now();
      child.kill(signal);
      const exitCode = await exited;
      assert.equal(exitCode, code, out);
      assert.ok(Date.now() - sent < 15_000, `exited ${Date.now() - sent} ms after ${signal}`);
      const left = execFileSync('sh', ['-c', 'pgrep -af "sleep 315[12]" || true'], {
        encoding: 'utf8',
      });
      assert.equal(left.trim(), '', 'no process the command started is left');
      assert.deepEqual(daemonListing(), listed);
    });
  }

  test('usage errors say what to write', async () => {
    const bad = await runCli(['verify', '--shard', '3/2']);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      'docker-lab: --shard takes i/n with 1 <= i <= n, like --shard 2/3, not "3/2"\n',
    );
    const unknown = await runCli(['verify', 'frist-run']);
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      'docker-lab: no lesson file, folder or course lesson id "frist-run" (did you mean "first-run"?)\n',
    );
  });
});

const AUTHOR = 'fixtures/lessons/author';

describe('verify --retries', () => {
  const root = mkdtempSync(join(tmpdir(), 'dl-retries-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a lesson that passes on a later attempt is flaky: exit 0, said in plain, JSON and JUnit, every attempt cleaned up', async () => {
    const listed = daemonListing();
    const report = join(root, 'flaky.xml');
    const run = await runCli(
      ['verify', '--retries', '2', '--reporter', 'junit', '--output', report, `${AUTHOR}/flaky.md`],
      { DL_FLAKY_MARK: join(root, 'mark-1') },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^FAIL flaky \(en\) failed on attempt 1 of 3, trying again in /m);
    assert.match(run.stdout, /^PASS flaky \(en\) passed on attempt 2 of 3 \(flaky\) in /m);
    assert.equal(
      run.stdout.match(/cleaned up 1 resource the lesson created/g)?.length,
      2,
      'each attempt removes what it made',
    );
    assert.match(run.stdout, /^1 passed, 0 failed, 1 flaky \(passed on a retry\)$/m);
    const text = readFileSync(report, 'utf8');
    assert.equal(XMLValidator.validate(text), true);
    const suite = parseJunit(text).testsuites.testsuite;
    assert.equal(suite.failures, '0');
    const [said, ran] = [suite.testcase].flat();
    assert.equal(said.name, 'run/said-second: the command found the mark of an earlier attempt');
    assert.equal(said.failure, undefined, 'the test case passed');
    assert.equal(said.flakyFailure.message, 'said-second: stdout: expected contains "second"');
    assert.match(said.flakyFailure.stackTrace, /found:\n\s+\| hello\n\s+\| first/);
    assert.equal(ran.flakyFailure, undefined, 'a check that never failed has no flaky failure');

    const json = await runCli(
      ['verify', '--retries', '1', '--reporter', 'json', `${AUTHOR}/flaky.md`],
      {
        DL_FLAKY_MARK: join(root, 'mark-2'),
      },
    );
    assert.equal(json.code, 0, json.stderr);
    const data = JSON.parse(json.stdout);
    assert.deepEqual(data.summary, { passed: 1, failed: 0, skipped: 0, flaky: 1 });
    const lesson = data.lessons[0];
    assert.deepEqual(
      [lesson.status, lesson.flaky, lesson.attempts, lesson.maxAttempts],
      ['passed', true, 2, 2],
    );
    assert.deepEqual(
      lesson.earlierAttempts.map((a: { status: string }) => a.status),
      ['failed'],
    );
    assert.deepEqual(daemonListing(), listed);
  });

  test('a lesson that fails every attempt fails the run, its reruns kept in the report', async () => {
    const listed = daemonListing();
    const report = join(root, 'fails.xml');
    const run = await runCli([
      'verify',
      '--retries',
      '1',
      '--reporter',
      'junit',
      '--output',
      report,
      `${FIX}/fails.md`,
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^FAIL fails \(en\) failed on attempt 1 of 2, trying again in /m);
    assert.match(run.stdout, /^FAIL fails \(en\) failed on all 2 attempts in /m);
    const failing = [
      parseJunit(readFileSync(report, 'utf8')).testsuites.testsuite.testcase,
    ].flat()[0];
    assert.ok(failing.failure, 'the test case failed');
    assert.ok(failing.rerunFailure, 'the earlier attempt is a rerun failure, not a flaky one');
    assert.equal(failing.flakyFailure, undefined);
    assert.deepEqual(daemonListing(), listed);
  });

  test('--retries takes a small count', async () => {
    const bad = await runCli(['verify', '--retries', 'lots', `${AUTHOR}/flaky.md`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--retries takes how many more times a failed lesson runs, 0 to 10/);
  });
});

describe('verify with images not on the daemon', () => {
  test('a lesson whose image is missing is skipped with the image and how to get it; exit 0', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dl-skip-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    const report = join(root, 'skip.xml');
    const run = await runCli([
      'verify',
      '--reporter',
      'junit',
      '--output',
      report,
      `${AUTHOR}/missing-image.md`,
      `${FIX}/expected-127.md`,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^SKIP missing-image \(en\) skipped in 0\.0 s: image not on the daemon: docker-lab-test\/never-built:1 is not a course image: docker pull or docker build it$/m,
    );
    assert.match(run.stdout, /^1 passed, 0 failed, 1 skipped$/m);
    const suites = [parseJunit(readFileSync(report, 'utf8')).testsuites.testsuite].flat();
    const skipped = suites.find((s: { name: string }) => s.name === 'missing-image (en)');
    assert.equal(skipped.skipped, '1');
    assert.match(
      skipped.testcase.skipped.message,
      /^image not on the daemon: docker-lab-test\/never-built:1/,
    );
  });

  test('with --require-images it fails; a course image says how to get it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dl-require-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    // A course image this daemon cannot have: a tag of the catalogue nobody builds.
    const lesson = join(root, 'needs-ubuntu.md');
    writeFileSync(
      lesson,
      readFileSync(`${AUTHOR}/missing-image.md`, 'utf8').replace(
        'images: [docker-lab-test/never-built:1]',
        'images: [ubuntu:docker-lab-never-tagged]',
      ),
    );
    const run = await runCli(['verify', '--require-images', lesson]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^FAIL missing-image \(en\) failed in 0\.0 s: image not on the daemon \(--require-images\): ubuntu:docker-lab-never-tagged: "docker-lab images pull", or offline "docker-lab images build-standins"$/m,
    );
    assert.match(run.stdout, /^0 passed, 1 failed$/m);
  });
});
