/**
 * Deadlines for Engine calls: the one helper, on AbortSignal. Every call is bounded: a hung
 * daemon must surface as an error the learner can act on, never as a frozen screen. (What the
 * error says is read in engine-error.ts.)
 */

/**
 * Default budget for one Engine API call (inspect, list, remove), whoever makes it: the ledger,
 * cleanup, the Engine client's `call`, a check's attempt.
 */
export const CALL_TIMEOUT_MS = 15_000;
/** Image removal deletes layers on disk and can be slow for big images. */
export const IMAGE_REMOVE_TIMEOUT_MS = 60_000;

/**
 * A signal that fires when `signal` does or when `ms` have passed, whichever comes first. Its
 * timer never keeps the process up, and it adds no listener to `signal`, so a long-lived signal
 * (a run's) can bound any number of calls.
 */
export function deadline(signal: AbortSignal | undefined, ms = CALL_TIMEOUT_MS): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** The signal fired because a deadline passed (a TimeoutError), not because someone cancelled. */
export function timedOut(signal: AbortSignal): boolean {
  return (
    signal.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
  );
}
