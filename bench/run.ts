/**
 * `npm run bench`: every benchmark, then one table of their figures, each with its target and
 * whether it was met. Ratios are against a baseline measured in the same run, alternating with
 * the measured side (machines differ; ratios travel); figures are medians.
 *
 * Usage: node --import tsx bench/run.ts [startup|lint|check|tui|verify|sandbox ...]
 * Needs dist/cli.js (npm run bench builds it first) and a Docker daemon with busybox:latest and
 * docker-lab-test/busybox:latest. Exit 0 when every benchmark ran, whether or not it met its
 * target (the table says); 1 when one could not run.
 */
import { loadavg } from 'node:os';
import { checkInspect } from './check-inspect.js';
import { formatTable, say, verdict, type Row } from './lib/measure.js';
import { lint, startup } from './startup-lint.js';
import { sandbox } from './sandbox.js';
import { tui } from './tui.js';
import { verifyVsBash } from './verify-vs-bash.js';

const BENCHMARKS: Record<string, () => Promise<Row[]>> = {
  startup,
  lint,
  check: () => checkInspect(),
  tui,
  verify: () => verifyVsBash(),
  sandbox,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}: one of ${Object.keys(BENCHMARKS).join(', ')}`,
  );
  process.exit(2);
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const rows: Row[] = [];
const errors: string[] = [];
for (const [name, bench] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  try {
    rows.push(...(await bench()));
  } catch (error) {
    errors.push(`${name}: ${(error as Error).message}`);
    say(`${name} could not run: ${(error as Error).message}`);
  }
}

const missed = rows.filter((row) => verdict(row) === 'MISSED').length;
const judged = rows.filter((row) => verdict(row) !== '').length;
console.log(formatTable(rows));
console.log(
  `\n${judged - missed} of ${judged} targets met; load average ${loadBefore} before, ${load()} after; node ${process.version}`,
);
for (const error of errors) console.log(`NOT RUN ${error}`);
process.exit(errors.length > 0 ? 1 : 0);
