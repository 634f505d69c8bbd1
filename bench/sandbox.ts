/**
 * Sandboxes (`--sandbox`): what a learner waits for before a lesson, and what `verify --jobs`
 * gains.
 *   - a sandbox started and answering, no images (the project's Sandbox.start, in this process)
 *   - the same with first-run's images brought in (hello-world, ubuntu, and busybox for the
 *     bridge's helper): the start-up a learner sees (target: 20 s or less)
 *   - the same images ready in a warm sandbox (sandbox/pool.ts's WarmSlot, as verify --jobs
 *     reuses one): the listing compared, nothing to load, the listing taken again
 *   - `verify --sandbox --jobs 1` against `--jobs 4` on the whole English course (lessons/en),
 *     in the same run (target: jobs 4 takes at most half the time of jobs 1), --jobs 4 both with
 *     nothing remembered (the start order guessed) and remembering the durations of this
 *     round's --jobs 1 run; each run's stderr trace (DOCKER_LAB_SANDBOX_TRACE) says how many
 *     sandboxes it started and reused
 * Every sandbox carries docker-lab's sandbox labels and is removed by them; the outer daemon is
 * otherwise only read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectFromEnv } from '../src/docker/client.js';
import { HELPER_IMAGE } from '../src/docker/helper.js';
import { ENGINE_PREFERENCE } from '../src/images/sandbox-image.js';
import { missingImages } from '../src/images/status.js';
import { WarmSlot } from '../src/sandbox/pool.js';
import { chooseEngine, Sandbox } from '../src/sandbox/sandbox.js';
import { BIN, median, now, say, timeProcess, type Row } from './lib/measure.js';

const ROUNDS = 3;
/** Rounds of the whole course at --jobs 1 and 4 (each round is minutes). */
const COURSE_ROUNDS = Number(process.env.BENCH_SANDBOX_ROUNDS ?? 1);
const LESSONS = ['lessons/en'];
const FIRST_RUN = ['hello-world', 'ubuntu', HELPER_IMAGE];

export async function sandbox(): Promise<Row[]> {
  const outer = await connectFromEnv(process.env);
  const engine = await chooseEngine(outer, undefined);
  say(`sandbox: Engine ${engine} (preferred: ${ENGINE_PREFERENCE.join(', ')})`);
  const start = async (images: string[]): Promise<number> => {
    const started = now();
    const box = await Sandbox.start({ outer, engine, purpose: 'bench', images });
    const ms = now() - started;
    await box.remove();
    return ms;
  };
  const bare: number[] = [];
  const loaded: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await start([]));
    loaded.push(await start(FIRST_RUN));
    say(
      `sandbox: round ${i + 1}: ${Math.round(bare.at(-1)!)} ms bare, ${Math.round(loaded.at(-1)!)} ms with images`,
    );
  }

  // A warm slot: one start with first-run's images, then the same images asked for again.
  const removals: Promise<void>[] = [];
  const slot = new WarmSlot<Sandbox>({
    start: (images) => Sandbox.start({ outer, engine, purpose: 'bench', images }),
    lacking: (box, refs) => missingImages(box.daemon, refs),
    discard: (box) => void removals.push(box.remove()),
  });
  const warm: number[] = [];
  try {
    await slot.acquire(FIRST_RUN);
    for (let i = 0; i < ROUNDS; i++) {
      const released = await slot.release({ clean: true });
      if (!released.kept) throw new Error(`the warm sandbox was not kept: ${released.why}`);
      const started = now();
      await slot.acquire(FIRST_RUN);
      warm.push(now() - started);
    }
    say(`sandbox: warm, with images: ${warm.map((ms) => Math.round(ms)).join(' ')} ms`);
  } finally {
    slot.close();
    await Promise.all(removals);
  }

  // verify remembers how long each lesson took (in its cache folder) to start the longest first
  // next time. Two figures for --jobs 4: with nothing remembered (a fresh machine, as in CI: the
  // order is guessed from what the lessons do), and remembering the --jobs 1 run of this round.
  const caches = await mkdtemp(join(tmpdir(), 'dl-bench-verify-cache-'));
  const remembered = join(caches, 'remembered');
  let fresh = 0;
  const traces: string[] = [];
  const verify =
    (jobs: number, cache: () => string, label: string) => async (): Promise<number> => {
      const run = await timeProcess(
        'node',
        [
          BIN,
          'verify',
          '--sandbox',
          '--engine',
          engine,
          '--jobs',
          String(jobs),
          '--lang',
          'en',
          '--reporter',
          'plain',
          ...LESSONS,
        ],
        { env: { ...process.env, DOCKER_LAB_SANDBOX_TRACE: '1', XDG_CACHE_HOME: cache() } },
      );
      if (run.code !== 0)
        throw new Error(
          `verify --jobs ${jobs} failed (${run.code}):\n${run.stdout.slice(-2000)}${run.stderr}`,
        );
      const trace = /sandboxes started: \d+, reused: \d+/.exec(run.stderr)?.[0] ?? '';
      say(`sandbox: verify --${label}: ${Math.round(run.ms)} ms (${trace})`);
      traces.push(`${label}: ${trace}`);
      return run.ms;
    };
  const one = verify(1, () => remembered, 'jobs 1');
  const cold = verify(4, () => join(caches, `fresh-${++fresh}`), 'jobs 4, nothing remembered');
  const remembering = verify(4, () => remembered, 'jobs 4, remembered');
  const jobs = { one: [] as number[], cold: [] as number[], warm: [] as number[] };
  try {
    for (let i = 0; i < COURSE_ROUNDS; i++) {
      // jobs 1 first: the warm run remembers what it measured.
      jobs.one.push(await one());
      if (i % 2 === 0) {
        jobs.cold.push(await cold());
        jobs.warm.push(await remembering());
      } else {
        jobs.warm.push(await remembering());
        jobs.cold.push(await cold());
      }
    }
  } finally {
    await rm(caches, { recursive: true, force: true });
  }
  const ms = (samples: number[]): string => samples.map((m) => Math.round(m)).join(' ');
  return [
    {
      name: `sandbox: ${engine} started, no images`,
      unit: 'ms',
      measured: median(bare),
      note: bare.map((ms) => Math.round(ms)).join(' '),
    },
    {
      name: `sandbox: ${engine} started with first-run's images`,
      unit: 'ms',
      measured: median(loaded),
      target: { max: 20_000 },
      note: loaded.map((ms) => Math.round(ms)).join(' '),
    },
    {
      name: `sandbox: ${engine} warm, first-run's images ready`,
      unit: 'ms',
      measured: median(warm),
      target: { max: 20_000 },
      note: warm.map((ms) => Math.round(ms)).join(' '),
    },
    {
      name: `sandbox: verify lessons/en, --jobs 4 vs --jobs 1, nothing remembered`,
      unit: 'ms',
      baseline: median(jobs.one),
      measured: median(jobs.cold),
      target: { ratio: 0.5 },
      note: `jobs 1: ${ms(jobs.one)}; jobs 4: ${ms(jobs.cold)}; ${traces.join('; ')}`,
    },
    {
      name: `sandbox: verify lessons/en, --jobs 4 vs --jobs 1, durations remembered`,
      unit: 'ms',
      baseline: median(jobs.one),
      measured: median(jobs.warm),
      target: { ratio: 0.5 },
      note: `jobs 4: ${ms(jobs.warm)}`,
    },
  ];
}
