import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';
import { ensureSandboxImage, sandboxObjects, TEST_ENGINE } from '../helpers/sandbox.js';

const FIX = 'fixtures/lessons/sandbox';

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  await ensureSandboxImage();
});

/** Until `probe` is true, every 200 ms, at most `ms`. */
async function until(probe: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** verify --sandbox on a lesson whose command runs long, once its sandbox is there. */
async function startLongVerify(): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(
    process.execPath,
    [
      'dist/cli.js',
      'verify',
      '--sandbox',
      '--engine',
      TEST_ENGINE,
      'fixtures/lessons/signals/long.md',
    ],
    { stdio: 'ignore' },
  );
  const pid = child.pid!;
  await until(
    () => sandboxObjects({ ownerPid: pid }).some((o) => o.startsWith('container ')),
    120_000,
  );
  return { child, pid };
}

describe('docker-lab verify --sandbox', () => {
  test('a lesson runs in a sandbox of its own and leaves the outer daemon as it was', async () => {
    const listed = daemonListing();
    const run = await runCli([
      'verify',
      '--sandbox',
      '--engine',
      TEST_ENGINE,
      '--reporter',
      'plain',
      `${FIX}/port-a.md`,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^ {2}PASS serve: Serve HTTP \(/m);
    assert.match(run.stdout, /^1 passed, 0 failed$/m);
    // The lesson's container was made in the sandbox, never on the outer daemon.
    assert.deepEqual(daemonListing(), listed);
  });

  test('--jobs 2: two lessons with the same port and container name side by side, reported in lesson order', async () => {
    const listed = daemonListing();
    const run = await runCli([
      'verify',
      '--sandbox',
      '--engine',
      TEST_ENGINE,
      '--jobs',
      '2',
      '--reporter',
      'plain',
      `${FIX}/port-a.md`,
      `${FIX}/port-b.md`,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^2 passed, 0 failed$/m);
    const a = run.stdout.indexOf('== port-a');
    const b = run.stdout.indexOf('== port-b');
    assert.ok(a >= 0 && b > a, run.stdout);
    // Each lesson's report is whole: nothing of b between a's heading and its verdict.
    const aEnd = run.stdout.indexOf('PASS port-a');
    assert.ok(aEnd > a && aEnd < b, run.stdout);
    assert.deepEqual(daemonListing(), listed);
  });

  test('a warm sandbox goes on to the next lesson only when it is clean: one that a lesson left a volume in is replaced', async () => {
    const listed = daemonListing();
    const run = await runCli(
      [
        'verify',
        '--sandbox',
        '--engine',
        TEST_ENGINE,
        '--jobs',
        '1',
        '--reporter',
        'plain',
        `${FIX}/leaves-volume.md`,
        `${FIX}/port-a.md`,
        `${FIX}/port-b.md`,
      ],
      { DOCKER_LAB_SANDBOX_TRACE: '1' },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^3 passed, 0 failed$/m);
    // leaves-volume's sandbox holds a volume its baseline had not: port-a gets a fresh one, and
    // port-b port-a's (its container and port are the same, so a leftover would fail it).
    assert.match(
      run.stderr,
      /^sandbox of leaves-volume not reused: the lesson left volume dl-pool-left-\d+$/m,
    );
    assert.doesNotMatch(run.stderr, /sandbox of port-a not reused/);
    assert.match(run.stderr, /^sandboxes started: 2, reused: 1$/m);
    // Every sandbox, warm or not, is removed at the end.
    assert.deepEqual(daemonListing(), listed);
  });

  test('--jobs and --engine need --sandbox; --engine is one of the built Engines', async () => {
    const jobs = await runCli(['verify', '--jobs', '2', `${FIX}/port-a.md`]);
    assert.equal(jobs.code, 2);
    assert.match(jobs.stderr, /--jobs needs --sandbox/);
    const engine = await runCli(['verify', '--sandbox', '--engine', '19.03', `${FIX}/port-a.md`]);
    assert.equal(engine.code, 2);
    assert.match(engine.stderr, /--engine is 20\.10 or 26\.1, not "19\.03"/);
  });

  for (const [signal, code, how] of [
    ['SIGTERM', 143, 'kill'],
    ['SIGHUP', 129, 'the terminal closed'],
  ] as const)
    test(`${signal} (${how}) in the middle of a lesson: the run stops, removes its sandbox and exits ${code}`, async () => {
      const listed = daemonListing();
      const { child, pid } = await startLongVerify();
      // The lesson's long command is under way inside the sandbox.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill(signal);
      assert.equal(await exited, code);
      assert.deepEqual(sandboxObjects({ ownerPid: pid }), []);
      assert.deepEqual(daemonListing(), listed);
    });

  test("a killed run's sandbox is removed, by its labels, when the next run starts", async () => {
    const { child, pid } = await startLongVerify();
    const container = sandboxObjects({ ownerPid: pid })
      .find((o) => o.startsWith('container '))!
      .slice('container '.length);
    const id = execFileSync(
      'docker',
      ['inspect', '-f', '{{index .Config.Labels "docker-lab.sandbox"}}', container],
      { encoding: 'utf8' },
    ).trim();
    // A crash: no handler runs, nothing is cleaned up.
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(sandboxObjects(id).length >= 3, 'the killed run left its sandbox behind');

    const next = await runCli([
      'verify',
      '--sandbox',
      '--engine',
      TEST_ENGINE,
      '--reporter',
      'plain',
      `${FIX}/port-a.md`,
    ]);
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.match(
      next.stdout,
      new RegExp(`removed sandbox ${id}, left by a docker-lab run that was killed`),
    );
    assert.deepEqual(sandboxObjects(id), []);
  });
});
