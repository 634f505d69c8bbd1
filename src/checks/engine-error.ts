import { isConnectionError, messageOf, statusOf } from '../docker/engine-error.js';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';

/**
 * Turns an error thrown while evaluating a check into one sentence for people. A check never
 * throws at its caller: the sentence becomes CheckResult.error and the report shows it. What the
 * error says (code, status, the daemon's message) is read by docker/engine-error.ts.
 */

export interface ErrorCircumstances {
  lang: Lang;
  /** The attempt's own deadline fired (not the caller's cancellation). */
  timedOut?: boolean;
  timeoutMs?: number;
}

export function describeEngineError(error: unknown, circumstances: ErrorCircumstances): string {
  const m = messages(circumstances.lang).check;
  if (circumstances.timedOut) return m.daemonTimeout(m.duration(circumstances.timeoutMs ?? 0));
  if (isConnectionError(error)) return m.daemonUnreachable(messageOf(error));
  if (statusOf(error) !== undefined) return m.engineRefused(messageOf(error));
  return messageOf(error);
}
