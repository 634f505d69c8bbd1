/**
 * The engine's waiting, negation, cancellation and error handling, with scripted strategies in
 * place of the Engine so the timing is exact. The real kinds are tested against the daemon in
 * test/checks/engine.daemon.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck } from '../../src/checks/engine.js';
import type { CheckKindStrategy, Observation } from '../../src/checks/types.js';
import { makeCheck, makeContext } from '../helpers/check-context.js';

const FAIL: Observation = {
  pass: false,
  subject: 'container web',
  mismatches: [{ field: 'running', expected: 'equals true', actual: false }],
};
const PASS: Observation = { pass: true, subject: 'container web', mismatches: [] };

/** A container strategy answering with the scripted observations in turn (the last repeats). */
function scripted(...observations: (Observation | Error)[]) {
  let calls = 0;
  const strategy: CheckKindStrategy = {
    kind: 'container',
    subject: () => 'container web',
    async evaluate() {
      const next = observations[Math.min(calls++, observations.length - 1)]!;
      if (next instanceof Error) throw next;
      return structuredClone(next);
    },
  };
  return { strategies: { container: strategy }, calls: () => calls };
}

const web = (options: Record<string, unknown> = {}) =>
  makeCheck({ id: 'web', container: { name: 'web', running: true }, ...options });

test('a passing check passes on its first attempt', async () => {
  const s = scripted(PASS);
  const result = await runCheck(web({ timeout: '5s' }), makeContext(), s);
  assert.equal(result.pass, true);
  assert.equal(result.attempts, 1);
  assert.equal(result.error, undefined);
});

test('without a timeout a check is tried exactly once', async () => {
  const s = scripted(FAIL, PASS);
  const result = await runCheck(web(), makeContext(), s);
  assert.equal(result.pass, false);
  assert.equal(result.attempts, 1);
  assert.deepEqual(result.observation.mismatches[0]?.field, 'running');
});

test('a failing check is tried again every interval until it passes', async () => {
  const s = scripted(FAIL, FAIL, PASS);
  const result = await runCheck(web({ timeout: '5s', interval: '20ms' }), makeContext(), s);
  assert.equal(result.pass, true);
  assert.equal(result.attempts, 3);
  assert.ok(result.elapsedMs >= 35, `waited twice 20 ms, took ${result.elapsedMs}`);
});

test('a check that never passes gives up when the timeout is spent', async () => {
  const s = scripted(FAIL);
  const result = await runCheck(web({ timeout: '200ms', interval: '50ms' }), makeContext(), s);
  assert.equal(result.pass, false);
  assert.ok(result.elapsedMs >= 195 && result.elapsedMs < 1000, `took ${result.elapsedMs}`);
  // About timeout / interval attempts: on a busy machine a timer fires late or early, so the
  // bound says "several, not a busy loop", not an exact count.
  assert.ok(result.attempts >= 3 && result.attempts <= 9, `${result.attempts} attempts`);
});

test('a terminal state stops the wait at once', async () => {
  const s = scripted({ ...FAIL, terminal: 'container web exited with code 1' });
  const result = await runCheck(web({ timeout: '10s' }), makeContext(), s);
  assert.equal(result.pass, false);
  assert.equal(result.attempts, 1);
  assert.ok(result.elapsedMs < 100);
});

test('not: true passes when the observation fails, even on a terminal state', async () => {
  const s = scripted({ ...FAIL, terminal: 'container web exited with code 1' });
  const result = await runCheck(web({ not: true, timeout: '10s' }), makeContext(), s);
  assert.equal(result.pass, true);
  assert.equal(result.attempts, 1);
});

test('not: true keeps waiting while the observation holds, and stops when that is terminal', async () => {
  const waiting = await runCheck(
    web({ not: true, timeout: '150ms', interval: '30ms' }),
    makeContext(),
    scripted(PASS),
  );
  assert.equal(waiting.pass, false);
  assert.ok(waiting.attempts > 1);

  const settled = await runCheck(
    web({ not: true, timeout: '10s' }),
    makeContext(),
    scripted({ ...PASS, terminal: 'container web exited with code 0' }),
  );
  assert.equal(settled.pass, false);
  assert.equal(settled.attempts, 1);

  const eventually = await runCheck(
    web({ not: true, timeout: '5s', interval: '10ms' }),
    makeContext(),
    scripted(PASS, PASS, FAIL),
  );
  assert.equal(eventually.pass, true);
  assert.equal(eventually.attempts, 3);
});

test('aborting the context stops a waiting check promptly', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = performance.now();
  const result = await runCheck(
    web({ timeout: '30s', interval: '1s' }),
    makeContext({ signal: controller.signal }),
    scripted(FAIL),
  );
  assert.equal(result.pass, false);
  assert.equal(result.aborted, true);
  assert.equal(result.error, 'cancelled before a verdict');
  assert.ok(performance.now() - started < 500);
});

