import { z } from 'zod';
import { MATCHER_MODIFIERS, MatcherObjectSchema } from '../checks/matcher-schema.js';
import {
  CAPTURE_FIELDS,
  CHECK_KIND_NAMES,
  CHECK_KINDS,
  CHECK_SCHEMAS,
  type CheckKind,
} from '../checks/schema.js';
import { FrontMatterSchema, LESSON_FORMAT, QuizSchema } from './schema.js';
import { MistakesSchema } from '../checks/mistakes.js';

export const SCHEMA_PARTS = ['front-matter', 'checks', 'quiz', 'near-miss'] as const;
export type SchemaPart = (typeof SCHEMA_PARTS)[number];

const checkBlock = () =>
  z.array(z.union(CHECK_ALTERNATIVES)).min(1).meta({
    title: 'yaml check block',
    description: 'A list of checks; each has an id and exactly one kind key.',
  });

function partSchema(part: SchemaPart): z.ZodType {
  switch (part) {
    case 'front-matter':
      return FRONT_MATTER;
    case 'checks':
      return checkBlock();
    case 'quiz':
      return QuizSchema.meta({ title: 'yaml quiz block' });
    case 'near-miss':
      return MistakesSchema.meta({
        title: 'yaml near-miss block',
        description:
          'Typical wrong commands of a step; verify proves that its checks refuse each one.',
      });
  }
}

type JsonObject = Record<string, unknown>;

/** Each kind's body schema (the value under its kind key), to find it while converting. */
const KIND_BODIES = new Map<unknown, CheckKind>(
  CHECK_KIND_NAMES.map((kind) => [
    (CHECK_SCHEMAS[kind].shape as Record<string, unknown>)[kind],
    kind,
  ]),
);
/** The check schemas as the block lists them (with their titles). */
const CHECK_ALTERNATIVES = CHECK_KIND_NAMES.map((kind) =>
  CHECK_SCHEMAS[kind].meta({ title: `${kind} check`, description: CHECK_KINDS[kind].summary }),
);
/** Each check schema, to its kind. */
const CHECKS = new Map<unknown, CheckKind>(
  CHECK_ALTERNATIVES.map((schema, i) => [schema, CHECK_KIND_NAMES[i]!]),
);

/** `capture` on a check of this kind: `from` starts with a field the kind observes, if any. */
function captureRules(kind: CheckKind): JsonObject[] {
  const fields = CAPTURE_FIELDS[kind];
  // A negated check observes nothing to capture.
  const negated = { not: { required: ['not', 'capture'], properties: { not: { const: true } } } };
  if (!fields) return [{ not: { required: ['capture'] } }];
  const from = { properties: { from: { pattern: `^(${fields.join('|')})(\\.|$)` } } };
  return [
    negated,
    {
      properties: {
        capture: {
          anyOf: [
            { type: 'object', ...from },
            { type: 'array', items: from },
          ],
        },
      },
    },
  ];
}
const FRONT_MATTER = FrontMatterSchema.meta({ title: 'lesson front matter' });

/** "at least one of these keys": `anyOf` of one `required` each. */
const oneOfKeys = (keys: readonly string[]) => ({
  anyOf: keys.map((key) => ({ required: [key] })),
});

/**
 * What zod's refinements check, written as JSON Schema from the same definitions, so an editor
 * refuses what lint refuses for structure (docs/lesson-format.md, "The JSON Schema"):
 * - a matcher object names at least one matcher (`minProperties: 1`), not only modifiers
 *   (`trim`, `flags` change how the others read; alone they assert nothing), and `flags` only
 *   next to `matches`;
 * - a kind's body names its subject (CHECK_KINDS[kind].subject) and asserts something
 *   (CHECK_KINDS[kind].asserts);
 * - a check has a description with words in it (lint's check-description rule);
 * - a `capture` takes `from` a field its kind observes (CAPTURE_FIELDS), never on `not: true`;
 * - the front matter's `format` is one this docker-lab understands.
 * Unknown keys and a second kind key are refused already: every object is closed
 * (`additionalProperties: false`) and each check alternative allows one kind key.
 */
function override(ctx: { zodSchema: unknown; jsonSchema: JsonObject }): void {
  const { zodSchema, jsonSchema } = ctx;
  if (zodSchema === MatcherObjectSchema) {
    jsonSchema.minProperties = 1;
    jsonSchema.not = { propertyNames: { enum: [...MATCHER_MODIFIERS] } };
    jsonSchema.if = { required: ['flags'] };
    jsonSchema.then = { required: ['matches'] };
    return;
  }
  const kind = KIND_BODIES.get(zodSchema);
  if (kind) {
    const def: { subject?: readonly string[] | undefined; asserts: readonly string[] } =
      CHECK_KINDS[kind];
    jsonSchema.allOf = [...(def.subject ? [oneOfKeys(def.subject)] : []), oneOfKeys(def.asserts)];
    return;
  }
  const checkKind = CHECKS.get(zodSchema);
  if (checkKind) {
    jsonSchema.allOf = captureRules(checkKind);
    const properties = jsonSchema.properties as Record<string, JsonObject>;
    properties.description = { type: 'string', pattern: '\\S' };
    jsonSchema.required = [...((jsonSchema.required as string[]) ?? []), 'description'];
    return;
  }
  if (zodSchema === FRONT_MATTER) {
    const properties = jsonSchema.properties as Record<string, JsonObject>;
    properties.format = { ...properties.format, maximum: LESSON_FORMAT };
  }
}

/** JSON Schema (draft 2020-12) generated from the same zod schemas the parser validates with. */
export function jsonSchema(part?: SchemaPart): Record<string, unknown> {
  const options = {
    unrepresentable: 'any',
    io: 'input',
    override: override as (ctx: { zodSchema: unknown; jsonSchema: unknown }) => void,
  } as const;
  if (part) return z.toJSONSchema(partSchema(part), options);
  // Convert the parts together so the shared (recursive) matcher lands once in the root $defs
  // and every $ref resolves from the root; then present the parts as $defs too.
  const together = z.toJSONSchema(
    z.object(Object.fromEntries(SCHEMA_PARTS.map((p) => [p, partSchema(p)]))),
    options,
  ) as { properties: Record<string, unknown>; $defs?: Record<string, unknown> };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `docker-lab lesson format ${LESSON_FORMAT}`,
    description:
      'The YAML parts of a docker-lab lesson: front matter ($defs/front-matter), `yaml check` blocks ($defs/checks), `yaml quiz` blocks ($defs/quiz) and `yaml near-miss` blocks ($defs/near-miss). See docs/lesson-format.md.',
    $defs: { ...together.$defs, ...together.properties },
  };
}
