/**
 * `output` checks as verify runs them on fixture lessons: text matchers, a background command's
 * output waited for, and `rerun: true` running the step's command again, killed on its timeout
 * and on Ctrl-C like any command of the lesson.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';

const FIX = 'fixtures/lessons/output';

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
});

/**
 * The daemon's objects under this file's fixture names (the lessons make containers only). The
 * daemon is shared with other runs that come and go, so the whole listing is not compared here.
 */
function fixtureObjects(): string {
  return execFileSync(
    'docker',
    ['ps', '-a', '--format', '{{.Names}}', '--filter', 'name=^dl-verify-out-'],
    { encoding: 'utf8' },
  ).trim();
}

function left(pattern: string): string {
  return execFileSync('sh', ['-c', `pgrep -af "${pattern}" || true`], { encoding: 'utf8' }).trim();
}

interface JsonFinding {
  id: string;
  ok: boolean;
  pass?: boolean;
  attempts: number;
  mismatches?: { field: string; actual: unknown }[];
}
interface JsonStep {
  id: string;
  status: string;
  after: JsonFinding[];
  before: JsonFinding[];
}

describe('verify with output checks', () => {
  test('trim, lines, every, regex flags, text, a background command and a re-run all pass, and the daemon ends as it began', async () => {
    assert.equal(fixtureObjects(), '', 'nothing of this fixture is left from before');
    const run = await runCli(['verify', '--reporter', 'json', `${FIX}/output-checks.md`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const steps = JSON.parse(run.stdout).lessons[0].steps as JsonStep[];
    assert.deepEqual(
      steps.map((s) => [s.id, s.status]),
      [
        ['text', 'passed'],
        ['background', 'passed'],
        ['rerun', 'passed'],
      ],
    );
    // Before its step, every check failed, as verify expects: nothing had printed yet.
    for (const step of steps)
      for (const f of step.before)
        assert.deepEqual([f.ok, f.pass], [true, false], `${step.id}/${f.id}`);
    const background = steps[1]!.after[0]!;
    assert.ok(background.attempts > 1, 'it waited for the background command to print');
    const answers = steps[2]!.after[0]!;
    assert.ok(answers.attempts > 1, 'the probe was run again until the container answered');
    assert.equal(fixtureObjects(), '', 'the lesson removed what it made');
  });

  test('the plain report shows a re-run as such', async () => {
    const run = await runCli(['verify', `${FIX}/output-checks.md`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /^ {4}\$ docker exec dl-verify-out-web cat \/ready {2}\(run again by a check until its output matches\)$/m,
    );
  });

  test('exitCode of a background command still running fails, saying it is still running', async () => {
    const run = await runCli(['verify', `${FIX}/output-running.md`]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^ {2}FAIL watch: Start a watcher/m);
    assert.doesNotMatch(run.stdout, /✗ watching/, 'what it printed so far was waited for');
    assert.match(run.stdout, /exitCode: expected equals 0, found "still running"/);
    assert.match(run.stdout, /"watcher" was started in the background and is still running/);
    assert.equal(left('sleep 3140[0]'), '', 'the background command ended with the lesson');
  });

  test('a re-run that hangs is killed at the command timeout, every time, and the check fails at its own', async () => {
    const run = await runCli(['verify', '--reporter', 'json', `${FIX}/output-rerun-hangs.md`]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const finding = (JSON.parse(run.stdout).lessons[0].steps as JsonStep[])[0]!.after[0]!;
    assert.equal(finding.ok, false);
    assert.ok(finding.attempts >= 3, `tried ${finding.attempts} times`);
    assert.deepEqual(finding.mismatches, [
      { field: 'stdout', expected: 'contains "yes"', actual: '' },
    ]);
    assert.ok(run.ms < 20_000, `verify took ${run.ms} ms`);
    assert.equal(left('sleep 3140[1]'), '', 'no re-run is left running');
  });

  test('Ctrl-C during a re-run ends verify at once, with the re-run and its children', async () => {
    const child = spawn(
      process.execPath,
      ['dist/cli.js', 'verify', `${FIX}/output-rerun-interrupted.md`],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    for (let i = 0; i < 300 && left('sleep 3140[2]') === ''; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.notEqual(left('sleep 3140[2]'), '', `the re-run never started:\n${out}`);
    const sent = Date.now();
    child.kill('SIGINT');
    assert.equal(await exited, 130, out);
    assert.ok(Date.now() - sent < 15_000, `exited ${Date.now() - sent} ms after SIGINT`);
    assert.equal(left('sleep 3140[2]'), '', 'the re-run was killed');
  });
});
