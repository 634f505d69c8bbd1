import { isDeepStrictEqual } from 'node:util';
import { compilePattern, type Matcher, type MatcherObject } from './matcher-schema.js';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';

/**
 * Evaluates the matcher set against an actual value read from the Engine. Pure.
 * YAML is loose about numbers and text ("1" vs 1), so equality and comparisons accept a number
 * written as text on either side.
 */

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function looselyEqual(expected: unknown, actual: unknown): boolean {
  if (isDeepStrictEqual(expected, actual)) return true;
  if (typeof expected !== typeof actual) {
    const a = asNumber(expected);
    const b = asNumber(actual);
    if (a !== undefined && b !== undefined) return a === b;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return (
      expected.length === actual.length && expected.every((e, i) => looselyEqual(e, actual[i]))
    );
  }
  return false;
}

function isMatcherObject(m: Matcher): m is MatcherObject {
  return m !== null && typeof m === 'object' && !Array.isArray(m);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

/**
 * A text's lines, as `lines:` sees them: split at every line end, `\n` or `\r\n` (one break);
 * a final line end ends the last line and does not start an empty one. Empty text has no lines;
 * a lone `\r` is not a line end (it stays in its line).
 */
export function textLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** What `trim: true` hands the other matchers: text without outer whitespace; other values as they are. */
function trimmed(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function one(
  key: keyof MatcherObject,
  expected: unknown,
  actual: unknown,
  matcher: MatcherObject,
): boolean {
  switch (key) {
    case 'equals':
      return looselyEqual(expected, actual);
    case 'contains': {
      if (Array.isArray(actual)) return actual.some((element) => looselyEqual(expected, element));
      const t = text(actual);
      return t !== undefined && t.includes(String(expected));
    }
    case 'matches': {
      const t = text(actual);
      if (t === undefined) return false;
      const compiled = compilePattern(String(expected), matcher.flags);
      // Lint refuses such a pattern; one that reaches here anyway holds for nothing.
      return 'regex' in compiled && compiled.regex.test(t);
    }
    case 'startsWith': {
      const t = text(actual);
      return t !== undefined && t.startsWith(String(expected));
    }
    case 'endsWith': {
      const t = text(actual);
      return t !== undefined && t.endsWith(String(expected));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = asNumber(actual);
      const limit = expected as number;
      if (n === undefined) return false;
      return key === 'gt'
        ? n > limit
        : key === 'gte'
          ? n >= limit
          : key === 'lt'
            ? n < limit
            : n <= limit;
    }
    case 'containsElement':
      return (
        Array.isArray(actual) && actual.some((element) => matches(expected as Matcher, element))
      );
    case 'length': {
      const n = lengthOf(actual);
      return n !== undefined && matches(expected as Matcher, n);
    }
    case 'not':
      return !matches(expected as Matcher, actual);
    case 'all':
      return (expected as Matcher[]).every((m) => matches(m, actual));
    case 'any':
      return (expected as Matcher[]).some((m) => matches(m, actual));
    case 'every':
      return (
        Array.isArray(actual) && actual.every((element) => matches(expected as Matcher, element))
      );
    case 'lines': {
      const t = text(actual);
      if (t === undefined) return false;
      const lines = textLines(t);
      // A bare number counts lines; anything else judges the list of lines.
      return typeof expected === 'number'
        ? lines.length === expected
        : matches(expected as Matcher, lines);
    }
    case 'flags':
    case 'trim':
      // They change how the others read the value (see `matches` below); alone they assert nothing.
      return true;
  }
}

/** Whether `actual` satisfies `matcher`: a bare value or list means equals; an object, all of its matchers. */
export function matches(matcher: Matcher, actual: unknown): boolean {
  if (!isMatcherObject(matcher)) return looselyEqual(matcher, actual);
  const value = matcher.trim === true ? trimmed(actual) : actual;
  return (Object.keys(matcher) as (keyof MatcherObject)[])
    .filter((key) => matcher[key] !== undefined)
    .every((key) => one(key, matcher[key], value, matcher));
}

function literal(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A short human description of what a matcher expects, e.g. `contains "Hello"`, `>= 3`. */
export function describeMatcher(matcher: Matcher, lang: Lang = 'en'): string {
  const w = messages(lang).matcher;
  if (!isMatcherObject(matcher)) return `${w.equals} ${literal(matcher)}`;
  const parts = (Object.keys(matcher) as (keyof MatcherObject)[])
    .filter((key) => matcher[key] !== undefined)
    .map((key) => {
      const value = matcher[key];
      switch (key) {
        case 'gt':
          return `> ${String(value)}`;
        case 'gte':
          return `>= ${String(value)}`;
        case 'lt':
          return `< ${String(value)}`;
        case 'lte':
          return `<= ${String(value)}`;
        case 'matches':
          return `${w.matches} /${String(value)}/${matcher.flags ?? ''}`;
        case 'flags':
          return undefined;
        case 'trim':
          return undefined;
        case 'lines':
          return typeof value === 'number'
            ? w.lineCount(value)
            : `${w.lines} (${describeMatcher(value as Matcher, lang)})`;
        case 'containsElement':
        case 'length':
        case 'every':
        case 'not':
          return `${w[key]} (${describeMatcher(value as Matcher, lang)})`;
        case 'all':
        case 'any':
          return `${w[key]} [${(value as Matcher[]).map((m) => describeMatcher(m, lang)).join('; ')}]`;
        default:
          return `${w[key]} ${literal(value)}`;
      }
    });
  const said = parts.filter((part) => part !== undefined).join(w.and);
  return matcher.trim === true ? w.trim(said) : said;
}
