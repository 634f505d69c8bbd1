/**
 * The `logs` and `exec` check kinds against the real daemon: TTY and non-TTY streams, the
 * since-the-step window, no stdin for exec, and the states that end waiting early.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Dockerode from 'dockerode';
import { requireDaemon } from '../../helpers/daemon.js';
import { ensureBusyboxImage } from '../../helpers/images.js';
import {
  checkContext,
  removeAll,
  TEST_LABELS,
  uniqueName,
  waitFor,
  verdict,
} from '../../helpers/kind-context.js';
import { daemonNow } from '../../../src/docker/daemon-time.js';
import { logsKind } from '../../../src/checks/kinds/logs.js';
import { execKind } from '../../../src/checks/kinds/exec.js';

const docker = new Dockerode();
const ctx = () => checkContext(docker);
const created: string[] = [];
let image = '';

before(async () => {
  await requireDaemon();
  image = await ensureBusyboxImage();
});
after(() => removeAll(docker, { containers: created }));

/** Creates (and unless told otherwise starts) a busybox container running `script`. */
async function container(
  script: string,
  options: { tty?: boolean; start?: boolean; waitExit?: boolean } = {},
): Promise<string> {
  const name = uniqueName('dl-test-kind');
  created.push(name);
  const c = await docker.createContainer({
    name,
    Image: image,
    Labels: TEST_LABELS,
    Tty: options.tty ?? false,
    Cmd: ['sh', '-c', script],
  });
  if (options.start !== false) await c.start();
  if (options.waitExit) await c.wait();
  return name;
}

const seconds = async (): Promise<number> => Number(await daemonNow(docker)) / 1e9;

describe('logs', () => {
  test('without a TTY, stdout and stderr are told apart and `text` has both', async () => {
    const name = await container('echo out-line; echo err-line >&2; sleep 600');
    const result = await waitFor(
      logsKind,
      {
        container: name,
        since: 'start',
        text: { all: [{ contains: 'out-line' }, { contains: 'err-line' }] },
        stdout: 'out-line\n',
        stderr: 'err-line\n',
      },
      ctx(),
      10_000,
    );
    assert.equal(result.pass, true, JSON.stringify(result.observation));
    assert.equal(result.observation.subject, `logs of container ${name}`);
  });

  test('with a TTY the stream is raw: all of it is stdout, colours removed', async () => {
    const name = await container('printf "\\033[32mgreen\\033[0m\\n"; sleep 600', { tty: true });
    const result = await waitFor(
      logsKind,
      { container: name, since: 'start', text: 'green\n', stdout: 'green\n', stderr: '' },
      ctx(),
      10_000,
    );
    assert.equal(result.pass, true, JSON.stringify(result.observation));
  });

  test('by default only what was logged since the step began counts; it may come later', async () => {
    const name = await container('echo early; sleep 2; echo late; sleep 600');
    await waitFor(logsKind, { container: name, since: 'start', text: 'early\n' }, ctx(), 10_000);
    const step = checkContext(docker, { stepStartedAt: await seconds() });

    const waited = await waitFor(logsKind, { container: name, text: 'late\n' }, step, 10_000);
    assert.equal(waited.pass, true, JSON.stringify(waited.observation));
    assert.ok(waited.attempts > 1, 'the line came after the first attempt');

    const lesson = await logsKind.evaluate(
      { container: name, since: 'lesson', text: 'early\nlate\n' },
      step,
    );
    assert.equal(lesson.pass, true, JSON.stringify(lesson));
  });

  test('a container that exited fails at once, with its state and a snapshot', async () => {
    const name = await container('echo bye; exit 3', { waitExit: true });
    const result = await waitFor(
      logsKind,
      { container: name, since: 'start', text: { contains: 'ready' } },
      ctx(),
      10_000,
    );
    assert.equal(result.pass, false);
    assert.equal(result.attempts, 1, 'an exited container logs nothing more: no waiting');
    const { observation } = result;
    assert.deepEqual(observation.mismatches, [
      {
        field: 'text',
        expected: 'contains "ready"',
        actual: 'bye\n',
        matcher: { contains: 'ready' },
      },
    ]);
    assert.equal(observation.terminal, 'exited (exit code 3)');
    assert.equal(
      observation.fix,
      `Start it: docker start ${name} (its logs say why it stopped: docker logs ${name})`,
    );
    assert.deepEqual(
      { ...observation.snapshot, id: undefined },
      {
        name,
        id: undefined,
        image,
        status: 'exited',
        exitCode: 3,
        logTail: ['bye'],
      },
    );
  });

  test('a missing container is a mismatch that names it', async () => {
    const missing = uniqueName('dl-test-none');
    const observation = await logsKind.evaluate({ container: missing, text: 'x' }, ctx());
    assert.deepEqual(verdict(observation), {
      subject: `logs of container ${missing}`,
      pass: false,
      mismatches: [
        {
          field: 'container',
          expected: `a container named ${missing}`,
          actual: 'no such container',
        },
      ],
      fix: `No container is named ${missing}: list them with docker ps -a`,
    });
  });
});

