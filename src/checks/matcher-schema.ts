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
] as const;

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const MatcherObjectSchema: z.ZodType<MatcherObject> = z
  .strictObject({
    equals: z.unknown().optional(),
    contains: ScalarSchema.optional(),
    matches: z
      .string()
      .refine(isValidRegExp, { message: 'not a valid regular expression (JavaScript syntax)' })
      .optional(),
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
  })
  .refine((value) => Object.keys(value).length > 0, {
    message: `an empty matcher asserts nothing: use one of ${MATCHER_KEYS.join(', ')}`,
  });

export const MatcherSchema: z.ZodType<Matcher> = z
  .lazy(() => z.union([ScalarSchema, z.array(z.unknown()), MatcherObjectSchema]))
  .meta({
    id: 'matcher',
    description:
      'A value to equal, or an object of matchers that must all hold (contains, matches, gt ...).',
  });
