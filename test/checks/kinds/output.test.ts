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

test('text is both streams in the order printed; without it, stdout then stderr', async () => {
  const printed = { stdout: 'a\nc\n', stderr: 'b\n', text: 'a\nb\nc\n', exitCode: 0 };
  assert.equal(
    (await outputKind.evaluate({ text: { lines: ['a', 'b', 'c'] } }, ctx([printed]))).pass,
    true,
  );
  const without = { stdout: printed.stdout, stderr: printed.stderr, exitCode: 0 };
  const observation = await outputKind.evaluate({ text: 'a\nc\nb\n' }, ctx([without]));
  assert.equal(observation.pass, true);
});

test("a finished command's output is terminal; a background command still running is not", async () => {
  const finished = await outputKind.evaluate(
    { stdout: 'ready\n' },
    ctx([{ stdout: 'starting\n', stderr: '', exitCode: 0 }]),
  );
  assert.equal(finished.pass, false);
  assert.ok(finished.terminal, 'waiting cannot change what a finished command printed');
  const running = { stdout: 'starting\n', stderr: '', exitCode: null, running: true };
  const waiting = await outputKind.evaluate({ stdout: { contains: 'ready' } }, ctx([running]));
  assert.equal(waiting.pass, false);
  assert.equal(waiting.terminal, undefined, 'it may still print it');
  running.stdout += 'ready\n';
  assert.equal(
    (await outputKind.evaluate({ stdout: { contains: 'ready' } }, ctx([running]))).pass,
    true,
    'the next attempt sees what it printed since',
  );
});

test('exitCode of a command still running fails, saying it is still running, in both languages', async () => {
  const running = { id: 'srv', stdout: '', stderr: '', exitCode: null, running: true };
  const observation = await outputKind.evaluate({ command: 'srv', exitCode: 0 }, ctx([running]));
  assert.equal(observation.pass, false);
  assert.deepEqual(
    observation.mismatches.map((m) => [m.field, m.actual]),
    [['exitCode', 'still running']],
  );
  assert.match(observation.fix!, /"srv" was started in the background and is still running/);
  const zh = await outputKind.evaluate({ command: 'srv', exitCode: 0 }, {
    outputs: [running],
    lang: 'zh-CN',
  } as unknown as CheckContext);
  assert.equal(zh.mismatches[0]!.actual, '仍在运行');
});

test('rerun: the first attempt judges the step run; each later one runs the command again', async () => {
  const calls: (string | undefined)[] = [];
  const outputs: CheckContext['outputs'] = [
    { id: 'probe', stdout: 'no\n', stderr: '', exitCode: 1 },
  ];
  const rerunning = (attempt: number) =>
    ({
      outputs,
      lang: 'en',
      attempt,
      signal: new AbortController().signal,
      rerun: async (id: string | undefined) => {
        calls.push(id);
        return { id, stdout: 'up\n', stderr: '', exitCode: 0 };
      },
    }) as unknown as CheckContext;
  const spec = { command: 'probe', rerun: true, stdout: { trim: true, equals: 'up' } };
  const first = await outputKind.evaluate(spec, rerunning(1));
  assert.equal(first.pass, false);
  assert.equal(first.terminal, undefined, 'a check that runs the command again may still pass');
  assert.deepEqual(calls, [], 'not run again on the first attempt');
  assert.equal((await outputKind.evaluate(spec, rerunning(2))).pass, true);
  assert.deepEqual(calls, ['probe']);
  // Before the step nothing ran: the command is never run early, and that is final.
  const before = await outputKind.evaluate(spec, { ...rerunning(2), outputs: [] });
  assert.equal(before.pass, false);
  assert.ok(before.terminal);
  assert.deepEqual(calls, ['probe']);
});
