// Times the check engine against the real daemon: the median of a single container-inspect
// check (target: 10 ms or less), of a failing check (evaluation plus container snapshot), and
// of building and rendering that failure's report.
// Run: node --import tsx bench/check-inspect.mjs [runs]
import { execFileSync } from 'node:child_process';
import Dockerode from 'dockerode';
import { runCheck } from '../src/checks/engine.ts';
import { buildReport, renderReport } from '../src/checks/report.ts';

const RUNS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
const IMAGE = 'docker-lab-test/busybox:latest';

function docker(...args) {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000 }).trim();
}

function check(id, spec) {
  return {
    id,
    kind: 'container',
    spec,
    timeoutMs: 0,
    intervalMs: 250,
    not: false,
    before: 'fail',
    line: 1,
    col: 1,
  };
}

function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(runs, fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

function print(label, samples) {
  console.log(
    `${label}: median ${median(samples).toFixed(3)} ms, p95 ${percentile(samples, 95).toFixed(3)} ms (${samples.length} runs)`,
  );
}

try {
  docker('image', 'inspect', IMAGE);
} catch {
  console.error(
    `needs ${IMAGE}: run the integration tests once (test/helpers/images.ts builds it)`,
  );
  process.exit(1);
}

const name = `dl-bench-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
docker('run', '-d', '--name', name, IMAGE, 'sh', '-c', 'echo ready; sleep 600');
try {
  const ctx = {
    docker: new Dockerode(),
    daemonHost: '127.0.0.1',
    dockerEnv: {},
    workdir: process.cwd(),
    outputs: [],
    stepStartedAt: 0,
    lessonStartedAt: 0,
    signal: new AbortController().signal,
    lang: 'en',
  };
  const passing = check('running', { name, running: true });
  const failing = check('stopped', { name, running: false });

  const first = await runCheck(passing, ctx);
  if (!first.pass) throw new Error(`the passing check failed: ${first.error ?? 'mismatch'}`);
  print('container check (pass)', await time(RUNS, () => runCheck(passing, ctx)));

  let failed;
  print(
    'container check (fail, with snapshot)',
    await time(RUNS, async () => {
      failed = await runCheck(failing, ctx);
    }),
  );
  if (failed.pass) throw new Error('the failing check passed');
  print(
    'failure report (build + render)',
    await time(RUNS, async () => {
      renderReport(buildReport(failed, 'en'), { lang: 'en' });
    }),
  );
} finally {
  docker('rm', '-f', name);
}
