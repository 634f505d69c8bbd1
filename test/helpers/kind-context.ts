/**
 * Check kinds under test: a CheckContext on the test daemon, unique names, and waiting through
 * the real engine (runCheck) for states that become true later.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { runCheck } from '../../src/checks/engine.js';
import type { Check, CheckKind, CheckSpec } from '../../src/checks/schema.js';
import type { CheckContext, CheckKindStrategy, CheckResult } from '../../src/checks/types.js';
import { TEST_LABEL } from './images.js';

export function checkContext(
  docker: Dockerode,
  overrides: Partial<CheckContext> = {},
): CheckContext {
  return {
    docker,
    daemonHost: '127.0.0.1',
    dockerEnv: {},
    workdir: process.cwd(),
    outputs: [],
    stepStartedAt: 0,
    lessonStartedAt: 0,
    signal: AbortSignal.timeout(120_000),
    lang: 'en',
    ...overrides,
  };
}

/** A name no concurrent test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const TEST_LABELS = { [TEST_LABEL]: 'true' };

/** Evaluates `spec` with the engine's waiting: retried every `intervalMs` for up to `timeoutMs`. */
export function waitFor<K extends CheckKind>(
  strategy: CheckKindStrategy<K>,
  spec: CheckSpec<K>,
  ctx: CheckContext,
  timeoutMs: number,
  intervalMs = 100,
): Promise<CheckResult<K>> {
  const check: Check<K> = {
    id: 'under-test',
    kind: strategy.kind,
    spec,
    timeoutMs,
    intervalMs,
    not: false,
    before: 'fail',
    line: 1,
    col: 1,
  };
  return runCheck(check, ctx, { strategies: { [strategy.kind]: strategy } });
}

/** Removes containers, volumes and networks by name, ignoring ones already gone. */
export async function removeAll(
  docker: Dockerode,
  things: { containers?: string[]; volumes?: string[]; networks?: string[] },
): Promise<void> {
  const ignore = (): void => undefined;
  await Promise.all(
    (things.containers ?? []).map((n) =>
      docker.getContainer(n).remove({ force: true, v: true }).catch(ignore),
    ),
  );
  await Promise.all((things.volumes ?? []).map((n) => docker.getVolume(n).remove().catch(ignore)));
  await Promise.all(
    (things.networks ?? []).map((n) => docker.getNetwork(n).remove().catch(ignore)),
  );
}

/**
 * An observation without `observed` (what a `capture` may take; kinds report it on every
 * evaluation): for tests about the verdict and its words.
 */
export function verdict<T extends { observed?: unknown }>(observation: T): Omit<T, 'observed'> {
  const rest: T = { ...observation };
  delete rest.observed;
  return rest;
}
