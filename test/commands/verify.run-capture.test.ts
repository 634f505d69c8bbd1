/**
 * verify with what real lessons need on the run side: checks scoped to what the lesson run
 * created (`createdBy`), values captured in one step and used in later ones (`capture`,
 * `${NAME}`), and a failing step's report that leads with its first failed command.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';
import { uniqueName } from '../helpers/kind-context.js';
import { startDind, type Dind } from '../helpers/dind.js';

const FIX = 'fixtures/lessons/run-capture';

/**
 * A daemon of this file's own: "the daemon ends as it began" is then exact, whatever the other
 * users of the machine's daemon do meanwhile.
 */
let dind: Dind;
const env = (): Record<string, string> => dind.env;
const docker = (...args: string[]): string =>
  execFileSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
const verify = (args: string[]) => runCli(['verify', ...args], env());
const listing = () => daemonListing({ ...process.env, ...env() });

interface JsonStep {
  id: string;
  status: string;
  commands: { script: string; exitCode: number }[];
  after: { id: string; ok: boolean; mismatches: { field: string; actual: unknown }[] }[];
}

function steps(stdout: string): JsonStep[] {
  return JSON.parse(stdout).lessons[0].steps as JsonStep[];
}

before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  dind = await startDind('bookworm');
  // The lessons' image, and the helper a daemon that shares no folder with this machine needs.
  execFileSync(
    'sh',
    [
      '-c',
      `docker save ${BUSYBOX_IMAGE} busybox:latest | DOCKER_HOST=${dind.dockerHost} docker load -q`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
  );
});
after(() => dind?.remove());

describe('createdBy: checks look only at what this lesson run created', () => {
  // An image of this test's own, so that nobody else's containers of it exist on the daemon.
  const image = `${uniqueName('dl-createdby')}:latest`;
  const dir = mkdtempSync(join(tmpdir(), 'dl-createdby-'));
  let learners = '';

  const lesson = (checks: string): string => {
    const file = join(dir, `${uniqueName('createdby')}.md`);
    writeFileSync(
      file,
      `---
id: created-by
title: Unnamed containers of one image
lang: en
images: [${image}]
---
# Unnamed containers of one image

## Run one {#one}

\`\`\`sh
docker run ${image} true
\`\`\`

\`\`\`yaml check
${checks.replaceAll('STEP', 'one')}
\`\`\`

## Run another {#two}

\`\`\`sh
docker run ${image} true
\`\`\`

\`\`\`yaml check
${checks.replaceAll('STEP', 'two')}
\`\`\`
`,
    );
    return file;
  };

  before(() => {
    docker('tag', BUSYBOX_IMAGE, image);
    // The learner's own unnamed container of that image, made before the lesson, that failed.
    learners = docker('run', '-d', image, 'sh', '-c', 'exit 3');
    docker('wait', learners);
  });
  after(() => {
    docker('rm', '-f', learners);
    docker('rmi', image);
    rmSync(dir, { recursive: true, force: true });
  });

  test('with createdBy, the learner’s own container is not looked at nor counted; lesson and step scopes differ', async () => {
    const listed = listing();
    // The lesson's container of the first step is there before the second: `before: any`.
    const file = lesson(`- id: lessons-STEP
  description: the lesson's containers of the image exited with 0
  container: { ancestor: ${image}, createdBy: lesson, exitCode: 0 }
  before: any
- id: steps-STEP
  description: this step made exactly one container of the image
  container: { ancestor: ${image}, createdBy: step, count: 1 }`);
    const run = await verify(['--reporter', 'json', file]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(
      steps(run.stdout).map((s) => s.status),
      ['passed', 'passed'],
    );
    // The learner's container is still there, untouched; the lesson's are gone.
    assert.equal(docker('inspect', '-f', '{{.State.ExitCode}}', learners), '3');
    assert.deepEqual(listing(), listed);
  });

  test('createdBy: lesson counts every container the run made, createdBy: step only this step’s', async () => {
    const file = lesson(`- id: lesson-count-STEP
  description: the lesson made one container of the image
  container: { ancestor: ${image}, createdBy: lesson, count: 1 }
  before: any`);
    const run = await verify(['--reporter', 'json', file]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const [one, two] = steps(run.stdout);
    assert.equal(one!.status, 'passed');
    assert.equal(two!.status, 'failed');
    assert.deepEqual(
      two!.after[0]!.mismatches.map((m) => [m.field, m.actual]),
      [['count', 2]],
      'the second step sees both of the lesson’s containers, and not the learner’s',
    );
  });

  test('without createdBy, the learner’s container is seen: counted, and looked at before the step', async () => {
    const listed = listing();
    const file = lesson(`- id: any-STEP
  description: one container of the image exited with 0
  container: { ancestor: ${image}, count: 1 }`);
    const run = await verify(['--reporter', 'json', file]);
    assert.equal(run.code, 1);
    const [one] = steps(run.stdout) as (JsonStep & { before: { pass: boolean }[] })[];
    // Before the lesson made anything, the learner's container already made "one container" hold.
    assert.equal(one!.status, 'unsound');
    assert.equal(one!.before[0]!.pass, true);
    assert.deepEqual(
      one!.after[0]!.mismatches.map((m) => [m.field, m.actual]),
      [['count', 2]],
      'the learner’s container is counted with the lesson’s',
    );
    assert.deepEqual(listing(), listed);
  });
});

describe('captured values', () => {
  test('an IP and a container id captured in one step are used by later commands and checks', async () => {
    const listed = listing();
    const run = await verify([`${FIX}/captures.md`]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    // The command is shown as it ran: with the value, not the name.
    assert.match(
      run.stdout,
      /^ {4}\$ docker run --rm docker-lab-test\/busybox:latest wget -qO- "http:\/\/\d+\.\d+\.\d+\.\d+\/"; echo "the shell keeps \$\{DOCKER_LAB\}"$/m,
    );
    assert.match(run.stdout, /^ {4}\$ docker stop [0-9a-f]{12}$/m);
    assert.doesNotMatch(run.stdout, /\$\{(IP|WEB_ID|WEB_SHORT)\}/);
    assert.deepEqual(listing(), listed);
  });
});

describe('a failing step’s report', () => {
  test('leads with the first command that failed, its exit code and output, without escape codes', async () => {
    const run = await verify([`${FIX}/first-failure.md`]);
    assert.equal(run.code, 1);
    const report = run.stdout.slice(run.stdout.indexOf('FAIL two'));
    const first = report.indexOf(
      "the first command that failed: `printf '\\033[6n\\033[31mdl-first-failure: name already in use\\033[0m\\n' >&2; exit 1`, exit 1:",
    );
    assert.ok(first > 0, report);
    assert.ok(first < report.indexOf('never'), 'before the failing check');
    assert.ok(report.indexOf('dl-first-failure: name already in use') > first);
    assert.ok(
      report.indexOf("usage: a later command's long usage text") > report.indexOf('never'),
      'the last command’s output follows the checks',
    );
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(run.stdout, /\u001b/, 'no escape codes');
  });

  test('the JUnit report shows the commands’ output without escape codes or their remains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dl-junit-escapes-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'report.xml');
    const run = await verify(['--reporter', 'junit', '--output', file, `${FIX}/first-failure.md`]);
    assert.equal(run.code, 1);
    const xml = readFileSync(file, 'utf8');
    assert.match(xml, /<system-out>[^<]*\ndl-first-failure: name already in use\n/);
    // What xml() alone would leave of the codes in the output (the command line quotes them).
    assert.doesNotMatch(xml, /\[6n\[31mdl-first-failure|already in use\[0m/);
  });
});
