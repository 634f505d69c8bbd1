import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { daemonListing } from '../helpers/listing.js';

const root = mkdtempSync(join(tmpdir(), 'dl-watch-'));
after(() => rmSync(root, { recursive: true, force: true }));
const id = `watched-${process.pid}`;
const course = join(root, 'course');
const en = join(course, 'en', `${id}.md`);
const zh = join(course, 'zh-CN', `${id}.md`);

before(async () => {
  await requireDaemon();
  const made = await runCli(['new', id, '--dir', course]);
  assert.equal(made.code, 0, made.stderr);
  // A file the lesson names, in its folder: watched with it.
  mkdirSync(join(course, 'en', 'notes'));
  writeFileSync(join(course, 'en', 'notes', 'extra.txt'), 'notes\n');
  // A step that takes a while: saves land while it runs.
  writeFileSync(
    en,
    `${readFileSync(en, 'utf8')}\nSee notes/extra.txt.\n`.replace(
      'busybox echo hello',
      "busybox sh -c 'sleep 2; echo hello'",
    ),
  );
});

/** The watching process, and a way to wait for what it prints. */
function startWatch() {
  const child = spawn(process.execPath, ['dist/cli.js', 'verify', '--watch', en], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const count = (re: RegExp) => out.match(new RegExp(re.source, 'gm'))?.length ?? 0;
  const until = async (what: string, done: () => boolean, ms = 60_000) => {
    for (const end = Date.now() + ms; Date.now() < end;) {
      if (done()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`timed out waiting for ${what}; output so far:\n${out}`);
  };
  return { child, exited, count, until, output: () => out };
}

const SEPARATOR = /^──── \d\d:\d\d:\d\d .* ────$/;
const WATCHING = /^watching 3 files for changes; Ctrl-C ends$/;
const RUNNING = /^ {4}\$ docker run --name dl-watched-\d+-hello /;

describe('verify --watch', () => {
  test('re-verifies on each save (its twin too), one run at a time, and Ctrl-C ends after the cleanup', async () => {
    const listed = daemonListing();
    const w = startWatch();
    await w.until('the first verdict', () => w.count(WATCHING) === 1);
    assert.match(w.output(), /^──── \d\d:\d\d:\d\d first run ────$/m);
    assert.match(w.output(), /^1 passed, 0 failed$/m);

    // A save that breaks the check: the verdict follows.
    writeFileSync(en, readFileSync(en, 'utf8').replace('contains: "hello"', 'contains: "bye"'));
    await w.until('the second verdict', () => w.count(WATCHING) === 2);
    assert.match(
      w.output(),
      new RegExp(`^──── \\d\\d:\\d\\d:\\d\\d .*en/${id}\\.md changed ────$`, 'm'),
    );
    assert.match(w.output(), /^0 passed, 1 failed$/m);

    // Saves during a run queue one run after it, never a second beside it.
    writeFileSync(en, readFileSync(en, 'utf8').replace('contains: "bye"', 'contains: "hello"'));
    await w.until('the third run to start its command', () => w.count(RUNNING) === 3);
    writeFileSync(en, `${readFileSync(en, 'utf8')}\n`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    writeFileSync(en, `${readFileSync(en, 'utf8')}\n`);
    await w.until('the queued run', () => w.count(WATCHING) === 4);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(w.count(SEPARATOR), 4, 'two saves during a run made one more run');
    const order = w
      .output()
      .split('\n')
      .filter((l) => SEPARATOR.test(l) || WATCHING.test(l))
      .map((l) => (SEPARATOR.test(l) ? 'start' : 'end'));
    assert.deepEqual(order, ['start', 'end', 'start', 'end', 'start', 'end', 'start', 'end']);

    // A file the lesson names is watched too.
    writeFileSync(join(course, 'en', 'notes', 'extra.txt'), 'more notes\n');
    await w.until('the run after the named file changed', () => w.count(WATCHING) === 5);
    assert.match(w.output(), /notes\/extra\.txt changed ────$/m);

    // And the twin.
    writeFileSync(zh, `${readFileSync(zh, 'utf8')}\n`);
    await w.until('the run after the twin changed', () => w.count(RUNNING) === 6);
    assert.match(w.output(), new RegExp(`zh-CN/${id}\\.md changed ────$`, 'm'));

    // Ctrl-C in the middle of that run, once its container exists: its cleanup finishes,
    // then the watch ends.
    const container = () =>
      execFileSync('docker', ['ps', '-aq', '--filter', `name=dl-${id}-hello`], {
        encoding: 'utf8',
      }).trim();
    await w.until('the container of the run', () => container() !== '');
    w.child.kill('SIGINT');
    const code = await w.exited;
    assert.equal(code, 130, w.output());
    assert.match(
      w.output().split(/^──── .*zh-CN.*$/m)[1]!,
      /cleaned up 1 resource the lesson created/,
    );
    assert.equal(container(), '');
    assert.deepEqual(daemonListing(), listed);
  });

  test('--watch needs the lessons to watch', async () => {
    const run = await runCli(['verify', '--watch']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--watch takes the lesson files to watch/);
  });
});
