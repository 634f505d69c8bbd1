import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputKind } from '../../../src/checks/kinds/output.js';
import type { CheckContext } from '../../../src/checks/types.js';

const ctx = (outputs: CheckContext['outputs']) =>
  ({ outputs, lang: 'en' }) as unknown as CheckContext;

test('before its command has run, an output check fails, negative expectations included', async () => {
  const observation = await outputKind.evaluate(
    { exitCode: { not: 0 }, stderr: { not: { contains: 'x' } } },
    ctx([]),
  );
  assert.equal(observation.pass, false);
  assert.deepEqual(
    observation.mismatches.map((m) => [m.field, m.actual]),
    [
      ['stderr', undefined],
      ['exitCode', undefined],
    ],
  );
});

test('after its command ran, a negative expectation is judged on what it did', async () => {
  const observation = await outputKind.evaluate(
    { exitCode: { not: 0 } },
    ctx([{ stdout: '', stderr: 'no', exitCode: 1 }]),
  );
  assert.equal(observation.pass, true);
});
