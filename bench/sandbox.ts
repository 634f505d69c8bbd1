/**
 * Sandboxes (`--sandbox`): what a learner waits for before a lesson, and what `verify --jobs`
 * gains.
 *   - a sandbox started and answering, no images (the project's Sandbox.start, in this process)
 *   - the same with first-run's images brought in (hello-world, ubuntu, and busybox for the
 *     bridge's helper): the start-up a learner sees (target: 20 s or less)
 *   - `verify --sandbox --jobs 1` against `--jobs 4` on the same four lessons, alternating
 *     (target: jobs 4 takes at most half the time of jobs 1)
 * Every sandbox carries docker-lab's sandbox labels and is removed by them; the outer daemon is
 * otherwise only read.
 */
import { connectFromEnv } from '../src/docker/client.js';
import { HELPER_IMAGE } from '../src/docker/helper.js';
import { ENGINE_PREFERENCE } from '../src/images/sandbox-image.js';
import { chooseEngine, Sandbox } from '../src/sandbox/sandbox.js';
import { alternate, BIN, median, now, say, timeProcess, type Row } from './lib/measure.js';

const ROUNDS = 3;
const LESSONS = ['first-run', 'isolation', 'concepts', 'basics'];

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
    loaded.push(await start(['hello-world', 'ubuntu', HELPER_IMAGE]));
    say(
      `sandbox: round ${i + 1}: ${Math.round(bare.at(-1)!)} ms bare, ${Math.round(loaded.at(-1)!)} ms with images`,
    );
  }

  const verify = (jobs: number) => async (): Promise<number> => {
    const run = await timeProcess('node', [
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
    ]);
    if (run.code !== 0)
      throw new Error(
        `verify --jobs ${jobs} failed (${run.code}):\n${run.stdout.slice(-2000)}${run.stderr}`,
      );
    say(`sandbox: verify --jobs ${jobs}: ${Math.round(run.ms)} ms`);
    return run.ms;
  };
  const jobs = await alternate(2, verify(1), verify(4));
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
      name: `sandbox: verify ${LESSONS.length} lessons, --jobs 4 vs --jobs 1`,
      unit: 'ms',
      baseline: median(jobs.baseline),
      measured: median(jobs.measured),
      target: { ratio: 0.5 },
      note: `jobs 1: ${jobs.baseline.map((ms) => Math.round(ms)).join(' ')}; jobs 4: ${jobs.measured.map((ms) => Math.round(ms)).join(' ')}`,
    },
  ];
}
