/**
 * The practice shell as a learner uses it, in a real terminal (tmux): `docker-lab practice
 * first-run` on the course's own lesson, typing the commands; a slip in a name is named within
 * seconds; leaving the shell returns to the lesson, and leaving the lesson removes what was
 * typed there, on a yes. In English and in Chinese.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectFromEnv } from '../../src/docker/client.js';
import { acquireDaemonLock, type DaemonLock } from '../../src/run/daemon-lock.js';
import { requireDaemon } from '../helpers/daemon.js';
import { Tmux } from '../helpers/tmux.js';

const CLI = resolve('dist/cli.js');
const NAMES = ['dl-hello', 'dl_hello'];

function containers(): string[] {
  const out = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' });
  return out.split('\n').filter((name) => NAMES.includes(name));
}

function removeContainers(): void {
  try {
    execFileSync('docker', ['rm', '-f', ...NAMES], { stdio: 'ignore' });
  } catch {
    // None there.
  }
}

const LANGS = {
  en: {
    step2: '✓ Is the daemon there?',
    nearMiss: 'You created the container dl_hello; this step expects dl-hello.',
    step3: '✓ Run hello-world',
    help: 'Enter run · t type',
    cleanup: 'This lesson created:',
  },
  'zh-CN': {
    step2: '✓ 守护进程在吗？',
    nearMiss: '你创建的容器是 dl_hello，这一步要的是 dl-hello。',
    step3: '✓ 运行 hello-world',
    help: 'Enter 运行 · t 输入',
    cleanup: '本课创建了：',
  },
} as const;

let lock: DaemonLock | undefined;
before(async () => {
  await requireDaemon();
  // Leaving the lesson removes what was created while it ran: no verify may run meanwhile.
  const engine = await connectFromEnv(process.env);
  lock = await acquireDaemonLock(engine.endpoint.url);
  removeContainers();
});
after(async () => {
  removeContainers();
  await lock?.release();
});

for (const [lang, words] of Object.entries(LANGS)) {
  describe(`docker-lab practice first-run (${lang})`, () => {
    const root = mkdtempSync(join(tmpdir(), 'docker-lab-practice-'));
    let term: Tmux;

    before(() => {
      term = new Tmux(`practice-${lang}`, {
        env: { DOCKER_LAB_STATE_DIR: join(root, 'state'), LANG: 'C.UTF-8', TERM: 'xterm' },
        width: 100,
        height: 40,
      });
      term.line(`node ${CLI} practice first-run --lang ${lang}; echo "[docker-lab exited $?]"`);
    });
    after(() => {
      term.kill();
      rmSync(root, { recursive: true, force: true });
    });

    test('the shell opens in the lesson folder, showing the step and what to type', async () => {
      const screen = await term.waitFor(new RegExp(`\\[first-run 1/\\d\\] ${lang}-first-run \\$`), {
        timeoutMs: 30_000,
      });
      assert.match(screen, /docker version\n/);
      assert.match(screen, /cd .*\/work\/(en|zh-CN)-first-run\n/);
    });

    test('typing the step command passes it and shows the next step', async () => {
      term.line('docker version');
      const screen = await term.waitFor(new RegExp(`\\[first-run 2/\\d\\] ${lang}-first-run \\$`), {
        timeoutMs: 20_000,
      });
      assert.ok(screen.includes(words.step2), screen);
      assert.match(screen, /docker run --name dl-hello hello-world\n/);
    });

    test('a slip in the name is named within seconds', async () => {
      const started = Date.now();
      term.line('docker run --name dl_hello hello-world');
      await term.waitFor(words.nearMiss, { timeoutMs: 10_000 });
      assert.ok(Date.now() - started < 10_000);
    });

    test('the right command passes the step', async () => {
      term.line('docker run --name dl-hello hello-world');
      const screen = await term.waitFor(new RegExp(`\\[first-run 3/\\d\\] ${lang}-first-run \\$`), {
        timeoutMs: 20_000,
      });
      assert.ok(screen.includes(words.step3), screen);
    });

    test('exit returns to the lesson at the step reached; leaving it removes what was typed', async () => {
      term.line('exit');
      await term.waitFor(words.help, { timeoutMs: 15_000 });
      assert.match(term.screen(), /Step 3 of \d|第 3 步/);
      term.keys('q');
      const prompt = await term.waitFor(words.cleanup);
      assert.match(prompt, /container dl-hello|容器 dl-hello|dl-hello/);
      assert.match(
        prompt,
        /dl_hello/,
        'what the learner typed in the lesson shell is the lesson’s',
      );
      term.keys('y');
      await term.waitFor(/↑\/↓/, { timeoutMs: 20_000 });
      assert.deepEqual(containers(), []);
      term.keys('q');
      await term.waitFor('[docker-lab exited 0]');
    });
  });
}

describe('docker-lab practice in tmux: the shell beside the lesson', () => {
  const root = mkdtempSync(join(tmpdir(), 'docker-lab-practice-beside-'));
  let term: Tmux;
  const lessonPane = () => term.tmux('capture-pane', '-p', '-t', 'main.0');

  before(() => {
    term = new Tmux('practice-beside', {
      env: { DOCKER_LAB_STATE_DIR: join(root, 'state'), LANG: 'C.UTF-8', TERM: 'xterm' },
      width: 160,
      height: 40,
    });
    // The pane's shell starts without an environment (Tmux helper): say where tmux is, as a
    // learner's own tmux does.
    const tmux = term.tmux('display-message', '-p', '#{socket_path},#{pid},0').trim();
    term.line(
      `TMUX='${tmux}' node ${CLI} practice first-run --lang en; echo "[docker-lab exited $?]"`,
    );
  });
  after(() => {
    term.kill();
    rmSync(root, { recursive: true, force: true });
  });

  test('asked, the shell opens in a pane beside the lesson, and the lesson follows what is typed there', async () => {
    await term.waitFor('Open it beside the lesson?', { timeoutMs: 30_000 });
    term.keys('y');
    // The new pane has the focus: what is typed goes to the shell.
    await term.waitFor(/\[first-run 1\/\d\] en-first-run \$/, { timeoutMs: 20_000 });
    assert.equal(term.tmux('list-panes', '-t', 'main').trim().split('\n').length, 2);
    assert.match(lessonPane(), /Type in the pane on the right/);
    term.line('docker version');
    await term.waitFor(/\[first-run 2\/\d\] en-first-run \$/, { timeoutMs: 20_000 });
    // The lesson beside it moved on too.
    assert.match(lessonPane(), /Step 2 of \d/);
  });

  test('exit closes the pane and the lesson is still there', async () => {
    term.line('exit');
    const deadline = Date.now() + 15_000;
    while (term.tmux('list-panes', '-t', 'main').trim().split('\n').length > 1) {
      assert.ok(Date.now() < deadline, 'the pane closes');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await term.waitFor('Back in docker-lab.');
    term.keys('q');
    await term.waitFor(/↑\/↓/, { timeoutMs: 20_000 });
    term.keys('q');
    await term.waitFor('[docker-lab exited 0]');
  });
});
