import { z } from 'zod';

/**
 * The matcher set shared by every check kind. A bare scalar means `equals`; an object combines
 * matchers, all of which must hold. An empty object asserts nothing and is refused.
 */
export type Scalar = string | number | boolean | null;
export interface MatcherObject {
  equals?: unknown;
  contains?: Scalar;
  matches?: string;
  startsWith?: string;
  endsWith?: string;
  gt?: number;
  lt?: number;
  gte?: number;
  lte?: number;
  containsElement?: Matcher;
  length?: Matcher;
  not?: Matcher;
  all?: Matcher[];
  any?: Matcher[];
  /** JavaScript flags for `matches` (i, m, s, u), next to it. */
  flags?: string;
  /** The other matchers of this object see the text with outer whitespace removed. */
  trim?: boolean;
  /** The text's lines as a list (textLines); a bare number means that many lines. */
  lines?: Matcher;
  /** A list whose every element the matcher accepts. */
  every?: Matcher;
}
/** A bare list also means `equals` (deep); a map to compare with is written `equals: {...}`. */
export type Matcher = Scalar | unknown[] | MatcherObject;

export const MATCHER_KEYS = [
  'equals',
  'contains',
  'matches',
  'startsWith',
  'endsWith',
  'gt',
  'lt',
  'gte',
  'lte',
  'containsElement',
  'length',
  'not',
  'all',
  'any',
  'flags',
  'trim',
  'lines',
  'every',
] as const;

/** Keys that change how the others read the value and assert nothing by themselves. */
export const MATCHER_MODIFIERS = ['flags', 'trim'] as const;

/** The flags a `flags:` key may give; `g` and `y` would make a pattern remember where it was. */
export const REGEX_FLAGS = 'imsu';
/** Inline flags at the start of a pattern, as other regex dialects write them: `(?i)`, `(?ms)`. */
export const INLINE_FLAGS = 'ims';
const INLINE_PREFIX = /^\(\?([A-Za-z]+)\)/;

export type CompiledPattern = { regex: RegExp } | { error: string; fix: string };

/**
 * The regular expression `matches` stands for: inline flags at the start (`(?i)`, `(?im)`) and
 * the `flags` key become JavaScript flags, and `m` is always on (`^` and `$` match at every line
 * end, as they always have in checks). On a refused pattern: JavaScript's reason and the fix.
 */
export function compilePattern(source: string, flags = ''): CompiledPattern {
  const wrongFlag = [...flags].find((f) => !REGEX_FLAGS.includes(f));
  if (wrongFlag !== undefined)
    return {
      error: `"${wrongFlag}" is not a flag a check's pattern takes`,
      fix: `write flags from ${[...REGEX_FLAGS].join(', ')} (i: ignore case, m: ^ and $ at line ends, s: . matches a line end, u: Unicode), like flags: "is"`,
    };
  let pattern = source;
  let all = flags;
  const inline = INLINE_PREFIX.exec(source);
  if (inline) {
    const letters = inline[1]!;
    const wrong = [...letters].find((f) => !INLINE_FLAGS.includes(f));
    if (wrong !== undefined)
      return {
        error: `the inline flag "${wrong}" in (?${letters}) is not one JavaScript has`,
        fix: `use (?i), (?m), (?s) or a combination like (?is) at the start of the pattern, or the flags key`,
      };
    pattern = source.slice(inline[0].length);
    all += letters;
  }
  const unique = [...new Set(`${all}m`)].join('');
  try {
    return { regex: new RegExp(pattern, unique) };
  } catch (error) {
    return {
      error: (error as Error).message,
      fix: 'write a JavaScript regular expression: escape ( ) [ ] { } . * + ? with a backslash to match them as they are, and put inline flags only at the very start, like (?i)',
    };
  }
}

const ASSERTING_KEYS = MATCHER_KEYS.filter(
  (k) => !(MATCHER_MODIFIERS as readonly string[]).includes(k),
);

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const MatcherObjectSchema: z.ZodType<MatcherObject> = z
  .strictObject({
    equals: z.unknown().optional(),
    contains: ScalarSchema.optional(),
    matches: z.string().optional(),
    flags: z
      .string()
      .regex(new RegExp(`^[${REGEX_FLAGS}]+$`), {
        message: `write flags from ${[...REGEX_FLAGS].join(', ')} (i: ignore case, m: ^ and $ at line ends, s: . matches a line end, u: Unicode), like flags: "is"; g and y are not taken, they make a pattern remember where it stopped`,
      })
      .optional(),
    trim: z.boolean().optional(),
    startsWith: z.string().optional(),
    endsWith: z.string().optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
    gte: z.number().optional(),
    lte: z.number().optional(),
    get containsElement() {
      return MatcherSchema.optional();
    },
    get length() {
      return MatcherSchema.optional();
    },
    get not() {
      return MatcherSchema.optional();
    },
    get all() {
      return z.array(MatcherSchema).min(1).optional();
    },
    get any() {
      return z.array(MatcherSchema).min(1).optional();
    },
    get lines() {
      return MatcherSchema.optional();
    },
    get every() {
      return MatcherSchema.optional();
    },
  })
  .refine((value) => Object.keys(value).length > 0, {
    message: `an empty matcher asserts nothing: use one of ${ASSERTING_KEYS.join(', ')}`,
  })
  .superRefine((value, ctx) => {
    const keys = Object.keys(value);
    // (`flags` without `matches` has its own sentence below.)
    if (
      value.flags === undefined &&
      keys.length > 0 &&
      keys.every((k) => (MATCHER_MODIFIERS as readonly string[]).includes(k))
    )
      ctx.addIssue({
        code: 'custom',
        message: `${keys.map((k) => `\`${k}\``).join(' and ')} only ${keys.length === 1 ? 'changes' : 'change'} how the other matchers of the object read the value, and this object has none: add one of ${ASSERTING_KEYS.join(', ')}`,
      });
    if (value.flags !== undefined && value.matches === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['flags'],
        message:
          '`flags` are for the pattern of `matches`, and this object has none: add `matches` next to it, or remove `flags`',
      });
    // Wrong flags are said at `flags` (its pattern above); the pattern is judged with good ones.
    if (value.matches !== undefined && 'regex' in compilePattern('', value.flags ?? '')) {
      const compiled = compilePattern(value.matches, value.flags);
      if ('error' in compiled)
        ctx.addIssue({
          code: 'custom',
          path: ['matches'],
          message: `the pattern /${value.matches}/ is refused: ${compiled.error}. Fix: ${compiled.fix}`,
        });
    }
  });

export const MatcherSchema: z.ZodType<Matcher> = z
  .lazy(() => z.union([ScalarSchema, z.array(z.unknown()), MatcherObjectSchema]))
  .meta({
    id: 'matcher',
    description:
      'A value to equal, or an object of matchers that must all hold (contains, matches, gt ...).',
  });