test('an already aborted context runs nothing', async () => {
  const s = scripted(PASS);
  const result = await runCheck(web(), makeContext({ signal: AbortSignal.abort() }), s);
  assert.equal(result.aborted, true);
  assert.equal(s.calls(), 0);
});

test('each attempt has a deadline; a hung Engine call becomes an error for people', async () => {
  const hung: CheckKindStrategy = {
    kind: 'container',
    evaluate: (_spec, ctx) =>
      new Promise((_, reject) => {
        // Stands for the open socket of a call the daemon never answers.
        const socket = setTimeout(() => {}, 10_000);
        ctx.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(socket);
            reject(ctx.signal.reason);
          },
          { once: true },
        );
      }),
  };
  const result = await runCheck(web({ timeout: '5s' }), makeContext(), {
    strategies: { container: hung },
    attemptTimeoutMs: 50,
  });
  assert.equal(result.pass, false);
  assert.equal(result.error, 'the Docker daemon did not answer within 50 ms');
  assert.equal(result.observation.subject, 'container check');
});

test('Engine errors become CheckResult.error, never a throw', async () => {
  const unreachable = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {
    code: 'ENOENT',
  });
  const result = await runCheck(web({ timeout: '5s' }), makeContext(), scripted(unreachable));
  assert.equal(result.pass, false);
  assert.equal(result.attempts, 1, 'an unreachable daemon is not waited for');
  assert.equal(
    result.error,
    'cannot reach the Docker daemon (connect ENOENT /var/run/docker.sock); docker-lab doctor tells why',
  );
  assert.equal(result.observation.subject, 'container web');

  const refused = Object.assign(new Error('(HTTP code 500) server error'), {
    statusCode: 500,
    json: { message: 'layer does not exist' },
  });
  const failed = await runCheck(web(), makeContext(), scripted(refused));
  assert.equal(failed.error, 'the Docker Engine refused the request: layer does not exist');
});

test('a kind without a strategy fails with a clear error', async () => {
  const result = await runCheck(web(), makeContext(), { strategies: {} });
  assert.equal(result.error, 'checks of kind "container" are not available in this docker-lab');
});

test('the container snapshot is taken once, only for the final failure', async () => {
  let taken = 0;
  const snapshotting: CheckKindStrategy = {
    kind: 'container',
    evaluate: async () => ({
      ...structuredClone(FAIL),
      collectSnapshot: async () => {
        taken++;
        return { name: 'web', id: 'x', image: 'nginx', status: 'created', logTail: [] };
      },
    }),
  };
  const result = await runCheck(web({ timeout: '100ms', interval: '20ms' }), makeContext(), {
    strategies: { container: snapshotting },
  });
  assert.ok(result.attempts > 1);
  assert.equal(taken, 1);
  assert.equal(result.observation.snapshot?.status, 'created');
  assert.equal(result.observation.collectSnapshot, undefined);
});

test('mismatches carry the matcher they were judged by, for text diffs in reports', async () => {
  const result = await runCheck(web(), makeContext(), scripted(FAIL));
  assert.equal(result.observation.mismatches[0]?.matcher, true);
});

test('a check that waits says, after each failing attempt, what it saw and how long it has waited', async () => {
  const seen: { field?: string; elapsedMs: number; timeoutMs: number }[] = [];
  let calls = 0;
  const later: CheckKindStrategy<'container'> = {
    kind: 'container',
    evaluate: async () => {
      calls += 1;
      return calls < 3
        ? {
            pass: false,
            subject: 'container dl-wait',
            mismatches: [{ field: 'health', expected: 'healthy', actual: 'starting' }],
          }
        : { pass: true, subject: 'container dl-wait', mismatches: [] };
    },
  };
  const result = await runCheck(
    makeCheck({
      id: 'w',
      container: { name: 'dl-wait', health: 'healthy' },
      timeout: '5s',
      interval: '10ms',
    }),
    makeContext(),
    {
      strategies: { container: later },
      onWaiting: ({ observation, elapsedMs, timeoutMs }) =>
        seen.push({ field: observation.mismatches[0]?.field, elapsedMs, timeoutMs }),
    },
  );
  assert.equal(result.pass, true);
  assert.equal(seen.length, 2, 'told twice: after each of the two failing attempts');
  assert.deepEqual(
    seen.map((s) => [s.field, s.timeoutMs]),
    [
      ['health', 5000],
      ['health', 5000],
    ],
  );
  assert.ok(seen[1]!.elapsedMs >= seen[0]!.elapsedMs);
});
