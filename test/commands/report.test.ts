/**
 * `docker-lab report`: a learner runs a lesson in the TUI's plain view until a check fails, then
 * writes the report and the bundle is read back: its parts are there, and secrets planted in the
 * environment, in DOCKER_AUTH_CONFIG and in the Docker CLI's config are not, nor the home folder.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { main as report } from '../../src/commands/report.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { journalFile, RunJournal } from '../../src/run/journal.js';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';

const COURSE = resolve('fixtures/lessons/report');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const TOKEN = 'tok-7f3a9c1e5b2d4f6a8c0e';
const PASSWORD = 'pw-Quartz-Lantern-8841';
const REGISTRY_PASSWORD = 'reg-Harbor-Pelican-2290';
const AUTH_CONFIG_PASSWORD = 'cfg-Meadow-Falcon-5512';

const root = mkdtempSync(join(tmpdir(), 'dl-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

function basicAuth(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString('base64');
}

/** A learner's machine: a home with a Docker config holding a registry login, secrets set. */
function learner(name: string): { env: Record<string, string>; home: string; state: string } {
  const home = join(root, name, 'home');
  const state = join(root, name, 'state');
  mkdirSync(join(home, '.docker'), { recursive: true });
  writeFileSync(
    join(home, '.docker', 'config.json'),
    JSON.stringify({ auths: { 'localhost:5000': { auth: basicAuth('ann', REGISTRY_PASSWORD) } } }),
  );
  return {
    home,
    state,
    env: {
      HOME: home,
      DOCKER_LAB_STATE_DIR: state,
      DOCKER_LAB_COURSE_DIR: COURSE,
      DL_REPORT_TEST_TOKEN: TOKEN,
      MYSQL_ROOT_PASSWORD: PASSWORD,
      DOCKER_AUTH_CONFIG: JSON.stringify({
        auths: { 'registry.example': { auth: basicAuth('ann', AUTH_CONFIG_PASSWORD) } },
      }),
      LANG: 'en_US.UTF-8',
    },
  };
}

function assertNoSecret(text: string, home: string): void {
  for (const secret of [
    TOKEN,
    PASSWORD,
    REGISTRY_PASSWORD,
    AUTH_CONFIG_PASSWORD,
    basicAuth('ann', REGISTRY_PASSWORD),
    basicAuth('ann', AUTH_CONFIG_PASSWORD),
    home,
  ])
    assert.ok(!text.includes(secret), `the bundle holds ${secret}`);
}

describe('docker-lab report after a lesson run in the TUI', () => {
  const machine = learner('tui');
  before(async () => {
    await requireDaemon();
    // Open lesson 1, run its step (its check fails), leave it, quit.
    const run = await runCli(['--lang', 'en'], machine.env, 60_000, '1\n\nq\nq\n');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /said-goodbye/);
    assert.ok(existsSync(journalFile(machine.env, { id: 'report-stuck', lang: 'en' })));
  });

  test('writes the bundle where --output says, and one sentence saying where and what to do', async () => {
    const output = join(root, 'tui', 'bundle.md');
    const run = await runCli(['report', '--output', output], machine.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Your report is in ${output}: send this file to your instructor.\n`);
    const text = readFileSync(output, 'utf8');
    // The parts, in order.
    const headings = text.split('\n').filter((line) => /^#{1,2} /.test(line));
    assert.deepEqual(headings, [
      '# docker-lab report',
      '## Summary',
      '## Checks',
      '## Commands',
      '## Doctor',
    ]);
    assert.match(text, new RegExp(`\\| docker-lab \\| ${VERSION.replace(/\./g, '\\.')} \\|`));
    assert.match(
      text,
      new RegExp(`\\| Node\\.js \\| ${process.version.replace(/\./g, '\\.')} \\|`),
    );
    assert.match(text, /\| system \| \S+ .+ \|/);
    assert.match(text, /\| language \| en \(from the locale\) \|/);
    assert.match(text, /\| lesson \| `en\/report-stuck`: Stuck on purpose \|/);
    assert.match(text, /\| step \| 1 of 2: `greet`: Print a greeting \|/);
    // The check's report as the learner saw it, and the command with its output.
    assert.match(text, /### ✗ `said-goodbye`: output of command "greet" \(step `greet`, output/);
    assert.match(text, /stdout: expected contains "goodbye"/);
    assert.match(text, /### 1\. step `greet`, run by docker-lab, exit 0, \d+ ms, /);
    assert.match(text, /```sh\necho "greeting with token \$\{DL_REPORT_TEST_TOKEN:-none\}"/);
    assert.match(text, /stdout:\n\n```text\ngreeting with token <redacted>\n```/);
    assert.match(text, /stderr:\n\n```text\na warning on stderr\n```/);
    // The doctor's diagnosis.
    assert.match(text, /## Doctor\n\n```text\n✓ endpoint /);
    assertNoSecret(text, machine.home);
  });

  test('says where the bundle is in zh-CN, with full-width punctuation', async () => {
    const output = join(root, 'tui', 'bundle-zh.md');
    const run = await runCli(['report', '--output', output, '--lang', 'zh-CN'], machine.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `报告已写入 ${output}：请把这个文件发给你的老师。\n`);
    assertNoSecret(readFileSync(output, 'utf8'), machine.home);
  });

  test('never overwrites a file', async () => {
    const output = join(root, 'tui', 'taken.md');
    writeFileSync(output, 'mine\n');
    const run = await runCli(['report', '--output', output], machine.env);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /taken\.md already exists, and docker-lab report never overwrites a file/,
    );
    assert.equal(readFileSync(output, 'utf8'), 'mine\n');
  });

  test('an unknown lesson is refused with the lessons that have something to report', async () => {
    const run = await runCli(['report', '--lesson', 'report-stuk'], machine.env);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /nothing to report about lesson "report-stuk": it has no journal and no progress \(did you mean "report-stuck"\?\); lessons you ran: report-stuck/,
    );
  });
});