describe('exec', () => {
  let running = '';
  before(async () => {
    running = await container('sleep 600');
  });

  test('runs text through sh -c and compares exit code, stdout and stderr', async () => {
    const observation = await execKind.evaluate(
      {
        container: running,
        command: 'echo hi; echo oops >&2; exit 3',
        exitCode: 3,
        stdout: 'hi\n',
        stderr: 'oops\n',
      },
      ctx(),
    );
    assert.deepEqual(observation, {
      subject: `exec in ${running}: echo hi; echo oops >&2; exit 3`,
      pass: true,
      mismatches: [],
      // What a `capture` can take from it.
      observed: { exitCode: 3, stdout: 'hi\n', stderr: 'oops\n' },
    });
  });

  test('a list is the exact argv, no shell in between', async () => {
    const observation = await execKind.evaluate(
      { container: running, command: ['echo', 'a  b; $HOME'], stdout: 'a  b; $HOME\n' },
      ctx(),
    );
    assert.equal(observation.pass, true, JSON.stringify(observation));
  });

  test('runs as `user`', async () => {
    const observation = await execKind.evaluate(
      { container: running, command: 'id -u', user: '1234', stdout: '1234\n' },
      ctx(),
    );
    assert.equal(observation.pass, true, JSON.stringify(observation));
  });

  test('never attaches stdin: a command reading it sees end of input at once', async () => {
    const observation = await execKind.evaluate(
      { container: running, command: 'cat', exitCode: 0, stdout: '' },
      ctx(),
    );
    assert.equal(observation.pass, true, JSON.stringify(observation));
  });

  test('reports each field that differs', async () => {
    const observation = await execKind.evaluate(
      { container: running, command: 'echo hi', exitCode: 1, stdout: { contains: 'bye' } },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'exitCode', expected: 'equals 1', actual: 0 },
      { field: 'stdout', expected: 'contains "bye"', actual: 'hi\n' },
    ]);
    assert.equal(observation.terminal, undefined);
  });

  test('a command missing from the image (127) stops waiting', async () => {
    const result = await waitFor(
      execKind,
      { container: running, command: 'nosuchcommand', exitCode: 0 },
      ctx(),
      10_000,
    );
    assert.equal(result.pass, false);
    assert.equal(result.attempts, 1);
    assert.equal(result.observation.terminal, 'exit code 127: sh: nosuchcommand: not found');
    assert.equal(
      result.observation.fix,
      `The command is not in the image of ${running}: check its spelling, or install it in the image`,
    );
  });

  test('an argv the runtime cannot start (126) stops waiting too', async () => {
    const observation = await execKind.evaluate(
      { container: running, command: ['/no/such/binary'], exitCode: 0 },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'exitCode', expected: 'equals 0', actual: 126 },
    ]);
    assert.match(observation.terminal ?? '', /^exit code 126: .*no such file or directory/);
  });

  test('waits for a state that becomes true later', async () => {
    const name = await container('sleep 2; touch /ready; sleep 600');
    const result = await waitFor(
      execKind,
      { container: name, command: 'test -f /ready', exitCode: 0 },
      ctx(),
      10_000,
      250,
    );
    assert.equal(result.pass, true, JSON.stringify(result.observation));
    assert.ok(result.attempts > 1);
  });

  test('a container that is not running is a mismatch; one that exited ends the wait', async () => {
    const never = await container('sleep 600', { start: false });
    const createdOnly = await execKind.evaluate(
      { container: never, command: 'true', exitCode: 0 },
      ctx(),
    );
    assert.deepEqual(createdOnly.mismatches, [
      { field: 'container', expected: 'running', actual: 'created' },
    ]);
    assert.equal(createdOnly.terminal, undefined, 'a created container may still be started');

    const exited = await container('exit 0', { waitExit: true });
    const result = await waitFor(
      execKind,
      { container: exited, command: 'true', exitCode: 0 },
      ctx(),
      10_000,
    );
    assert.equal(result.attempts, 1);
    assert.deepEqual(
      result.observation.mismatches.map(({ field, expected, actual }) => ({
        field,
        expected,
        actual,
      })),
      [{ field: 'container', expected: 'running', actual: 'exited (exit code 0)' }],
    );
    assert.equal(result.observation.terminal, 'exited (exit code 0)');
    assert.equal(result.observation.snapshot?.status, 'exited');
  });

  test('a missing container is a mismatch that names it', async () => {
    const missing = uniqueName('dl-test-none');
    const observation = await execKind.evaluate(
      { container: missing, command: 'true', exitCode: 0 },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'container', expected: `a container named ${missing}`, actual: 'no such container' },
    ]);
  });
});
