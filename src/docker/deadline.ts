/**
 * Deadlines and error classification for Engine calls. Every call the ledger makes is bounded:
 * a hung daemon must surface as an error the learner can act on, never as a frozen screen.
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

/** The HTTP status dockerode attaches to Engine errors, if any. */
export function statusOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'statusCode' in error) {
    const status = Number((error as { statusCode: unknown }).statusCode);
    return Number.isFinite(status) ? status : undefined;
  }
  return undefined;
}

/** The daemon's own message (dockerode puts the JSON body in `json`), else the error's. */
export function messageOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const json = (error as { json?: unknown }).json;
    if (json && typeof json === 'object' && 'message' in json) return String(json.message);
    if (error instanceof Error) return error.message;
  }
  return String(error);
}

/**
 * The object no longer exists (or is being removed by the daemon already): for cleanup that is
 * success, since whoever removed it did our job.
 */
export function isGone(error: unknown): boolean {
  if (statusOf(error) === 404) return true;
  return /removal of container .* is already in progress|no such (container|image|volume|network|service)/i.test(
    messageOf(error),
  );
}