/** The command in this process, in `cwd`, for what needs no daemon. */
async function reportIn(
  cwd: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A daemon that is not there: the doctor says so at once.
  const code = await report(args, {
    stdout: out,
    stderr: err,
    env: { DOCKER_HOST: `unix://${join(root, 'no-daemon.sock')}`, ...env },
    cwd,
  });
  return { code, stdout, stderr };
}

const LESSON = parseLesson(
  join(COURSE, 'en', 'report-stuck.md'),
  readFileSync(join(COURSE, 'en', 'report-stuck.md'), 'utf8'),
).lesson!;

describe('docker-lab report without a daemon', () => {
  test('by default writes docker-lab-report-<lesson>-<time>.md in the current folder, never over another', async () => {
    const machine = learner('default-name');
    const cwd = join(root, 'default-name', 'here');
    mkdirSync(cwd);
    const journal = await RunJournal.open(LESSON, { env: machine.env });
    journal.record({ type: 'step-started', step: LESSON.steps[0]!, index: 0 });
    await journal.flush();
    const first = await reportIn(cwd, machine.env);
    const second = await reportIn(cwd, machine.env);
    assert.equal(first.code, 0, first.stderr);
    const names = [first, second].map(
      (r) => /^Your report is in (\S+): send this file to your instructor\.\n$/.exec(r.stdout)![1]!,
    );
    assert.match(names[0]!, /^docker-lab-report-report-stuck-\d{8}T\d{6}Z\.md$/);
    assert.notEqual(names[0], names[1]);
    for (const name of names) assert.ok(existsSync(join(cwd, name)));
    const text = readFileSync(join(cwd, names[0]!), 'utf8');
    assert.match(text, /\| step \| 1 of 2: `greet`: Print a greeting \|/);
    assert.match(text, /## Doctor\n\n```text\n✓ endpoint [^\n]*\n(?: +[^\n]*\n)*✗ daemon /);
  });

  test('with nothing run yet, the bundle says so and still holds the doctor', async () => {
    const machine = learner('nothing');
    const cwd = join(root, 'nothing');
    const run = await reportIn(cwd, machine.env, ['--output', 'r.md']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'Your report is in r.md: send this file to your instructor.\n');
    const text = readFileSync(join(cwd, 'r.md'), 'utf8');
    assert.match(text, /\| lesson \| none: no lesson was opened yet \|/);
    assert.match(text, /No command is in the journal yet\./);
  });

  test('a corrupt journal is named in a sentence, and the report is written all the same', async () => {
    const machine = learner('corrupt');
    const file = journalFile(machine.env, { id: 'report-stuck', lang: 'en' });
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{ not json');
    const cwd = join(root, 'corrupt');
    const run = await reportIn(cwd, machine.env, ['--output', 'r.md']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stderr,
      `docker-lab: the journal ${file} is not valid JSON, so the report has no commands or checks of lesson en/report-stuck.\n`,
    );
    const text = readFileSync(join(cwd, 'r.md'), 'utf8');
    assert.match(
      text,
      /## Notes\n\n- The run journal could not be used: the journal .* is not valid JSON/,
    );
  });

  test('property: a secret set in the environment never appears in the bundle', async () => {
    const secret = fc
      .string({ minLength: 6, maxLength: 20, unit: 'grapheme-ascii' })
      .filter((s) => s.trim() === s && !/\s/.test(s));
    const variable = fc.constantFrom(
      'GITHUB_TOKEN',
      'MYSQL_ROOT_PASSWORD',
      'APP_SECRET',
      'REGISTRY_PASSWORD',
      'NPM_TOKEN',
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(variable, secret, async (name, value) => {
        const machine = learner(`property-${run++}`);
        // The lesson ran without the variable (another terminal), so its journal holds the
        // value as printed: only the report's redaction stands between it and the bundle.
        const journal = await RunJournal.open(LESSON, { env: machine.env });
        const step = LESSON.steps[0]!;
        journal.record({
          type: 'command-finished',
          step,
          command: { ...step.commands[0]!, script: `echo ${value}; login -p ${value}` },
          result: {
            stdout: `${value}\nvalue=${value}\n${value}${value}\n`,
            stderr: `error: ${value}`,
            exitCode: 1,
            timedOut: false,
            aborted: false,
            durationMs: 5,
          },
        });
        await journal.flush();
        const cwd = join(root, `property-${run - 1}`);
        const result = await reportIn(cwd, { ...machine.env, [name]: value }, ['-o', 'r.md']);
        assert.equal(result.code, 0, result.stderr);
        const text = readFileSync(join(cwd, 'r.md'), 'utf8');
        return !text.includes(value) && !text.includes(machine.home);
      }),
      { numRuns: 25 },
    );
  });
});
