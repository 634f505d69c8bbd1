// TUI benchmarks, each against a baseline measured in the same run (ratios travel; machines
// differ). Run: node scripts/build.mjs && node bench/tui.mjs   (needs Docker for b and c)
//   a. cold start: `docker-lab --lang en` in a pseudo-terminal until the first frame (the course
//      title) is on its output, vs `node -e 0` in the same pseudo-terminal (target: <= 1.8x)
//   b. a step printing 100,000 lines: Enter to its check passed vs `seq 1 100000` printed raw to
//      the same kind of pty (target: <= 1.3x); peak RSS of docker-lab (target: < 150 MiB); a key
//      pressed during the output is answered before the command ends
//   c. an Engine event to the step shown done: a container created from outside while the TUI
//      waits on a `container: {exists: true}` check (target: median <= 150 ms)
// The pseudo-terminal is util-linux script(1) at 100x30.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = new URL('../dist/cli.js', import.meta.url).pathname;
const IMAGE = 'docker-lab-test/busybox:latest';
const root = mkdtempSync(join(tmpdir(), 'dl-bench-tui-'));
const baseEnv = {
  ...process.env,
  LANG: 'C.UTF-8',
  LC_ALL: '',
  TERM: 'xterm-256color',
  DOCKER_LAB_STATE_DIR: join(root, 'state'),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** A command in a 100x30 pseudo-terminal; `out` collects everything it prints. */
function pty(command, env = baseEnv) {
  const child = spawn('script', ['-qec', `stty cols 100 rows 30; exec ${command}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env,
  });
  const term = { child, out: '', exited: new Promise((resolve) => child.on('exit', resolve)) };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    term.out += chunk;
    for (const waiter of [...waiters]) waiter();
  });
  const waiters = new Set();
  /** Resolves with the time at which `text` appears in the output after offset `from`. */
  term.waitFor = (text, from = 0, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (term.out.indexOf(text, from) >= 0) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(now());
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${text}; output tail:\n${term.out.slice(-2000)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  term.write = (keys) => child.stdin.write(keys);
  return term;
}

function lesson(dir, id, steps) {
  mkdirSync(join(dir, 'en'), { recursive: true });
  const body = [
    '---',
    `id: ${id}`,
    `title: Bench ${id}`,
    'lang: en',
    'images: [docker-lab-test/busybox:latest]',
    '---',
    `# Bench ${id}`,
    '',
    'A lesson for the benchmark.',
    '',
    ...steps.flatMap((s) => [`## ${s.title} {#${s.id}}`, '', ...s.body, '']),
  ];
  writeFileSync(join(dir, 'en', `${id}.md`), body.join('\n'));
}

const rows = [];

// ---- a. cold start to the first frame ----
{
  const base = [];
  const tui = [];
  for (let i = 0; i < 15; i++) {
    let t0 = now();
    const node = pty('node -e 0');
    await node.exited;
    base.push(now() - t0);
    t0 = now();
    const term = pty(`node ${BIN} --lang en`);
    const t1 = await term.waitFor('learn Docker by doing');
    tui.push(t1 - t0);
    term.write('q');
    await term.exited;
  }
  rows.push(['a. first frame vs node -e 0 (ms)', median(base), median(tui), 1.8]);
}

// ---- b. a step printing 100,000 lines ----
{
  const course = join(root, 'course-seq');
  lesson(course, 'bench-seq', [
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
  const env = { ...baseEnv, DOCKER_LAB_COURSE_DIR: course };
  const raw = [];
  const tui = [];
  const rss = [];
  const keyAnswered = [];
  for (let i = 0; i < 5; i++) {
    let t0 = now();
    const seq = pty('seq 1 100000');
    await seq.exited;
    raw.push(now() - t0);

    // A fresh progress file each time: a completed step would not run again.
    const term = pty(`node ${BIN} bench-seq --lang en`, {
      ...env,
      DOCKER_LAB_STATE_DIR: join(root, `state-seq-${i}`),
    });
    await term.waitFor('Enter runs:');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const from = term.out.length;
    t0 = now();
    term.write('\r');
    await term.waitFor('running seq', from);
    // A key while the output pours in: its answer must show before the step is done.
    term.write('h');
    const hinted = term.waitFor('This step has no hints.', from);
    const done = await term.waitFor('✓ printed', from);
    tui.push(done - t0);
    const hint = await hinted;
    keyAnswered.push(hint <= done);
    const pid = (await run('pgrep', ['-P', String(term.child.pid)])).stdout.trim();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    rss.push(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024);
    term.write('q');
    await term.waitFor('Enter open', term.out.length - 10);
    term.write('q');
    await term.exited;
  }
  rows.push(['b. 100,000 lines: Enter to done vs raw (ms)', median(raw), median(tui), 1.3]);
  rows.push(['b. peak RSS of docker-lab (MiB, target < 150)', 150, Math.max(...rss), 1]);
  rows.push([
    `b. key answered during the output: ${keyAnswered.filter(Boolean).length}/${keyAnswered.length}`,
    undefined,
  ]);
}

// ---- c. Engine event to the step shown done ----
{
  const course = join(root, 'course-event');
  const n = 10;
  const names = Array.from({ length: n }, (_, i) => `dl-bench-event-${process.pid}-${i}`);
  lesson(
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
  const env = { ...baseEnv, DOCKER_LAB_COURSE_DIR: course };
  const term = pty(`node ${BIN} bench-event --lang en`, env);
  const times = [];
  try {
    for (const [i, name] of names.entries()) {
      await term.waitFor(`Step ${i + 1} of ${n} · Create ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const from = term.out.length;
      await run('docker', ['create', '--name', name, IMAGE]);
      const t0 = now();
      const t1 = await term.waitFor(`✓ c${i}`, from, 10_000);
      times.push(t1 - t0);
      term.write('\r');
    }
    term.write('q');
    await term.waitFor('Remove them now?');
    term.write('y');
    await term.waitFor('Enter open', term.out.length - 10);
    term.write('q');
    await term.exited;
  } finally {
    await run('docker', ['rm', '-f', ...names]).catch(() => undefined);
  }
  rows.push(['c. Engine event to step done, median (ms)', 150, median(times), 1]);
  rows.push([`c. ... all ${times.length}: ${times.map((t) => t.toFixed(0)).join(' ')}`, undefined]);
}

rmSync(root, { recursive: true, force: true });

console.log(
  'benchmark'.padEnd(48),
  'baseline'.padStart(10),
  'measured'.padStart(10),
  'ratio'.padStart(7),
  ' target',
);
for (const [name, base, value, target] of rows) {
  if (base === undefined) {
    console.log(name);
    continue;
  }
  const ratio = value / base;
  const verdict = ratio <= target ? ` <= ${target} ok` : ` > ${target} MISSED`;
  console.log(
    name.padEnd(48),
    base.toFixed(1).padStart(10),
    value.toFixed(1).padStart(10),
    ratio.toFixed(2).padStart(7),
    verdict,
  );
}
