import { z } from 'zod';
import { CHECK_KIND_NAMES, CHECK_KINDS, CHECK_SCHEMAS } from '../checks/schema.js';
import { FrontMatterSchema, LESSON_FORMAT, QuizSchema } from './schema.js';
import { MistakesSchema } from '../checks/mistakes.js';

export const SCHEMA_PARTS = ['front-matter', 'checks', 'quiz', 'near-miss'] as const;
export type SchemaPart = (typeof SCHEMA_PARTS)[number];

const checkBlock = () =>
  z
    .array(
      z.union(
        CHECK_KIND_NAMES.map((kind) =>
          CHECK_SCHEMAS[kind].meta({
            title: `${kind} check`,
            description: CHECK_KINDS[kind].summary,
          }),
        ),
      ),
    )
    .min(1)
    .meta({
      title: 'yaml check block',
      description: 'A list of checks; each has an id and exactly one kind key.',
    });

function partSchema(part: SchemaPart): z.ZodType {
  switch (part) {
    case 'front-matter':
      return FrontMatterSchema.meta({ title: 'lesson front matter' });
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

/** JSON Schema (draft 2020-12) generated from the same zod schemas the parser validates with. */
export function jsonSchema(part?: SchemaPart): Record<string, unknown> {
  const options = { unrepresentable: 'any', io: 'input' } as const;
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
