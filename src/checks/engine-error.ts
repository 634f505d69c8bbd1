import { messageOf, statusOf } from '../docker/deadline.js';
import type { Lang } from './matchers.js';
import { messages } from './messages.js';

/**
 * Turns an error thrown while evaluating a check into one sentence for people. A check never
 * throws at its caller: the sentence becomes CheckResult.error and the report shows it.
 */

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

function codeOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True when an error says the Engine could not be reached at all (versus refusing a request). */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && CONNECTION_CODES.has(code);
}

export interface ErrorCircumstances {
  lang: Lang;
  /** The attempt's own deadline fired (not the caller's cancellation). */
  timedOut?: boolean;
  timeoutMs?: number;
}

export function describeEngineError(error: unknown, circumstances: ErrorCircumstances): string {
  const m = messages(circumstances.lang);
  if (circumstances.timedOut) return m.daemonTimeout(m.duration(circumstances.timeoutMs ?? 0));
  if (isConnectionError(error)) return m.daemonUnreachable(messageOf(error));
  if (statusOf(error) !== undefined) return m.engineRefused(messageOf(error));
  return messageOf(error);
}
