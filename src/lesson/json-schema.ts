import { z } from 'zod';
import { MatcherObjectSchema } from '../checks/matcher-schema.js';
import { CHECK_KIND_NAMES, CHECK_KINDS, CHECK_SCHEMAS, type CheckKind } from '../checks/schema.js';
import { FrontMatterSchema, LESSON_FORMAT, QuizSchema } from './schema.js';

export const SCHEMA_PARTS = ['front-matter', 'checks', 'quiz'] as const;
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
const CHECKS = new Set<unknown>(CHECK_ALTERNATIVES);
const FRONT_MATTER = FrontMatterSchema.meta({ title: 'lesson front matter' });

/** "at least one of these keys": `anyOf` of one `required` each. */
const oneOfKeys = (keys: readonly string[]) => ({
  anyOf: keys.map((key) => ({ required: [key] })),
});

/**
 * What zod's refinements check, written as JSON Schema from the same definitions, so an editor
 * refuses what lint refuses for structure (docs/lesson-format.md, "The JSON Schema"):
 * - a matcher object names at least one matcher (`minProperties: 1`);
 * - a kind's body names its subject (CHECK_KINDS[kind].subject) and asserts something
 *   (CHECK_KINDS[kind].asserts);
 * - a check has a description with words in it (lint's check-description rule);
 * - the front matter's `format` is one this docker-lab understands.
 * Unknown keys and a second kind key are refused already: every object is closed
 * (`additionalProperties: false`) and each check alternative allows one kind key.
 */
function override(ctx: { zodSchema: unknown; jsonSchema: JsonObject }): void {
  const { zodSchema, jsonSchema } = ctx;
  if (zodSchema === MatcherObjectSchema) {
    jsonSchema.minProperties = 1;
    return;
  }
  const kind = KIND_BODIES.get(zodSchema);
  if (kind) {
    const def: { subject?: readonly string[] | undefined; asserts: readonly string[] } =
      CHECK_KINDS[kind];
    jsonSchema.allOf = [...(def.subject ? [oneOfKeys(def.subject)] : []), oneOfKeys(def.asserts)];
    return;
  }
  if (CHECKS.has(zodSchema)) {
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
      'The YAML parts of a docker-lab lesson: front matter ($defs/front-matter), `yaml check` blocks ($defs/checks) and `yaml quiz` blocks ($defs/quiz). See docs/lesson-format.md.',
    $defs: { ...together.$defs, ...together.properties },
  };
}
