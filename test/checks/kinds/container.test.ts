/**
 * The `container` kind's health, restart and terminal semantics against the real daemon (the
 * other fields are specified in test/checks/engine.daemon.test.ts): a health status that
 * recovers is waited for, an exited container ends the wait at once, the detailed health form,
 * a container without a health check, restartCount, tty and openStdin; and the failure reports
 * a learner reads, in English and Chinese.
 *
 * Other test files share the daemon: every container has a random name and the test label, and
 * is removed afterwards; the last test proves none of them is left.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { containerKind } from '../../../src/checks/kinds/container.js';
import { runCheck } from '../../../src/checks/engine.js';
import { formatFailure } from '../../../src/checks/report.js';
import type { CheckResult } from '../../../src/checks/types.js';
import { makeCheck, makeContext } from '../../helpers/check-context.js';
import { requireDaemon } from '../../helpers/daemon.js';
import { ensureBusyboxImage, TEST_LABEL } from '../../helpers/images.js';
import { removeAll, uniqueName } from '../../helpers/kind-context.js';

const exec = promisify(execFile);
const docker = new Dockerode();
const ctx = makeContext();
const zh = makeContext({ lang: 'zh-CN' });
const made: string[] = [];
let image = '';

/** `docker run -d` (or create) of a test container; returns its unique name. */
async function run(args: string[], command: string[], verb = 'run'): Promise<string> {
  const name = uniqueName('dl-cc');
  made.push(name);
  const detach = verb === 'run' ? ['-d'] : [];
  await exec(
    'docker',
    [verb, ...detach, '--name', name, '--label', `${TEST_LABEL}=true`, ...args, image, ...command],
    { timeout: 60_000 },
  );
  return name;
}

/** The report as a learner reads it, with the elapsed time fixed so the text is stable. */
function report(result: CheckResult, lang: 'en' | 'zh-CN' = 'en'): string {
  return formatFailure({ ...result, elapsedMs: 42 }, { lang });
}

/** A health check that fails until the container has written /ready, `seconds` after start. */
const WARMING = ['--health-cmd', 'cat /ready', '--health-interval', '1s', '--health-retries', '1'];
const warmsUpIn = (seconds: number) => [
  'sh',
  '-c',
  `sleep ${seconds}; echo ready > /ready; sleep 300`,
];

before(async () => {
  await requireDaemon();
  image = await ensureBusyboxImage();
});
after(() => removeAll(docker, { containers: made }));

describe('health', () => {
  test('waits through unhealthy: a service that warms up passes `health: healthy`', async () => {
    const name = await run(WARMING, warmsUpIn(6));
    const seen = new Set<unknown>();
    const result = await runCheck(
      makeCheck({ id: 'warm', container: { name, health: 'healthy' }, timeout: '30s' }),
      ctx,
      { onWaiting: ({ observation }) => seen.add(observation.mismatches[0]?.actual) },
    );
    assert.equal(result.error, undefined);
    assert.equal(result.pass, true);
    // It was unhealthy on the way, and the wait went on.
    assert.ok(seen.has('unhealthy'), `statuses seen while waiting: ${[...seen].join(', ')}`);
    assert.ok(result.elapsedMs >= 5_000, `passed after ${result.elapsedMs} ms`);
    assert.ok(result.elapsedMs < 30_000);
  });

  test('a container that exits ends the wait at once, without waiting for the timeout', async () => {
    const name = await run(WARMING, ['sh', '-c', 'sleep 1; exit 3']);
    const check = makeCheck({ id: 'gone', container: { name, health: 'healthy' }, timeout: '30s' });
    const result = await runCheck(check, ctx);
    assert.equal(result.pass, false);
    assert.ok(result.elapsedMs < 10_000, `stopped after ${result.elapsedMs} ms`);
    assert.equal(
      result.observation.terminal,
      `container ${name} exited with code 3 and will not start again by itself`,
    );
  });

  test('the detailed form compares the status, failing streak and the last probe', async () => {
    const name = await run(
      [
        '--health-cmd',
        'echo probe-says-no; exit 4',
        '--health-interval',
        '1s',
        '--health-retries',
        '100',
      ],
      ['sleep', '300'],
    );
    const detailed = {
      name,
      health: {
        status: 'starting',
        failingStreak: { gte: 2 },
        log: 'probe-says-no\n',
        exitCode: 4,
      },
    };
    // With 100 retries it stays `starting` while its failures in a row add up.
    const starting = await runCheck(
      makeCheck({ id: 'probe', container: detailed, timeout: '20s' }),
      ctx,
    );
    assert.deepEqual(starting.observation.mismatches, []);
    assert.equal(starting.pass, true);

    const wrong = makeCheck({
      id: 'probe-ok',
      container: {
        name,
        health: { status: 'healthy', failingStreak: 0, log: { contains: 'ok' }, exitCode: 0 },
      },
    });
    const result = await runCheck(wrong, ctx);
    assert.equal(result.pass, false);
    const fields = result.observation.mismatches.map((m) => [m.field, m.actual]);
    assert.deepEqual(fields.slice(2), [
      ['health.log', 'probe-says-no\n'],
      ['health.exitCode', 4],
    ]);
    assert.deepEqual(fields[0], ['health.status', 'starting']);
    assert.equal(fields[1]?.[0], 'health.failingStreak');
    assert.ok(Number(fields[1]?.[1]) >= 2);
    assert.equal(result.observation.terminal, undefined, 'unhealthy is not final');
    // The report names each detail with its own matcher.
    const lines = report(result).split('\n');
    assert.deepEqual(lines.slice(3, 7), [
      '  health.log: expected contains "ok"',
      '    found:',
      '    | probe-says-no',
      '  health.exitCode: expected equals 0, found 4',
    ]);
    assert.equal(
      lines.at(-1),
      `  likeliest fix: read the health check's output: docker inspect --format '{{json .State.Health}}' ${name}`,
    );
  });

  test('without a health check: the wait ends, and the report says it has none', async () => {
    const name = await run([], ['sleep', '300']);
    const check = makeCheck({
      id: 'no-probe',
      container: { name, health: 'healthy' },
      timeout: '20s',
    });
    const result = await runCheck(check, ctx);
    assert.equal(result.pass, false);
    assert.ok(result.elapsedMs < 10_000, `stopped after ${result.elapsedMs} ms`);
    assert.equal(
      report(result),
      [
        `✗ no-probe: container ${name}`,
        '  health: expected equals "healthy", found "none"',
        '  tried once (42 ms) (timeout 20 s)',
        `  stopped waiting early: container ${name} has no health check, and cannot get one without being created again`,
        `  container ${name} (${image}): running`,
        '    no log output',
        `  likeliest fix: container ${name} has no health check (its image has no HEALTHCHECK and it was run without --health-cmd): remove it (docker rm -f ${name}) and run it again with --health-cmd`,
      ].join('\n'),
    );
    assert.equal(
      report(await runCheck(check, zh), 'zh-CN')
        .split('\n')
        .filter((line) => line.includes('健康检查'))
        .join('\n'),
      [
        `  提前停止等待：容器 ${name} 没有健康检查，不重新创建就不会有`,
        `  最可能的解决办法：容器 ${name} 没有健康检查（它的镜像没有 HEALTHCHECK，运行时也没有加 --health-cmd）：删除它（docker rm -f ${name}），再加上 --health-cmd 重新运行`,
      ].join('\n'),
    );
    // `health: none` is what such a container has: it passes.
    const none = await runCheck(
      makeCheck({ id: 'none', container: { name, health: 'none' } }),
      ctx,
    );
    assert.equal(none.pass, true);
  });
});

