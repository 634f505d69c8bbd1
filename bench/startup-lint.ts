/**
 * Start-up and lint, through the built CLI (dist/cli.js) as users run it.
 *   startup: `docker-lab --version` against `node -e 0`, alternating (target: at most 1.2x)
 *   lint: `docker-lab lint` over 1,000 generated lessons (target: under 2 s), and against one
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alternate,
  BIN,
  median,
  onInterrupt,
  ROOT,
  say,
  timeProcess,
  type Row,
} from './lib/measure.js';

async function node(args: string[], { mustPass = true } = {}): Promise<number> {
  const r = await timeProcess(process.execPath, args);
  if (mustPass && r.code !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return r.ms;
}

/** Copies of a fixture lesson, each with its own id (the lint rules run on every one). */
function generateLessons(dir: string, count: number): void {
  const template = readFileSync(join(ROOT, 'fixtures/lessons/good/all-features.md'), 'utf8');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const text = template
      .replace('id: all-features', `id: generated-${i}`)
      .replaceAll('dl-features', `dl-gen-${i}`);
    writeFileSync(join(dir, `generated-${i}.md`), text);
  }
}

export async function startup(): Promise<Row[]> {
  say('startup: docker-lab --version vs node -e 0, 40 rounds');
  const r = await alternate(
    40,
    () => node(['-e', '0']),
    () => node([BIN, '--version']),
  );
  return [
    {
      name: 'startup: docker-lab --version vs node -e 0',
      unit: 'ms',
      baseline: median(r.baseline),
      measured: median(r.measured),
      target: { ratio: 1.2 },
    },
  ];
}

export async function lint(): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'dl-bench-lint-'));
  const done = onInterrupt(() => rmSync(root, { recursive: true, force: true }));
  try {
    say('lint: generating 1,000 lessons');
    const many = join(root, 'many');
    const one = join(root, 'one');
    generateLessons(many, 1000);
    generateLessons(one, 1);
    say('lint: 1,000 lessons vs 1 lesson, 5 rounds');
    // Lint's exit code says whether it found problems (warnings count): the time is what counts.
    const r = await alternate(
      5,
      () => node([BIN, 'lint', one], { mustPass: false }),
      () => node([BIN, 'lint', many], { mustPass: false }),
    );
    const lint1000 = median(r.measured);
    return [
      {
        name: 'lint: 1,000 lessons vs 1 lesson',
        unit: 'ms',
        baseline: median(r.baseline),
        measured: lint1000,
      },
      { name: 'lint: 1,000 lessons', unit: 'ms', measured: lint1000, target: { max: 2000 } },
    ];
  } finally {
    done();
  }
}
