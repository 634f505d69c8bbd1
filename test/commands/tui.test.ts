import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { connectFromEnv } from '../../src/docker/client.js';
import { acquireDaemonLock, type DaemonLock } from '../../src/run/daemon-lock.js';
import { requireDaemon } from '../helpers/daemon.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../helpers/images.js';
import { Tmux } from '../helpers/tmux.js';

/**
 * The built CLI in a real pseudo-terminal (tmux, 100x30), driven through a whole lesson
 * (fixtures/lessons/tui) the way a learner does: keys in, screen out. The course is the fixture
 * folder (DOCKER_LAB_COURSE_DIR) and progress lives in a temp folder (DOCKER_LAB_STATE_DIR).
 */
const run = promisify(execFile);
const CLI = resolve('dist/cli.js');
const COURSE = resolve('fixtures/lessons/tui');
const CONTAINERS = ['dl-tui-hello', 'dl-tui-idle', 'dl-tui-elsewhere', 'dl-tui-shell'];
const START = `node ${CLI} --lang en; echo "[docker-lab exited $?]"`;

/** The live step panel: the screen from the last step header down. */
function panel(screen: string): string {
  const at = screen.lastIndexOf('── Step ');
  return at < 0 ? '' : screen.slice(at);
}

const onStep = (n: number, title: string) => (screen: string) =>
  panel(screen).startsWith(`── Step ${n} of 5 · ${title} `);

async function lessonContainers(): Promise<string[]> {
  const { stdout } = await run('docker', [
    'ps',
    '-a',
    '--filter',
    'name=^dl-tui-',
    '--format',
    '{{.Names}}',
  ]);
  return stdout.split('\n').filter((name) => CONTAINERS.includes(name));
}

/** Leftovers of an earlier, interrupted run of this file (the fixture's names only). */
function removeLeftovers(): void {
  try {
    execFileSync('docker', ['rm', '-f', ...CONTAINERS], { stdio: 'ignore' });
  } catch {
    // None there.
  }
}

