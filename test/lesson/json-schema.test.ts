import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECK_KIND_NAMES } from '../../src/checks/schema.js';
import { jsonSchema } from '../../src/lesson/json-schema.js';

type Json = Record<string, unknown>;

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

test('the JSON Schema has the front matter, check block and quiz, and every $ref resolves', () => {
  const schema = jsonSchema() as Json & { $defs: Record<string, Json> };
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual(Object.keys(schema.$defs).sort(), [
    'checks',
    'front-matter',
    'matcher',
    'near-miss',
    'quiz',
  ]);
  for (const ref of refsIn(schema)) {
    assert.match(ref, /^#\/\$defs\//);
    assert.ok(schema.$defs[ref.slice('#/$defs/'.length)], `${ref} resolves`);
  }
});

test('the check block schema offers one alternative per check kind, each closed to unknown keys', () => {
  const checks = jsonSchema('checks') as { type: string; items: { anyOf: Json[] } };
  assert.equal(checks.type, 'array');
  assert.equal(checks.items.anyOf.length, CHECK_KIND_NAMES.length);
  for (const [i, alternative] of checks.items.anyOf.entries()) {
    const kind = CHECK_KIND_NAMES[i]!;
    assert.equal(alternative.additionalProperties, false);
    assert.deepEqual(alternative.required, ['id', kind, 'description']);
  }
});

test('front matter requires id, title and lang', () => {
  const fm = jsonSchema('front-matter') as { required: string[] };
  assert.deepEqual(fm.required.sort(), ['id', 'lang', 'title']);
});

test('the matcher schema offers trim, lines, every and flags (with the flags it takes)', () => {
  const schema = jsonSchema() as { $defs: { matcher: unknown } };
  const text = JSON.stringify(schema.$defs.matcher);
  for (const key of ['"trim"', '"lines"', '"every"', '"flags"']) assert.ok(text.includes(key), key);
  assert.ok(text.includes('^[imsu]+$'), 'flags are limited to i, m, s, u');
  const checks = JSON.stringify(jsonSchema('checks'));
  assert.ok(checks.includes('"rerun"') && checks.includes('"text"'), 'output takes text and rerun');
});
