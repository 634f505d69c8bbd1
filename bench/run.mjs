// Benchmarks with ratios against a baseline measured in the same run (machines differ; ratios
// travel). Run: npm run bench   (builds first). Prints a table; exits 0.
//   lint:    docker-lab lint over 1,000 generated lessons (target: under 2 s)
//   startup: docker-lab --version against `node -e 0` (target: at most 1.2x)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../dist/cli.js', import.meta.url).pathname;

function timeRun(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0 && !args.includes('lint'))
      throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  return times;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Alternates the two commands so drift on a busy machine hits both alike. */
function compare(baseline, candidate, runs) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(...timeRun(baseline, 1));
    b.push(...timeRun(candidate, 1));
  }
  return { baseline: median(a), candidate: median(b) };
}

function generateLessons(dir, count) {
  const template = readFileSync(
    new URL('../fixtures/lessons/good/all-features.md', import.meta.url),
    'utf8',
  );
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const text = template
      .replace('id: all-features', `id: generated-${i}`)
      .replaceAll('dl-features', `dl-gen-${i}`);
    writeFileSync(join(dir, `generated-${i}.md`), text);
  }
}

const rows = [];
{
  const r = compare(['-e', '0'], [BIN, '--version'], 40);
  rows.push(['startup: --version vs node -e 0', r.baseline, r.candidate, 1.2]);
}
{
  const root = mkdtempSync(join(tmpdir(), 'dl-bench-'));
  generateLessons(root, 1000);
  const one = join(root, 'one');
  generateLessons(one, 1);
  const lint1000 = median(timeRun([BIN, 'lint', root], 5));
  const lint1 = median(timeRun([BIN, 'lint', one], 5));
  rows.push(['lint: 1,000 lessons vs 1 lesson', lint1, lint1000, undefined]);
  rows.push(['lint: 1,000 lessons (ms, target < 2000)', 2000, lint1000, 1]);
  rmSync(root, { recursive: true, force: true });
}

console.log(
  'benchmark'.padEnd(44),
  'baseline ms'.padStart(12),
  'measured ms'.padStart(12),
  'ratio'.padStart(7),
  ' target',
);
for (const [name, base, value, target] of rows) {
  const ratio = value / base;
  const verdict =
    target === undefined ? '' : ratio <= target ? ` <= ${target} ok` : ` > ${target} MISSED`;
  console.log(
    name.padEnd(44),
    base.toFixed(1).padStart(12),
    value.toFixed(1).padStart(12),
    ratio.toFixed(2).padStart(7),
    verdict,
  );
}
