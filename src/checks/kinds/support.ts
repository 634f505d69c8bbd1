/**
 * Small pieces the check kinds share: deadlines for Engine calls, field-by-field comparison
 * with the matcher set, and decoding of the Engine's multiplexed log/exec streams.
 */
import { stripVTControlCharacters } from 'node:util';
import type { Matcher } from '../matcher-schema.js';
import { describeMatcher, matches } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import type { CheckContext, Mismatch, Observation } from '../types.js';
import { deadline } from '../../docker/deadline.js';

/**
 * Budget of one thing a check waits for inside an attempt: an Engine call, a command run by
 * `exec`, an HTTP request. Below the attempt's (ATTEMPT_TIMEOUT_MS, an Engine call's), so the
 * kind sees the time run out itself: a hung command or server is reported as such, and a daemon
 * that does not answer is `reachable: false`, rather than the whole attempt timing out.
 */
export const CHECK_CALL_TIMEOUT_MS = 10_000;

/** The signal for one call: the check's own (Ctrl-C, the attempt's deadline) or the call's. */
export function callSignal(ctx: CheckContext, ms = CHECK_CALL_TIMEOUT_MS): AbortSignal {
  return deadline(ctx.signal, ms);
}

/**
 * One Mismatch per expectation in `spec` (among `fields`) that `actual` does not satisfy.
 * Fields the spec leaves out are not looked at.
 */
export function compareFields<A extends object, F extends keyof A & string>(
  spec: Readonly<Partial<Record<NoInfer<F>, Matcher>>>,
  actual: A,
  fields: readonly F[],
  lang: Lang,
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const field of fields) {
    const matcher = spec[field];
    if (matcher === undefined) continue;
    const value = actual[field];
    if (!matches(matcher, value)) {
      out.push({ field, expected: describeMatcher(matcher, lang), actual: value });
    }
  }
  return out;
}

/** A mismatch for the object's existence: `exists` as the spec states it (default true). */
export function existsMismatch(
  spec: { exists?: boolean },
  exists: boolean,
  lang: Lang,
): Mismatch | undefined {
  const wanted = spec.exists ?? true;
  if (wanted === exists) return undefined;
  return { field: 'exists', expected: describeMatcher(wanted, lang), actual: exists };
}

/**
 * The verdict when the subject is missing, or when `exists` decides the check: an observation to
 * return as it is (with `fixIfMissing` when the subject is absent and should not be); undefined
 * when the subject is there and its other fields must be compared.
 */
export function existenceObservation(
  spec: { exists?: boolean },
  exists: boolean,
  subject: string,
  lang: Lang,
  fixIfMissing: () => string,
): Observation | undefined {
  const missing = existsMismatch(spec, exists, lang);
  if (exists && !missing) return undefined;
  return {
    subject,
    pass: !missing,
    mismatches: missing ? [missing] : [],
    ...(missing && !exists ? { fix: fixIfMissing() } : {}),
  };
}

export interface Streams {
  /** Both streams in the order the Engine sent them. */
  text: string;
  stdout: string;
  stderr: string;
}

/**
 * Splits the Engine's multiplexed stream (8-byte frame headers: stream type, 3 zero bytes,
 * big-endian length). Only for containers/execs without a TTY: with one, the stream is raw.
 */
export function demux(buffer: Buffer): Streams {
  const all: Buffer[] = [];
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const frame = buffer.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size;
    all.push(frame);
    if (type === 2) err.push(frame);
    else if (type === 1 || type === 0) out.push(frame);
  }
  return {
    text: clean(Buffer.concat(all)),
    stdout: clean(Buffer.concat(out)),
    stderr: clean(Buffer.concat(err)),
  };
}

/** A TTY's raw stream: everything is stdout. */
export function raw(buffer: Buffer): Streams {
  const text = clean(buffer);
  return { text, stdout: text, stderr: '' };
}

/**
 * Text as people read it: colours and cursor codes removed, and a TTY's CRLF line ends made
 * plain, so `matches: "ready$"` behaves the same with and without `-t`.
 */
export function clean(buffer: Buffer | string): string {
  const text = typeof buffer === 'string' ? buffer : buffer.toString('utf8');
  return stripVTControlCharacters(text).replace(/\r\n/g, '\n');
}

/** Collects a readable stream into one Buffer. */
export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Container names as the Engine lists them ("/web") made plain and sorted. */
export function containerNames(names: (string[] | undefined)[]): string[] {
  return names
    .map((n) => (n?.[0] ?? '').replace(/^\//, ''))
    .filter((n) => n !== '')
    .sort();
}

/** Sorted, without duplicates: lists a check compares with `equals` should not depend on order. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
