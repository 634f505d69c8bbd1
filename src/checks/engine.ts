import { setTimeout as sleep } from 'node:timers/promises';
import { CALL_TIMEOUT_MS, deadline, timedOut } from '../docker/deadline.js';
import { captureValue, type Capture } from './capture.js';
import { describeEngineError } from './engine-error.js';
import { CHECK_STRATEGIES } from './kinds/index.js';
import type { Matcher } from './matcher-schema.js';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { CHECK_KINDS, type Check, type CheckKind } from './schema.js';
import type {
  CheckContext,
  CheckKindStrategy,
  CheckResult,
  CheckStrategies,
  Observation,
} from './types.js';

/**
 * Runs checks: one waiting mechanism for every kind. Each attempt reads fresh state through the
 * kind's strategy; a failing check is retried every `interval` until `timeout`, unless the
 * observed state cannot change by itself (terminal) or the caller cancels. Nothing throws:
 * Engine trouble becomes CheckResult.error, in words for people.
 */

/**
 * Budget of one attempt (all the Engine calls a kind makes for one evaluation): the budget of
 * one Engine call. The calls inside it get less (kinds/support.ts, CHECK_CALL_TIMEOUT_MS).
 */
export const ATTEMPT_TIMEOUT_MS = CALL_TIMEOUT_MS;
/** Budget for taking a container snapshot once a check has failed. */
const SNAPSHOT_TIMEOUT_MS = 5_000;

export interface RunCheckOptions {
  /**
   * Strategies to use instead of the built-in registry (tests, embedding). Unlike the registry
   * they may leave kinds out; checks of such a kind fail with "not available".
   */
  strategies?: Partial<CheckStrategies>;
  attemptTimeoutMs?: number;
  /**
   * Told after each failing attempt that will be retried: what was seen and how long the check
   * has waited of its timeout, so a view can say what it waits for instead of going silent.
   */
  onWaiting?: (waiting: { observation: Observation; elapsedMs: number; timeoutMs: number }) => void;
}

/** A check's strategy with the check's spec in hand: what the waiting loop calls. */
interface BoundStrategy {
  subject(lang: Lang): string | undefined;
  evaluate(ctx: CheckContext): Promise<Observation>;
}

/**
 * The strategy for `check`, holding the check's spec. `strategies[check.kind]` reads specs of
 * the same kind as `check.spec`; over the union of kinds TypeScript cannot see that the two
 * belong together (microsoft/TypeScript#30581), over one kind K it can. So this is the one place
 * a check meets its strategy, and neither the engine nor any kind casts a spec.
 */
function bind<K extends CheckKind>(
  check: Check<K>,
  strategies: Partial<CheckStrategies>,
): BoundStrategy | undefined {
  const strategy: CheckKindStrategy<K> | undefined = strategies[check.kind];
  if (!strategy) return undefined;
  return {
    subject: (lang) => strategy.subject?.(check.spec, lang),
    evaluate: (ctx) => strategy.evaluate(check.spec, ctx),
  };
}

/**
 * The matcher each mismatch was judged by, so reports can diff text that should have matched.
 * Only asserting fields carry matchers: a subject field (`container`, `command`) is not one.
 */
function withMatchers(
  observation: Observation,
  spec: Readonly<Partial<Record<string, unknown>>>,
  asserts: readonly string[],
): Observation {
  for (const mismatch of observation.mismatches) {
    const stated = spec[mismatch.field];
    if (!('matcher' in mismatch) && asserts.includes(mismatch.field) && stated !== undefined) {
      // A field whose value is not a matcher (`smallerThan`) says so: it sets `matcher` itself.
      mismatch.matcher = stated as Matcher;
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

export async function runCheck<K extends CheckKind>(
  check: Check<K>,
  ctx: CheckContext,
  opts: RunCheckOptions = {},
): Promise<CheckResult<K>> {
  const started = performance.now();
  const strategy = bind(check, opts.strategies ?? CHECK_STRATEGIES);
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const m = messages(ctx.lang);
  const subject = (): string => strategy?.subject(ctx.lang) ?? m.subject.kind(check.kind);
  let attempts = 0;
  let observation: Observation | undefined;

  const finish = (
    pass: boolean,
    extra: Partial<Pick<CheckResult, 'error' | 'aborted'>> = {},
  ): CheckResult<K> => ({
    check,
    pass,
    attempts,
    elapsedMs: performance.now() - started,
    observation: observation ?? { pass: false, subject: subject(), mismatches: [] },
    ...extra,
  });
  const aborted = (): CheckResult<K> => finish(false, { aborted: true, error: m.check.aborted });

  if (!strategy) return finish(false, { error: m.check.kindUnavailable(check.kind) });

  for (;;) {
    if (ctx.signal.aborted) return aborted();
    attempts += 1;
    const signal = deadline(ctx.signal, attemptTimeoutMs);
    // A remote daemon's files and ports are brought here first; if that fails, the kind
    // observes what is here, and says what it found.
    await ctx.refresh?.().catch(() => undefined);
    try {
      observation = withMatchers(
        await strategy.evaluate({ ...ctx, signal, attempt: attempts }),
        check.spec,
        CHECK_KINDS[check.kind].asserts,
      );
    } catch (error) {
      if (ctx.signal.aborted) return aborted();
      return finish(false, {
        error: describeEngineError(error, {
          lang: ctx.lang,
          timedOut: timedOut(signal),
          timeoutMs: attemptTimeoutMs,
        }),
      });
    }
    if (ctx.signal.aborted) return aborted();

    // `not: true` inverts the verdict, never the observation: a terminal state may be exactly
    // what a negated check wants, and then it passes here like any other.
    const pass = observation.pass !== check.not;
    if (pass) {
      // A value to keep that is not there fails the check: later steps would use nothing.
      const kept = capture(check.capture, observation, ctx.lang);
      if (kept) return { ...finish(true), ...(check.capture ? { captured: kept } : {}) };
    }
    const remaining = check.timeoutMs - (performance.now() - started);
    if (observation.terminal || remaining <= 0) break;
    opts.onWaiting?.({
      observation,
      elapsedMs: performance.now() - started,
      timeoutMs: check.timeoutMs,
    });
    if (!(await pause(Math.min(check.intervalMs, remaining), ctx.signal))) return aborted();
  }

  await attachSnapshot(observation, ctx);
  return finish(false);
}

/**
 * The values a passing check keeps (`capture`), or undefined when one cannot be taken: then the
 * observation becomes a failure that says which and why, and waiting goes on like any failure.
 */
function capture(
  captures: readonly Capture[] | undefined,
  observation: Observation,
  lang: Lang,
): Record<string, string> | undefined {
  const kept: Record<string, string> = {};
  const m = messages(lang).check;
  for (const wanted of captures ?? []) {
    const got = captureValue(wanted, observation.observed ?? {});
    if ('value' in got) {
      kept[wanted.name] = got.value;
      continue;
    }
    const { problem } = got;
    observation.pass = false;
    observation.mismatches.push({
      field: m.captureField(wanted.name, wanted.from),
      expected:
        wanted.matches === undefined
          ? m.captureExpectedValue
          : m.captureExpectedMatch(wanted.matches),
      actual: problem.kind === 'missing' ? undefined : problem.value,
    });
    if (problem.kind === 'not-single') observation.fix = messages(lang).fix.captureNotSingle;
    else observation.fix ??= messages(lang).fix.captureMissing;
    return undefined;
  }
  return kept;
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
