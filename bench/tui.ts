/**
 * The TUI, through the built CLI (dist/cli.js) in a pseudo-terminal (util-linux script(1) at
 * 100x30), each figure against a baseline measured in the same run:
 *   a. cold start: `docker-lab --lang en` until its first frame (the course title) is on the
 *      terminal, vs `node -e 0` in the same kind of terminal (target: at most 1.8x)
 *   b. a step printing 100,000 lines: Enter to its check passed, vs `seq 1 100000` printed raw
 *      to the same kind of terminal (target: at most 1.3x); docker-lab's peak RSS (target: under
 *      150 MiB); a key pressed during the output is answered before the command ends (every time)
 *   c. an Engine event to the step shown done: a container created from outside while the TUI
 *      waits on a `container: {exists: true}` check (target: median 150 ms or less)
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { removeNamed, uniquePrefix } from './lib/docker.js';
import { BIN, median, now, onInterrupt, say, type Row } from './lib/measure.js';

const run = promisify(execFile);
const IMAGE = 'docker-lab-test/busybox:latest';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A command in a 100x30 pseudo-terminal, and everything it printed so far. */
class Pty {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<unknown>;
  out = '';
  private readonly waiters = new Set<() => void>();

  constructor(command: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('script', ['-qec', `stty cols 100 rows 30; exec ${command}`, '/dev/null'], {
      env,
    });
    this.child.stderr.resume();
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.out += chunk;
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** The time at which `text` is on the output after offset `from`. */
  waitFor(text: string, from = 0, timeoutMs = 60_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.out.indexOf(text, from) < 0) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(now());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${text}; output tail:\n${this.out.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  write(keys: string): void {
    this.child.stdin.write(keys);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

interface Step {
  id: string;
  title: string;
  body: string[];
}

/** A one-lesson course for DOCKER_LAB_COURSE_DIR. */
function writeLesson(dir: string, id: string, steps: Step[]): void {
  mkdirSync(join(dir, 'en'), { recursive: true });
  const body = [
    '---',
    `id: ${id}`,
    `title: Bench ${id}`,
    'lang: en',
    `images: [${IMAGE}]`,
    '---',
    `# Bench ${id}`,
    '',
    'A lesson for the benchmark.',
    '',
    ...steps.flatMap((s) => [`## ${s.title} {#${s.id}}`, '', ...s.body, '']),
  ];
  writeFileSync(join(dir, 'en', `${id}.md`), body.join('\n'));
}

async function coldStart(env: NodeJS.ProcessEnv): Promise<Row[]> {
  say('tui a: first frame vs node -e 0, 15 rounds');
  const base: number[] = [];
  const tui: number[] = [];
  for (let i = 0; i < 15; i++) {
    let t0 = now();
    await new Pty('node -e 0', env).exited;
    base.push(now() - t0);
    t0 = now();
    const term = new Pty(`node ${BIN} --lang en`, env);
    try {
      tui.push((await term.waitFor('learn Docker by doing')) - t0);
      term.write('q');
      await term.exited;
    } finally {
      term.kill();
    }
  }
  return [
    {
      name: 'tui a: first frame vs node -e 0',
      unit: 'ms',
      baseline: median(base),
      measured: median(tui),
      target: { ratio: 1.8 },
    },
  ];
}

async function manyLines(root: string, env: NodeJS.ProcessEnv): Promise<Row[]> {
  const course = join(root, 'course-seq');
  writeLesson(course, 'bench-seq', [
    {
      id: 'seq',
      title: 'Print a lot',
      body: [
        '```sh',
        'seq 1 100000',
        '```',
        '',
        '```yaml check',
        '- id: printed',
        '  output: { stdout: { contains: "100000" }, exitCode: 0 }',
        '```',
      ],
    },
  ]);
  say('tui b: a step printing 100,000 lines vs seq printed raw, 5 rounds');
  const raw: number[] = [];
  const tui: number[] = [];
  const rss: number[] = [];
  let answered = 0;
  const rounds = 5;
  for (let i = 0; i < rounds; i++) {
    let t0 = now();
    await new Pty('seq 1 100000', env).exited;
    raw.push(now() - t0);

    // A fresh progress file each time: a completed step would not run again.
    const term = new Pty(`node ${BIN} bench-seq --lang en`, {
      ...env,
      DOCKER_LAB_COURSE_DIR: course,
      DOCKER_LAB_STATE_DIR: join(root, `state-seq-${i}`),
    });
    try {
      await term.waitFor('Enter runs:');
      await sleep(300);
      const from = term.out.length;
      t0 = now();
      term.write('\r');
      await term.waitFor('running seq', from);
      // A key while the output pours in: its answer must show before the step is done.
      term.write('h');
      const hinted = term.waitFor('This step has no hints.', from);
      const done = await term.waitFor('✓ printed', from);
      tui.push(done - t0);
      if ((await hinted) <= done) answered += 1;
      const pid = (await run('pgrep', ['-P', String(term.child.pid)])).stdout.trim();
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rss.push(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024);
      term.write('q');
      await term.waitFor('or 1-9 open', term.out.length - 10);
      term.write('q');
      await term.exited;
    } finally {
      term.kill();
    }
  }
  return [
    {
      name: 'tui b: 100,000 lines, Enter to done vs raw',
      unit: 'ms',
      baseline: median(raw),
      measured: median(tui),
      target: { ratio: 1.3 },
    },
    {
      name: 'tui b: peak RSS of docker-lab',
      unit: 'MiB',
      measured: Math.max(...rss),
      target: { max: 150 },
    },
    {
      name: 'tui b: key answered during the output',
      unit: 'rounds',
      measured: answered,
      target: { atLeast: rounds },
      note: `of ${rounds}`,
    },
  ];
}

async function engineEvent(root: string, env: NodeJS.ProcessEnv, prefix: string): Promise<Row[]> {
  const course = join(root, 'course-event');
  const n = 10;
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  writeLesson(
    course,
    'bench-event',
    names.map((name, i) => ({
      id: `s${i}`,
      title: `Create ${i}`,
      body: [
        '```sh',
        `docker create --name ${name} ${IMAGE}`,
        '```',
        '',
        '```yaml check',
        `- id: c${i}`,
        `  container: { name: ${name}, exists: true }`,
        '```',
      ],
    })),
  );
  say(`tui c: an Engine event to the step shown done, ${n} steps`);
  const term = new Pty(`node ${BIN} bench-event --lang en`, {
    ...env,
    DOCKER_LAB_COURSE_DIR: course,
  });
  const times: number[] = [];
  try {
    for (const [i, name] of names.entries()) {
      await term.waitFor(`Step ${i + 1} of ${n} · Create ${i}`);
      await sleep(300);
      const from = term.out.length;
      await run('docker', ['create', '--name', name, IMAGE]);
      const t0 = now();
      times.push((await term.waitFor(`✓ c${i}`, from, 10_000)) - t0);
      term.write('\r');
    }
    term.write('q');
    await term.waitFor('Remove them now?');
    term.write('y');
    await term.waitFor('or 1-9 open', term.out.length - 10);
    term.write('q');
    await term.exited;
  } finally {
    term.kill();
  }
  return [
    {
      name: 'tui c: Engine event to step done, median',
      unit: 'ms',
      measured: median(times),
      target: { max: 150 },
      note: times.map((t) => t.toFixed(0)).join(' '),
    },
  ];
}

export async function tui(): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'dl-bench-tui-'));
  const prefix = uniquePrefix('tui');
  const done = onInterrupt(() => {
    removeNamed(prefix);
    rmSync(root, { recursive: true, force: true });
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LANG: 'C.UTF-8',
    LC_ALL: '',
    TERM: 'xterm-256color',
    DOCKER_LAB_STATE_DIR: join(root, 'state'),
  };
  try {
    return [
      ...(await coldStart(env)),
      ...(await manyLines(root, env)),
      ...(await engineEvent(root, env, prefix)),
    ];
  } finally {
    done();
  }
}
