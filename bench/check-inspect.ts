/**
 * The check engine against the real daemon, in this process: the project's `runCheck`
 * (src/checks/engine.ts, with the kinds registry) on checks parsed from a lesson by the project's
 * parser, against a container made for the purpose.
 *   - a passing container check (target: median 10 ms or less), alternating with its baseline:
 *     the one Engine call the check needs, a bare container inspect through the same client
 *   - a failing check (evaluation, then the container snapshot for the report), same baseline
 *   - building and rendering that failure's report (src/checks/report.ts)
 */
import { connectFromEnv } from '../src/docker/client.js';
import { dockerChildEnv } from '../src/docker/endpoint.js';
import { runCheck } from '../src/checks/engine.js';
import { buildReport, renderReport } from '../src/checks/report.js';
import type { CheckContext, CheckResult } from '../src/checks/types.js';
import { parseLesson } from '../src/lesson/parser.js';
import { docker, removeNamed, uniquePrefix } from './lib/docker.js';
import { alternate, median, now, onInterrupt, say, type Row } from './lib/measure.js';

const IMAGE = 'docker-lab-test/busybox:latest';
const WARMUP = 20;

/** The two checks, as a lesson states them: the parser gives them their defaults. */
function checksFor(name: string) {
  const text = [
    '---',
    'id: check-bench',
    'title: Check bench',
    'lang: en',
    '---',
    '# Check bench',
    '',
    '## Checks {#checks}',
    '',
    '```sh',
    'true',
    '```',
    '',
    '```yaml check',
    `- id: running`,
    `  container: { name: ${name}, running: true }`,
    `- id: stopped`,
    `  container: { name: ${name}, running: false }`,
    '```',
    '',
  ].join('\n');
  const parsed = parseLesson('check-bench.md', text);
  const checks = parsed.lesson?.steps[0]?.checks;
  const passing = checks?.find((c) => c.id === 'running');
  const failing = checks?.find((c) => c.id === 'stopped');
  if (!passing || !failing)
    throw new Error(
      `the bench's lesson does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`,
    );
  return { passing, failing };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = now();
  await fn();
  return now() - started;
}

export async function checkInspect(runs = 200): Promise<Row[]> {
  try {
    docker('image', 'inspect', IMAGE);
  } catch {
    throw new Error(
      `needs ${IMAGE}: run the integration tests once (test/helpers/images.ts builds it)`,
    );
  }
  const name = `${uniquePrefix('check')}-c`;
  const done = onInterrupt(() => removeNamed(name));
  try {
    docker('run', '-d', '--name', name, IMAGE, 'sh', '-c', 'echo ready; sleep 600');
    const engine = await connectFromEnv(process.env);
    const ctx: CheckContext = {
      docker: engine.docker,
      daemonHost: engine.endpoint.daemonHost,
      dockerEnv: dockerChildEnv(engine.endpoint),
      workdir: process.cwd(),
      outputs: [],
      stepStartedAt: 0,
      lessonStartedAt: 0,
      signal: new AbortController().signal,
      lang: 'en',
    };
    const { passing, failing } = checksFor(name);
    const inspect = () => engine.docker.getContainer(name).inspect();

    const first = await runCheck(passing, ctx);
    if (!first.pass) throw new Error(`the passing check failed: ${first.error ?? 'mismatch'}`);
    let failed: CheckResult | undefined;
    const fail = async () => {
      failed = await runCheck(failing, ctx);
    };
    for (let i = 0; i < WARMUP; i++) {
      await inspect();
      await runCheck(passing, ctx);
      await fail();
    }
    if (!failed || failed.pass) throw new Error('the failing check passed');
    const report = failed;

    say(`check: a passing container check vs a bare inspect, ${runs} rounds`);
    const pass = await alternate(
      runs,
      () => timed(inspect),
      () => timed(() => runCheck(passing, ctx)),
    );
    say(`check: a failing container check (with snapshot) vs a bare inspect, ${runs} rounds`);
    const failure = await alternate(
      runs,
      () => timed(inspect),
      () => timed(fail),
    );
    say(`check: building and rendering the failure report, ${runs} times`);
    const render: number[] = [];
    for (let i = 0; i < runs; i++)
      render.push(await timed(async () => renderReport(buildReport(report, 'en'), { lang: 'en' })));

    return [
      {
        name: 'check: container check, passing',
        unit: 'ms',
        baseline: median(pass.baseline),
        measured: median(pass.measured),
        target: { max: 10 },
        note: 'baseline: one bare inspect',
      },
      {
        name: 'check: container check, failing + snapshot',
        unit: 'ms',
        baseline: median(failure.baseline),
        measured: median(failure.measured),
        note: 'baseline: one bare inspect',
      },
      { name: 'check: failure report, build + render', unit: 'ms', measured: median(render) },
    ];
  } finally {
    done();
  }
}
