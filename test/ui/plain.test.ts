/**
 * The TUI without a terminal (src/ui/plain.ts), driven as a learner would with a pipe: lines
 * in, lines out, against the real daemon.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { connectFromEnv } from '../../src/docker/client.js';
import { acquireDaemonLock, type DaemonLock } from '../../src/run/daemon-lock.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';
import { Tmux } from '../helpers/tmux.js';

const run = promisify(execFile);
const CLI = resolve('dist/cli.js');
const COURSE = resolve('fixtures/lessons/tui');
const root = mkdtempSync(join(tmpdir(), 'dl-plain-'));
after(() => rmSync(root, { recursive: true, force: true }));

let lock: DaemonLock | undefined;
before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  // A learner's cleanup removes what was created on the daemon while the lesson ran: hold the
  // lock verify takes, so no verify run creates objects meanwhile (as test/commands/tui does).
  lock = await acquireDaemonLock((await connectFromEnv(process.env)).endpoint.url);
});
after(async () => {
  await lock?.release();
});

/** docker-lab with `input` piped in; what it printed and its exit code. */
async function piped(input: string, state: string): Promise<string> {
  const { stdout } = await run(
    'sh',
    ['-c', `printf '${input}' | node ${CLI} --lang en; echo "[exit $?]"`],
    {
      env: {
        ...process.env,
        DOCKER_LAB_COURSE_DIR: COURSE,
        DOCKER_LAB_STATE_DIR: join(root, state),
        LANG: 'C.UTF-8',
        NO_COLOR: '1',
      },
      timeout: 60_000,
    },
  );
  return stdout;
}

const count = (text: string, line: string) => text.split('\n').filter((l) => l === line).length;

describe('plain mode (no terminal)', () => {
  test('each line is printed once, in order: the step, what Enter runs, then its result', async () => {
    const listed = daemonListing();
    // Open lesson 1, run its first step, then input ends.
    const out = await piped('1\\n\\n', 'once');
    assert.equal(count(out, 'Enter runs:'), 1, out);
    assert.equal(
      count(out, 'Enter run · t type · c check · h hint · s answer · n/p step · x reset · q leave'),
      2,
      'the help follows the step, then its result',
    );
    const heading = out.indexOf('Step 1 of 5: Run a container');
    const willRun = out.indexOf('Enter runs:');
    const ran = out.indexOf('  hello from the tui\n');
    assert.ok(heading >= 0 && heading < willRun && willRun < ran, out);
    // Input ended with the lesson open: the cleanup question takes its default, and says so.
    assert.match(
      out,
      /Remove them now\?.*\[Y\/n\]\nInput ended: every question takes its default answer, so what this lesson created is removed and nothing of yours is touched\.\nRemoved 1 resource the lesson created\.\n/,
    );
    assert.match(out, /\[exit 0\]\n$/);
    assert.deepEqual(daemonListing(), listed);
  });

  test('a quiz is answered with typed numbers; a number out of range says which are allowed', async () => {
    // Open the lesson, go to step 5 (the quiz), answer 7, then 1 (wrong), then 2 (right).
    const out = await piped('1\\nn\\nn\\nn\\nn\\n7\\n1\\n2\\nq\\n', 'quiz');
    assert.match(out, /What was PID 1 in the container\?\n {2}\[ \] 1\. init\n/);
    assert.match(
      out,
      /type the number of your answer \(several: 1,3\) · h hint · n next · p back · q leave/,
    );
    assert.match(out, /Answer with numbers from 1 to 3, like 2 or 1,3\./);
    assert.match(out, /\[x\] 1\. init\n[^]*Not quite: try again/);
    assert.match(out, /\[x\] 2\. the shell\n[^]*Right\./);
    assert.match(out, /\[exit 0\]\n$/);
  });

  test('TERM=dumb on a terminal is plain mode too', async () => {
    const term = new Tmux('plain-dumb', {
      env: {
        DOCKER_LAB_STATE_DIR: join(root, 'dumb'),
        DOCKER_LAB_COURSE_DIR: COURSE,
        LANG: 'C.UTF-8',
        TERM: 'dumb',
      },
    });
    try {
      term.line(`node ${CLI} --lang en; echo "[docker-lab exited $?]"`);
      const screen = await term.waitFor('number: open a lesson · q: quit');
      assert.doesNotMatch(screen, /↑\/↓ choose/);
      term.line('q');
      await term.waitFor('[docker-lab exited 0]');
    } finally {
      term.kill();
    }
  });
});

// Not needed by the tests above, but keeps a failed run from leaving the fixture's containers.
after(() => {
  for (const name of ['dl-tui-hello'])
    try {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    } catch {
      // Not there.
    }
});
