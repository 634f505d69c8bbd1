/**
 * Reads an error from an Engine call: what dockerode, docker-modem and Node put on it. The one
 * place that knows where those facts live (`code`, `statusCode`, `json`, `cause`); what to tell
 * people about them is the callers' (docker/errors.ts for access problems, checks/engine-error.ts
 * for check reports, cleanup for what it could not remove).
 */

/** The error's code (`ECONNREFUSED`, `HPE_INVALID_CONSTANT` ...), or its cause's. */
export function codeOf(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; cause?: unknown };
    if (typeof e.code === 'string') return e.code;
    if (e.cause) return codeOf(e.cause);
  }
  return undefined;
}

/** The HTTP status dockerode attaches to Engine errors, if any: the daemon answered. */
export function statusOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'statusCode' in error) {
    const status = Number(error.statusCode);
    return Number.isFinite(status) ? status : undefined;
  }
  return undefined;
}

/** The daemon's own message (dockerode puts the JSON body in `json`), else the error's. */
export function messageOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const json = 'json' in error ? error.json : undefined;
    if (json && typeof json === 'object' && 'message' in json) return String(json.message);
    if (error instanceof Error) return error.message;
  }
  return String(error);
}

/** Codes that say the Engine could not be reached at all (no answer, versus a refusal). */
const CONNECTION_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True when an error says the Engine could not be reached at all (versus refusing a request). */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && CONNECTION_CODES.has(code);
}

/** The call was aborted (our own deadline or the caller's signal), not answered by the daemon. */
export function isAbort(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || error.name === 'TimeoutError' || /aborted/i.test(error.message))
  );
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
