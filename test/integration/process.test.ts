import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runShell } from '../../src/run/process.js';

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