describe('restarts and terminals', () => {
  test('restartCount counts the restart policy’s restarts', async () => {
    const name = await run(['--restart', 'on-failure:2'], ['sh', '-c', 'sleep 1; exit 1']);
    const result = await runCheck(
      makeCheck({
        id: 'restarted',
        container: { name, restartCount: 2, status: 'exited', exitCode: 1 },
        timeout: '40s',
        interval: '300ms',
      }),
      ctx,
    );
    assert.deepEqual(result.observation.mismatches, []);
    assert.equal(result.pass, true);

    const more = await runCheck(
      makeCheck({ id: 'more', container: { name, restartCount: { gte: 3 } } }),
      ctx,
    );
    assert.equal(
      report(more),
      [
        `✗ more: container ${name}`,
        '  restartCount: expected >= 3, found 2',
        '  tried once (42 ms)',
        `  container ${name} (${image}): exited, exit code 1`,
        '    no log output',
        `  likeliest fix: the restart count counts restarts by the restart policy: run it with --restart (on-failure or always) and let its command exit; docker inspect --format '{{.RestartCount}}' ${name} shows the count`,
      ].join('\n'),
    );
  });

  test('tty and openStdin tell -it, -i and neither apart', async () => {
    const it = await run(['-it'], ['sh'], 'create');
    const i = await run(['-i'], ['sh'], 'create');
    const neither = await run([], ['sh'], 'create');
    const observe = async (name: string) =>
      (
        await containerKind.evaluate(
          { name, tty: true, openStdin: true },
          { ...ctx, signal: AbortSignal.timeout(30_000) },
        )
      ).mismatches.map((m) => `${m.field}=${String(m.actual)}`);
    assert.deepEqual(await observe(it), []);
    assert.deepEqual(await observe(i), ['tty=false']);
    assert.deepEqual(await observe(neither), ['tty=false', 'openStdin=false']);
    const result = await runCheck(
      makeCheck({ id: 'interactive', container: { name: neither, tty: true } }),
      ctx,
    );
    assert.equal(
      result.observation.fix,
      `these settings are fixed when a container is created: remove it (docker rm -f ${neither}) and run it again with the right options`,
    );
  });
});

test('every container these tests made is gone afterwards', async () => {
  await removeAll(docker, { containers: made });
  const left = await docker.listContainers({
    all: true,
    filters: { name: ['dl-cc-'] },
  });
  const ours = left.filter((c) => c.Names.some((n) => made.includes(n.replace(/^\//, ''))));
  assert.deepEqual(ours, []);
});
