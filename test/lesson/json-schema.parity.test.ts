import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse, stringify } from 'yaml';
import { jsonSchema, type SchemaPart } from '../../src/lesson/json-schema.js';
import { lintSources } from '../../src/lesson/lint.js';

/**
 * The JSON Schema that `docker-lab schema` gives editors refuses what lint refuses for
 * structure. Every front matter, check block, check and quiz of every lesson fixture (good and
 * bad) and of the course goes through both, and both give the same verdict.
 */

/** Lint's rules about structure: what a schema can say. The others (twins, images ...) it cannot. */
const STRUCTURE_RULES = new Set([
  'schema',
  'unknown-key',
  'unknown-kind',
  'front-matter',
  'format-version',
  'check-description',
]);

/**
 * The exported schema is draft 2020-12. The validator here is Ajv 6 (draft-07; see
 * docs/dependencies.md): the schema uses no keyword whose meaning changed between the two, and
 * with strictKeywords any keyword Ajv 6 does not know fails the test instead of being ignored.
 * Only `$defs` is renamed to draft-07's `definitions`.
 */
function validatorFor(part: SchemaPart) {
  const text = JSON.stringify(jsonSchema(part))
    .replaceAll('"$defs"', '"definitions"')
    .replaceAll('#/$defs/', '#/definitions/');
  const schema = JSON.parse(text) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv({ strictKeywords: true, allErrors: true });
  return ajv.compile(schema);
}

function lessonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return lessonFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

interface Sample {
  part: SchemaPart;
  where: string;
  value: unknown;
}

/** The YAML parts of a lesson file: its front matter, each check block, each check, each quiz. */
function samples(file: string): Sample[] {
  const text = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n');
  const out: Sample[] = [];
  const read = (yaml: string): { ok: boolean; value?: unknown } => {
    try {
      return { ok: true, value: parse(yaml) as unknown };
    } catch {
      return { ok: false };
    }
  };
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (front) {
    const r = read(front[1]!);
    if (r.ok) out.push({ part: 'front-matter', where: `${file} front matter`, value: r.value });
  }
  for (const block of text.matchAll(/^```yaml (check|quiz)\n([\s\S]*?)^```$/gm)) {
    const r = read(block[2]!);
    if (!r.ok) continue;
    const line = text.slice(0, block.index).split('\n').length;
    if (block[1] === 'quiz') {
      out.push({ part: 'quiz', where: `${file}:${line} quiz`, value: r.value });
      continue;
    }
    out.push({ part: 'checks', where: `${file}:${line} check block`, value: r.value });
    if (Array.isArray(r.value))
      r.value.forEach((item, i) =>
        out.push({ part: 'checks', where: `${file}:${line} check #${i + 1}`, value: [item] }),
      );
  }
  return out;
}

const FRONT = 'id: t\ntitle: T\nlang: en\n';
const COMMAND = '```sh\ntrue\n```\n\n';
const GOOD_CHECK =
  '```yaml check\n- id: ok\n  description: it ran\n  output: { exitCode: 0 }\n```\n';

/**
 * Rules a JSON Schema cannot state: which quiz answers exist depends on how many choices there
 * are; whether a `matches` pattern compiles is JavaScript's to say. docs/lesson-format.md lists them with the semantic rules.
 */
const BEYOND_SCHEMA = [
  /is past the last choice/,
  // Whether a pattern compiles: JSON Schema's `format: regex` knows no inline flags like (?i).
  /the pattern .* is refused/,
  /matches must be a valid regular expression/,
];

/** The same value in a lesson of its own, as lint reads it; its structure errors. */
async function lintVerdict(sample: Sample): Promise<string[]> {
  const yaml = (value: unknown) => (value === null ? 'null\n' : stringify(value));
  const text =
    sample.part === 'front-matter'
      ? `---\n${yaml(sample.value)}---\n# T\n\n## S {#s}\n\n${COMMAND}${GOOD_CHECK}`
      : sample.part === 'checks'
        ? `---\n${FRONT}---\n# T\n\n## S {#s}\n\n${COMMAND}\`\`\`yaml check\n${yaml(sample.value)}\`\`\`\n`
        : `---\n${FRONT}---\n# T\n\n## S {#s}\n\n\`\`\`yaml quiz\n${yaml(sample.value)}\`\`\`\n`;
  const { diagnostics } = await lintSources(
    [{ path: 'sample.md', shown: 'sample.md', text }],
    async () => undefined,
    process.cwd(),
    async () => [],
  );
  return diagnostics
    .filter((d) => d.severity === 'error' && STRUCTURE_RULES.has(d.rule))
    .filter((d) => !BEYOND_SCHEMA.some((pattern) => pattern.test(d.message)))
    .map((d) => `${d.rule}: ${d.message}`);
}

const all = [...lessonFiles('fixtures/lessons'), ...lessonFiles('lessons')].sort().flatMap(samples);

describe('the JSON Schema and lint agree on every fixture and course lesson', () => {
  const validators = {
    'front-matter': validatorFor('front-matter'),
    checks: validatorFor('checks'),
    quiz: validatorFor('quiz'),
    'near-miss': validatorFor('near-miss'),
  };

  test('there are samples of each part, valid and invalid', () => {
    for (const part of ['front-matter', 'checks', 'quiz'] as const) {
      const verdicts = all.filter((s) => s.part === part).map((s) => validators[part](s.value));
      assert.ok(verdicts.includes(true), `a valid ${part}`);
      assert.ok(verdicts.includes(false), `an invalid ${part}`);
    }
  });

  for (const sample of all) {
    test(sample.where, async () => {
      const lint = await lintVerdict(sample);
      const validate = validators[sample.part];
      const schemaOk = validate(sample.value) as boolean;
      assert.equal(
        schemaOk,
        lint.length === 0,
        schemaOk
          ? `the schema accepts what lint refuses: ${lint.join('; ')}`
          : `the schema refuses what lint accepts: ${JSON.stringify(validate.errors).slice(0, 400)}`,
      );
    });
  }
});

describe('the schema refuses each structural mistake lint refuses', () => {
  const checks = validatorFor('checks');
  const cases: [string, unknown][] = [
    ['an empty matcher', { id: 'a', description: 'd', output: { stdout: {} } }],
    ['a check that asserts nothing', { id: 'a', description: 'd', container: { name: 'x' } }],
    ['a check without a subject', { id: 'a', description: 'd', container: { running: true } }],
    ['an unknown key', { id: 'a', description: 'd', output: { exitCode: 0 }, timout: '5s' }],
    ['an unknown key in a body', { id: 'a', description: 'd', volume: { name: 'v', exist: true } }],
    [
      'two kind keys',
      {
        id: 'a',
        description: 'd',
        image: { name: 'i', exists: true },
        volume: { name: 'v', exists: true },
      },
    ],
    ['no kind key', { id: 'a', description: 'd', timeout: '5s' }],
    ['a check without a description', { id: 'a', output: { exitCode: 0 } }],
  ];
  for (const [what, check] of cases) {
    test(what, async () => {
      assert.equal(checks([check]), false);
      assert.notDeepEqual(await lintVerdict({ part: 'checks', where: what, value: [check] }), []);
    });
  }
  test('and accepts a check that says something about a named subject', async () => {
    const check = { id: 'a', description: 'd', container: { name: 'x', running: true } };
    assert.equal(checks([check]), true);
    assert.deepEqual(await lintVerdict({ part: 'checks', where: 'ok', value: [check] }), []);
  });
});
