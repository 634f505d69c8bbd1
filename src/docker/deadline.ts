/**
 * Deadlines for Engine calls. Every call the ledger makes is bounded: a hung daemon must surface
 * as an error the learner can act on, never as a frozen screen. (What the error says is read in
 * engine-error.ts.)
 */

/** Default budget for one Engine API call (inspect, list, remove). */
export const CALL_TIMEOUT_MS = 15_000;
/** Image removal deletes layers on disk and can be slow for big images. */
export const IMAGE_REMOVE_TIMEOUT_MS = 60_000;

/** A signal that fires when `signal` does or when `ms` have passed, whichever comes first. */
export function deadline(signal: AbortSignal | undefined, ms = CALL_TIMEOUT_MS): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
