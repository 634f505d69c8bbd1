/**
 * The engine keeps what a passing check captures; a value that cannot be taken fails the check
 * (with waiting, like any failure). Scripted strategies stand in for the Engine: this is the
 * engine's logic; captures through real kinds are tested by verify (test/commands).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCheck } from '../../src/checks/engine.js';
import type { CheckKindStrategy, Observation } from '../../src/checks/types.js';
import { makeCheck, makeContext } from '../helpers/check-context.js';

function scripted(...observations: Observation[]) {
  let calls = 0;
  const strategy: CheckKindStrategy = {
    kind: 'output',
    subject: () => 'the output',
    async evaluate() {
      return structuredClone(observations[Math.min(calls++, observations.length - 1)]!);
    },
  };
  return { strategies: { output: strategy }, calls: () => calls };
}

const passing = (stdout: string): Observation => ({
  pass: true,
  subject: 'the output',
  mismatches: [],
  observed: { stdout, stderr: '', exitCode: 0 },
});

test('a passing check keeps the values it captures', async () => {
  const check = makeCheck({
    id: 'ip',
    output: { stdout: { matches: '\\d' } },
    capture: [
      { name: 'IP', from: 'stdout' },
      { name: 'FIRST', from: 'stdout', matches: '^(\\d+)' },
    ],
  });
  const result = await runCheck(check, makeContext(), scripted(passing('172.17.0.5\n')));
  assert.equal(result.pass, true);
  assert.deepEqual(result.captured, { IP: '172.17.0.5', FIRST: '172' });
});

test('a value that cannot be taken fails the check, says which capture, and is waited for', async () => {
  const check = makeCheck({
    id: 'ip',
    output: { exitCode: 0 },
    capture: { name: 'IP', from: 'stdout', matches: '^(\\d+\\.\\d+\\.\\d+\\.\\d+)$' },
    timeout: '1s',
    interval: '10ms',
  });
  const s = scripted(passing(''), passing('10.0.0.7\n'));
  const result = await runCheck(check, makeContext(), s);
  assert.equal(result.pass, true, 'the second attempt has the value');
  assert.equal(s.calls(), 2);
  assert.deepEqual(result.captured, { IP: '10.0.0.7' });

  const never = await runCheck(
    { ...check, timeoutMs: 0 },
    makeContext(),
    scripted(passing('no address')),
  );
  assert.equal(never.pass, false);
  assert.equal(never.captured, undefined);
  assert.deepEqual(
    never.observation.mismatches.map((m) => [m.field, m.expected, m.actual]),
    [
      [
        'capture IP (from stdout)',
        'a value matching /^(\\d+\\.\\d+\\.\\d+\\.\\d+)$/',
        'no address',
      ],
    ],
  );
  assert.match(never.observation.fix ?? '', /capture/);
});

test('a check without capture keeps nothing', async () => {
  const check = makeCheck({ id: 'out', output: { exitCode: 0 } });
  const result = await runCheck(check, makeContext(), scripted(passing('x')));
  assert.equal(result.pass, true);
  assert.equal('captured' in result, false);
});
