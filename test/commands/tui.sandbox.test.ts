import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { ensureSandboxImage, sandboxObjects, TEST_ENGINE } from '../helpers/sandbox.js';
import { Tmux } from '../helpers/tmux.js';

/**
 * The learner's TUI on a sandbox (`docker-lab LESSON --sandbox`) in a real terminal, stopped from
 * outside while the lesson is open: killed (SIGTERM), and the terminal closed (SIGHUP). Either
 * way the sandbox is gone when docker-lab has exited. (Ink's signal-exit re-raised a signal it
 * saw no other handler for, which ended docker-lab before it removed its sandbox; SIGHUP was not
 * handled at all.)
 */
const CLI = resolve('dist/cli.js');
const LESSON = resolve('fixtures/lessons/sandbox/port-a.md');
const ownedBy = (pid: number): string[] => sandboxObjects({ ownerPid: pid });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(probe: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the TUI on a sandbox, stopped from outside', () => {
  const root = mkdtempSync(join(tmpdir(), 'docker-lab-tui-sandbox-'));

  before(async () => {
    await requireDaemon();
    await ensureBusyboxImage();
    await ensureSandboxImage();
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  /** docker-lab …/port-a.md --sandbox in a fresh terminal, the lesson open; its pid. */
  async function openLesson(term: Tmux): Promise<number> {
    term.line(
      `node ${CLI} ${LESSON} --sandbox --engine ${TEST_ENGINE} --lang en; echo "[docker-lab exited $?]"`,
    );
    // A lesson from a file is shown before it runs, and trusted by the learner.
    await term.waitFor('Trust this lesson? [y/N]');
    term.line('y');
    await term.waitFor(/── Step 1 of \d+/, { timeoutMs: 120_000 });
    const shell = Number(term.tmux('list-panes', '-t', 'main', '-F', '#{pane_pid}').trim());
    const pid = Number(
      execFileSync('pgrep', ['-P', String(shell), '-f', 'dist/cli.js'], { encoding: 'utf8' })
        .split('\n')[0]!
        .trim(),
    );
    assert.ok(pid > 0, 'docker-lab runs in the pane');
    assert.notDeepEqual(ownedBy(pid), [], 'its sandbox is there while the lesson is open');
    return pid;
  }

  const environment = (name: string): Record<string, string> => ({
    DOCKER_LAB_STATE_DIR: join(root, name),
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
  });

  test('killed (SIGTERM): the sandbox is removed, then docker-lab exits 143', async () => {
    const term = new Tmux('tui-sandbox-term', { env: environment('term') });
    try {
      const pid = await openLesson(term);
      process.kill(pid, 'SIGTERM');
      await term.waitFor('[docker-lab exited 143]', { timeoutMs: 60_000 });
      assert.deepEqual(ownedBy(pid), []);
    } finally {
      term.kill();
    }
  });

  test('the terminal closed (SIGHUP): the sandbox is removed before docker-lab is gone', async () => {
    const term = new Tmux('tui-sandbox-hup', { env: environment('hup') });
    let pid = 0;
    try {
      pid = await openLesson(term);
    } finally {
      // Killing the terminal's server hangs up its pane: the shell and docker-lab get SIGHUP.
      term.kill();
    }
    await until(() => !alive(pid), 60_000, `docker-lab (pid ${pid}) exits`);
    assert.deepEqual(ownedBy(pid), []);
  });
});
