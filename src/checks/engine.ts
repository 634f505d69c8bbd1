import { setTimeout as sleep } from 'node:timers/promises';
import { deadline } from '../docker/deadline.js';
import { describeEngineError } from './engine-error.js';
import { CHECK_STRATEGIES } from './kinds/index.js';
import type { Matcher } from './matcher-schema.js';
import { messages } from './messages.js';
import { CHECK_KINDS, type Check, type CheckKind } from './schema.js';
import type { CheckContext, CheckKindStrategy, CheckResult, Observation } from './types.js';

/**
 * Runs checks: one waiting mechanism for every kind. Each attempt reads fresh state through the
 * kind's strategy; a failing check is retried every `interval` until `timeout`, unless the
 * observed state cannot change by itself (terminal) or the caller cancels. Nothing throws:
 * Engine trouble becomes CheckResult.error, in words for people.
 */

/** Budget of one attempt (all the Engine calls a kind makes for one evaluation). */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** Budget for taking a container snapshot once a check has failed. */
const SNAPSHOT_TIMEOUT_MS = 5_000;

export interface RunCheckOptions {
  /** Strategies to use instead of the built-in registry (tests, embedding). */
  strategies?: Partial<Record<CheckKind, CheckKindStrategy>>;
  attemptTimeoutMs?: number;
}

function isDeadlineReason(signal: AbortSignal): boolean {
  return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}

/**
 * The matcher each mismatch was judged by, so reports can diff text that should have matched.
 * Only asserting fields carry matchers: a subject field (`container`, `command`) is not one.
 */
function withMatchers(
  observation: Observation,
  spec: Record<string, unknown>,
  kind: CheckKind,
): Observation {
  const asserts: readonly string[] = CHECK_KINDS[kind].asserts;
  for (const mismatch of observation.mismatches) {
    if (
      mismatch.matcher === undefined &&
      asserts.includes(mismatch.field) &&
      spec[mismatch.field] !== undefined
    ) {
      mismatch.matcher = spec[mismatch.field] as Matcher;
    }
  }
  return observation;
}

/** Resolves after `ms`, or early (false) when the signal fires. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export async function runCheck(
  check: Check,
  ctx: CheckContext,
  opts: RunCheckOptions = {},
): Promise<CheckResult> {
  const started = performance.now();
  const strategy = (opts.strategies ?? CHECK_STRATEGIES)[check.kind];
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const m = messages(ctx.lang);
  const subject = (): string =>
    strategy?.subject?.(check.spec, ctx.lang) ?? m.subjectKind(check.kind);
  let attempts = 0;
  let observation: Observation | undefined;

  const finish = (
    pass: boolean,
    extra: Partial<Pick<CheckResult, 'error' | 'aborted'>> = {},
  ): CheckResult => ({
    check,
    pass,
    attempts,
    elapsedMs: performance.now() - started,
    observation: observation ?? { pass: false, subject: subject(), mismatches: [] },
    ...extra,
  });
  const aborted = (): CheckResult => finish(false, { aborted: true, error: m.aborted });

  if (!strategy) return finish(false, { error: m.kindUnavailable(check.kind) });

  for (;;) {
    if (ctx.signal.aborted) return aborted();
    attempts += 1;
    const signal = deadline(ctx.signal, attemptTimeoutMs);
    // A remote daemon's files and ports are brought here first; if that fails, the kind
    // observes what is here, and says what it found.
    await ctx.refresh?.().catch(() => undefined);
    try {
      observation = withMatchers(
        await strategy.evaluate(check.spec, { ...ctx, signal }),
        check.spec,
        check.kind,
      );
    } catch (error) {
      if (ctx.signal.aborted) return aborted();
      const timedOut = signal.aborted && isDeadlineReason(signal);
      return finish(false, {
        error: describeEngineError(error, {
          lang: ctx.lang,
          timedOut,
          timeoutMs: attemptTimeoutMs,
        }),
      });
    }
    if (ctx.signal.aborted) return aborted();

    // `not: true` inverts the verdict, never the observation: a terminal state may be exactly
    // what a negated check wants, and then it passes here like any other.
    const pass = observation.pass !== check.not;
    if (pass) return finish(true);
    const remaining = check.timeoutMs - (performance.now() - started);
    if (observation.terminal || remaining <= 0) break;
    if (!(await pause(Math.min(check.intervalMs, remaining), ctx.signal))) return aborted();
  }

  await attachSnapshot(observation, ctx);
  return finish(false);
}

/** Takes the deferred container snapshot of a failed check (best effort, bounded). */
async function attachSnapshot(observation: Observation, ctx: CheckContext): Promise<void> {
  const collect = observation.collectSnapshot;
  delete observation.collectSnapshot;
  if (observation.snapshot || !collect) return;
  try {
    const snapshot = await collect(deadline(ctx.signal, SNAPSHOT_TIMEOUT_MS));
    if (snapshot) observation.snapshot = snapshot;
  } catch {
    // A report without a snapshot still says what failed.
  }
}

/** A step's checks, evaluated concurrently (each waits on its own); results in check order. */
export function runChecks(
  checks: readonly Check[],
  ctx: CheckContext,
  opts: RunCheckOptions = {},
): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, ctx, opts)));
}
