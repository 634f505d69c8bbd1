/**
 * Captured values: a passing check may keep a value it observed (`capture: { name: IP, from:
 * stdout }`) for the rest of the lesson run, and later commands and checks use it as `${IP}`.
 * The rules live here, once: what a capture name is, how `from` finds the value in what the kind
 * observed, and how `${NAME}` is substituted (only names captured in this lesson; any other
 * `${VAR}` is left for the shell).
 */

/** A capture's name: upper-case letters, digits and underscores, starting with a letter. */
export const CAPTURE_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** `${NAME}` where NAME could be a capture's name. */
const REFERENCE = /\$\{([A-Z][A-Z0-9_]*)\}/g;

export interface Capture {
  name: string;
  /** A field path in what the kind observed: `stdout`, `id`, `labels.com.example.tier`, `ports.0`. */
  from: string;
  /** A regular expression applied to the value: its first group (or the whole match) is kept. */
  matches?: string;
}

/** The names `${NAME}` references in `text`, in order (duplicates kept). */
export function referencedNames(text: string): { name: string; index: number }[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({ name: m[1]!, index: m.index }));
}

/** `text` with every `${NAME}` whose NAME is in `values` replaced by its value. */
export function substituteCaptures(text: string, values: ReadonlyMap<string, string>): string {
  if (values.size === 0 || !text.includes('${')) return text;
  return text.replace(REFERENCE, (whole, name: string) => values.get(name) ?? whole);
}

/** A check's spec with `${NAME}` substituted in every string it holds (keys are left alone). */
export function substituteDeep<T>(value: T, values: ReadonlyMap<string, string>): T {
  if (values.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return substituteCaptures(v, values);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The value at `path` in `observed`. Segments are separated by dots; at an object the longest
 * run of segments that is one of its keys is taken (so `labels.com.example.tier` reads the label
 * `com.example.tier`), at a list a segment is an index from 0.
 */
export function valueAt(observed: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = observed;
  let rest = path.split('.');
  while (rest.length > 0) {
    if (Array.isArray(current)) {
      const index = Number(rest[0]);
      if (!Number.isInteger(index)) return undefined;
      current = current[index];
      rest = rest.slice(1);
      continue;
    }
    if (!current || typeof current !== 'object') return undefined;
    const object = current as Record<string, unknown>;
    let taken = 0;
    for (let n = rest.length; n > 0; n -= 1) {
      if (Object.hasOwn(object, rest.slice(0, n).join('.'))) {
        taken = n;
        break;
      }
    }
    if (taken === 0) return undefined;
    current = object[rest.slice(0, taken).join('.')];
    rest = rest.slice(taken);
  }
  return current;
}

/** Why a capture could not take a value; the engine turns it into a mismatch for people. */
export type CaptureProblem =
  | { kind: 'missing' }
  | { kind: 'not-single'; value: unknown }
  | { kind: 'no-match'; value: string };

/**
 * The value a capture keeps: the field's value as text (a number or true/false written out),
 * surrounding whitespace trimmed (a command's trailing newline is never wanted), then `matches`
 * applied if given. A list or an object is not one value: name an element of it.
 */
export function captureValue(
  capture: Capture,
  observed: Readonly<Record<string, unknown>>,
): { value: string } | { problem: CaptureProblem } {
  const raw = valueAt(observed, capture.from);
  if (raw === undefined || raw === null) return { problem: { kind: 'missing' } };
  if (typeof raw === 'object') return { problem: { kind: 'not-single', value: raw } };
  const text = String(raw).trim();
  if (capture.matches === undefined) return { value: text };
  const found = new RegExp(capture.matches).exec(text);
  if (!found) return { problem: { kind: 'no-match', value: text } };
  return { value: (found.length > 1 ? found[1] : found[0]) ?? '' };
}
