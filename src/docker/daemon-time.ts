/**
 * The daemon's clock, in nanoseconds since the epoch. Event bounds (`since`, `until`) are
 * compared by the daemon against its own clock, so they are taken from it (`SystemTime` in
 * /info, `timeNano` of events), never from the host's: the two differ when the daemon is
 * remote or in a VM.
 */
import type Dockerode from 'dockerode';
import { deadline } from './deadline.js';

/** Parses RFC 3339 with up to nanosecond fractions (Go's time.RFC3339Nano) into nanoseconds. */
export function parseDaemonTime(text: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) throw new Error(`unexpected daemon time format: ${JSON.stringify(text)}`);
  const [, seconds, fraction = '', zone] = match;
  const millis = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(millis)) throw new Error(`unexpected daemon time: ${JSON.stringify(text)}`);
  return BigInt(millis) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

/** The Engine's `since`/`until` query format: seconds and nanoseconds, "1700000000.000000001". */
export function toTimestamp(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const rest = nanos % 1_000_000_000n;
  return `${seconds}.${rest.toString().padStart(9, '0')}`;
}

/** What the daemon's clock says now. */
export async function daemonNow(docker: Dockerode, signal?: AbortSignal): Promise<bigint> {
  // @types/dockerode omits info()'s options; dockerode itself passes abortSignal through.
  const engine = docker as unknown as { info(o: object): Promise<{ SystemTime?: string }> };
  const info = await engine.info({ abortSignal: deadline(signal) });
  if (!info.SystemTime) throw new Error('the Docker daemon did not report its time (SystemTime)');
  return parseDaemonTime(info.SystemTime);
}