describe('a whole lesson in a real terminal', () => {
  const root = mkdtempSync(join(tmpdir(), 'docker-lab-e2e-'));
  const state = join(root, 'state');
  let term: Tmux;
  let lock: DaemonLock | undefined;

  before(async () => {
    await requireDaemon();
    // Cleanup removes what was created on the daemon while the lesson ran, whoever made it:
    // hold the lock `docker-lab verify` takes, so no verify run creates containers meanwhile.
    const engine = await connectFromEnv(process.env);
    lock = await acquireDaemonLock(engine.endpoint.url);
    assert.equal(await ensureBusyboxImage(), BUSYBOX_IMAGE);
    removeLeftovers();
    term = new Tmux('lesson', {
      env: {
        DOCKER_LAB_STATE_DIR: state,
        DOCKER_LAB_COURSE_DIR: COURSE,
        LANG: 'C.UTF-8',
        TERM: 'xterm-256color',
      },
    });
    term.line(START);
  });

  after(async () => {
    term?.kill();
    removeLeftovers();
    await lock?.release();
    rmSync(root, { recursive: true, force: true });
  });

  test('the list shows the course; Enter opens the lesson at its first step', async () => {
    const list = await term.waitFor('↑/↓ choose · Enter or 1-9 open · q quit');
    assert.match(list, /docker-lab — learn Docker by doing\n\n› {3}1 {2}Driving the TUI +5m\n/);
    term.keys('Enter');
    const screen = await term.waitFor(onStep(1, 'Run a container'));
    assert.match(screen, /A lesson for the end-to-end tests: each step exercises one thing/);
    assert.match(
      panel(screen),
      /Enter runs:\n {2}\$ docker run --name dl-tui-hello docker-lab-test\/busybox:latest echo hello from the tui\n/,
    );
  });

  test('Enter runs the step: its output, then its checks passed, in words', async () => {
    term.keys('Enter');
    const screen = await term.waitFor(
      (s) => onStep(1, 'Run a container')(s) && panel(s).includes('Step complete.'),
    );
    assert.match(
      screen,
      /\$ docker run --name dl-tui-hello .*\n {2}hello from the tui\n {2}\(exit 0\)\n/,
    );
    assert.match(
      panel(screen),
      /✓ echo printed hello from the tui\n✓ the container dl-tui-hello exited with code 0\nStep complete\.\n/,
    );
  });

  test('a check that fails says what it found and how to fix it', async () => {
    term.keys('Enter');
    await term.waitFor(onStep(2, 'Start what you created'));
    term.keys('Enter');
    const screen = await term.waitFor((s) => panel(s).includes('Not yet:'));
    const failure = panel(screen);
    assert.match(
      failure,
      /Not yet:\n✗ the container dl-tui-idle is running\n {2}status: expected equals "running", found "created"\n/,
    );
    assert.match(failure, / {2}likeliest fix: Start it with docker start dl-tui-idle\.\n/);
  });

  test('h shows the hints one at a time, s the solution, and Enter then passes the step', async () => {
    term.keys('h');
    let screen = await term.waitFor((s) => panel(s).includes('Hint 1/2'));
    assert.match(
      panel(screen),
      /Hint 1\/2: a created container is not running yet; docker start starts it\.\n/,
    );
    assert.doesNotMatch(panel(screen), /Hint 2\/2/);
    term.keys('h');
    await term.waitFor((s) => panel(s).includes('Hint 2/2: the name is dl-tui-idle.'));
    term.keys('h');
    await term.waitFor((s) => panel(s).includes('No more hints: s shows the solution.'));
    term.keys('s');
    screen = await term.waitFor((s) => panel(s).includes('  $ docker start dl-tui-idle'));
    assert.match(panel(screen), /│ Solution +│/);
    term.keys('Enter');
    screen = await term.waitFor((s) => panel(s).includes('Step complete.'));
    assert.match(panel(screen), /✓ the container dl-tui-idle is running\nStep complete\./);
    const progress = JSON.parse(readFileSync(join(state, 'progress.json'), 'utf8')) as {
      lessons: Record<string, { hints?: Record<string, number> }>;
    };
    assert.deepEqual(progress.lessons['tui-drive']?.hints, { start: 2 });
  });

  test('a step done from a second shell completes by itself', async () => {
    term.keys('Enter');
    await term.waitFor(onStep(3, 'From another terminal'));
    // The learner types the command in a terminal of their own: no key reaches the TUI.
    await run('docker', ['run', '-d', '--name', 'dl-tui-elsewhere', BUSYBOX_IMAGE, 'sleep', '300']);
    const screen = await term.waitFor((s) => panel(s).includes('Step complete.'));
    // This check has no description: the TUI falls back to its id.
    assert.match(panel(screen), /✓ elsewhere-exists\nStep complete\./);
  });

  test('an interactive step hands the terminal to the container and takes it back', async () => {
    term.keys('Enter');
    await term.waitFor(onStep(4, 'A shell with a terminal'));
    term.keys('Enter');
    await term.waitFor(/The terminal is yours[^\n]*\n\$ docker run -it [^\n]*\n[\s\S]*^\/ #$/m);
    term.line('echo "my PID is $$"');
    await term.waitFor('my PID is 1');
    term.line('exit');
    const screen = await term.waitFor(
      (s) => onStep(4, 'A shell with a terminal')(s) && panel(s).includes('Step complete.'),
    );
    assert.match(
      panel(screen),
      /✓ the shell said its PID is 1\n✓ the container dl-tui-shell exited with code 0\nStep complete\./,
    );
    // The UI came back where it was: what it had printed is not printed a second time.
    const all = term.screen({ history: true });
    assert.equal(all.split('A lesson for the end-to-end tests').length - 1, 1, all);
    assert.equal(all.split('hello from the tui\n  (exit 0)').length - 1, 1, all);
  });

  test('q asks before cleaning up; y removes exactly what the lesson created', async () => {
    term.keys('Enter');
    await term.waitFor(onStep(5, 'A quiz'));
    assert.deepEqual((await lessonContainers()).sort(), [...CONTAINERS].sort());
    term.keys('q');
    const prompt = await term.waitFor('Remove them now?');
    const listed = [...prompt.matchAll(/^│ {3}container (\S+) +│$/gm)].map((m) => m[1]);
    if (listed.some((name) => !CONTAINERS.includes(name ?? ''))) {
      // Something else made containers on this daemon meanwhile: never remove those.
      term.keys('n');
      await term.waitFor('Kept.');
      assert.fail(`another process created containers during the lesson: ${listed.join(', ')}`);
    }
    assert.deepEqual(listed, CONTAINERS);
    term.keys('y');
    const list = await term.waitFor('Removed 4 resources the lesson created.');
    assert.deepEqual(await lessonContainers(), []);
    assert.match(list, /› {3}1 {2}Driving the TUI +5m +4\/5 steps\n/);
    term.keys('q');
    await term.waitFor('[docker-lab exited 0]');
  });

  test('started again, the progress is kept: the list shows it and the lesson opens where it was', async () => {
    term.line('clear');
    await term.waitFor((s) => s.startsWith('$'));
    term.tmux('clear-history', '-t', 'main');
    term.line(START);
    const list = await term.waitFor(/› {3}1 {2}Driving the TUI +5m +4\/5 steps\n/);
    assert.match(list, /↑\/↓ choose · Enter or 1-9 open · q quit/);
    term.keys('Enter');
    let screen = await term.waitFor(onStep(5, 'A quiz'));
    assert.match(panel(screen), /What was PID 1 in the container\?\n \[ \] 1\. init\n/);
    term.keys('2');
    await term.waitFor((s) => panel(s).includes(' [x] 2. the shell'));
    term.keys('Enter');
    screen = await term.waitFor((s) => panel(s).includes('Lesson complete.'));
    assert.match(panel(screen), /Lesson complete\. q returns to the list\.\nRight\.\n/);
    term.keys('q');
    await term.waitFor(/› {3}1 {2}Driving the TUI +5m +✓ done\n/);
    term.keys('q');
    await term.waitFor('[docker-lab exited 0]');
  });
});

describe('the terminal around the TUI', () => {
  const root = mkdtempSync(join(tmpdir(), 'docker-lab-e2e-term-'));
  const env = {
    DOCKER_LAB_STATE_DIR: join(root, 'state'),
    DOCKER_LAB_COURSE_DIR: COURSE,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
  };

  after(() => rmSync(root, { recursive: true, force: true }));

  test('without a terminal on stdin it prints the plain list and exits at end of input', async () => {
    // script(1) gives stdout a terminal; stdin is a pipe that ends at once.
    const { stdout } = await run(
      'script',
      ['-qec', `printf '' | node ${CLI} --lang en; echo "[exit $?]"`, '/dev/null'],
      { env: { ...process.env, ...env }, timeout: 30_000 },
    );
    assert.equal(
      stdout.replace(/\r\n/g, '\n'),
      [
        'docker-lab — learn Docker by doing',
        ' 1. Driving the TUI (5m)',
        'number: open a lesson · q: quit',
        '[exit 0]',
        '',
      ].join('\n'),
    );
  });

  test('piped, a lesson runs line by line and a question is answered by the next line', async () => {
    removeLeftovers();
    // Open lesson 1, run its first step, leave; "y" answers the cleanup question; q quits.
    const { stdout } = await run(
      'sh',
      ['-c', `printf '1\\n\\nq\\ny\\nq\\n' | node ${CLI} --lang en; echo "[exit $?]"`],
      {
        env: { ...process.env, ...env, DOCKER_LAB_STATE_DIR: join(root, 'piped') },
        timeout: 60_000,
      },
    );
    assert.match(
      stdout,
      /\$ docker run --name dl-tui-hello[^\n]*\n {2}hello from the tui\n {2}\(exit 0\)/,
    );
    assert.match(stdout, /This lesson created:\n {2}container dl-tui-hello\n/);
    assert.match(stdout, /Removed 1 resource the lesson created\.\n/);
    assert.match(stdout, /\[exit 0\]\n$/);
    assert.deepEqual(await lessonContainers(), []);
  });

  test('Ctrl-C quits and leaves the terminal as it was (line editing and echo on)', async () => {
    const term = new Tmux('ctrl-c', { env });
    try {
      term.line(START);
      await term.waitFor('↑/↓ choose · Enter or 1-9 open · q quit');
      term.keys('Enter');
      await term.waitFor(onStep(1, 'Run a container'));
      term.keys('C-c');
      await term.waitFor('[docker-lab exited 0]');
      // The pane's shell still answers, and the terminal modes are back to cooked.
      term.line(
        'echo "MODES:$(stty -a | tr " ;" "\\n\\n" | grep -xE -- "-?(icanon|echo|isig)" | tr "\\n" " ")"',
      );
      const screen = await term.waitFor(/^MODES:.*$/m);
      const modes = /^MODES:(.*)$/m.exec(screen)?.[1]?.trim().split(' ').sort();
      assert.deepEqual(modes, ['echo', 'icanon', 'isig']);
    } finally {
      term.kill();
    }
  });

  test('NO_COLOR: the screen has no colours', async () => {
    const term = new Tmux('no-color', { env: { ...env, NO_COLOR: '1' } });
    try {
      term.line(START);
      const screen = await term.waitFor('↑/↓ choose · Enter or 1-9 open · q quit', {
        escapes: true,
      });
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(screen, /\u001b\[[0-9;]*(3[0-9]|9[0-7]|38;)[0-9;]*m/);
      term.keys('q');
      await term.waitFor('[docker-lab exited 0]');
    } finally {
      term.kill();
    }
  });
});
