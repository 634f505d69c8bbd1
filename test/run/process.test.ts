import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runShell } from '../../src/run/process.js';
import { killMarked, LESSON_MARKER_VARIABLE } from '../../src/run/process-tracker.js';

const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/root',
  TERM: 'xterm',
};

test('scripted input is typed a line at a time: a program that flushes the terminal loses nothing', async () => {
  // The first line's program discards typed-ahead input (as apt-get and pagers do); the next
  // line must be typed only once the shell prompts again.
  const flush = `python3 -c "import termios, time; time.sleep(0.5); termios.tcflush(0, termios.TCIFLUSH)"`;
  const result = await runShell('sh -i', {
    cwd: '/tmp',
    env: { ...env, PS1: '$ ' },
    timeoutMs: 20_000,
    tty: true,
    input: `${flush}\necho survived-$((1 + 1))\nexit\n`,
  });
  assert.equal(result.timedOut, false);
  assert.match(result.stdout, /^survived-2$/m);
  assert.equal(result.exitCode, 0);
});

test('a command that times out is killed with the children it started', async () => {
  const result = await runShell('sleep 3151 & sleep 3152', { cwd: '/tmp', env, timeoutMs: 500 });
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, null);
  const { execFileSync } = await import('node:child_process');
  assert.equal(
    execFileSync('sh', ['-c', 'pgrep -f "sleep 315[12]" || true'], { encoding: 'utf8' }),
    '',
  );
});

const running = async (pattern: string): Promise<string> => {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('sh', ['-c', `pgrep -f "${pattern}" || true`], { encoding: 'utf8' });
};

test('a setsid child is ended at the timeout, and the timeout is reported then, not when it exits', async () => {
  const result = await runShell('setsid sleep 3211', { cwd: '/tmp', env, timeoutMs: 1_000 });
  assert.equal(result.timedOut, true);
  assert.ok(result.durationMs < 4_000, `reported after ${result.durationMs} ms`);
  assert.equal(await running('sleep 321[1]'), '');
});

test('a setsid child holding the output does not keep its command running; the lesson ends it', async () => {
  const result = await runShell('setsid sleep 3212 & echo started', {
    cwd: '/tmp',
    env: { ...env, [LESSON_MARKER_VARIABLE]: `test-${process.pid}` },
    timeoutMs: 20_000,
  });
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, 'started\n');
  assert.ok(result.durationMs < 2_000, `returned after ${result.durationMs} ms`);
  assert.notEqual(
    await running('sleep 321[2]'),
    '',
    'it outlives the command, until the lesson ends',
  );
  await killMarked(`test-${process.pid}`, false, LESSON_MARKER_VARIABLE);
  assert.equal(await running('sleep 321[2]'), '');
});

test('a child in a terminal session of its own (script, setsid -f) is ended on abort', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const pending = runShell('setsid -f sleep 3213; sleep 3214', {
    cwd: '/tmp',
    env,
    timeoutMs: 60_000,
    tty: true,
    signal: controller.signal,
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  controller.abort();
  const result = await pending;
  assert.equal(result.aborted, true);
  assert.ok(Date.now() - started < 5_000);
  assert.equal(await running('sleep 321[34]'), '');
});
