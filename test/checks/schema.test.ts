/**
 * The grammar of the `container` and `image` fields added for checks that match Docker:
 * `health`'s two forms (a matcher on the status, or the detailed object), lint's "did you mean"
 * for a mistyped key in either form, `image.file` paths, and the JSON Schema that follows from
 * CHECK_KINDS (as `docker-lab schema checks` prints it).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECK_SCHEMAS } from '../../src/checks/schema.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { runCli } from '../helpers/cli.js';

const accepts = (kind: 'container' | 'image', body: Record<string, unknown>) =>
  CHECK_SCHEMAS[kind].safeParse({ id: 'c', [kind]: body }).success;

/** The error diagnostics lint gives for one check block holding `check` (YAML). */
function lint(check: string): string[] {
  const text = [
    '---',
    'id: t',
    'title: T',
    'lang: en',
    '---',
    '# T',
    '',
    '## S {#s}',
    '',
    '```sh',
    'docker run -d --name web busybox sleep 300',
    '```',
    '',
    '```yaml check',
    check,
    '```',
    '',
  ].join('\n');
  return parseLesson('lesson.md', text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.message);
}

describe('health', () => {
  test('is a matcher on the status, or an object of status, failingStreak, log, exitCode', () => {
    assert.ok(accepts('container', { name: 'web', health: 'healthy' }));
    assert.ok(accepts('container', { name: 'web', health: { not: 'unhealthy' } }));
    assert.ok(accepts('container', { name: 'web', health: ['a'] }));
    assert.ok(
      accepts('container', {
        name: 'web',
        health: {
          status: 'healthy',
          failingStreak: { lt: 2 },
          log: { contains: 'ok' },
          exitCode: 0,
        },
      }),
    );
    assert.ok(!accepts('container', { name: 'web', health: {} }));
  });

  test('a mistyped key gets a "did you mean" in either form', () => {
    assert.deepEqual(
      lint('- id: c\n  description: d\n  container: { name: web, health: { stauts: healthy } }'),
      ['unknown key "stauts" in container.health of check "c" (did you mean "status"?)'],
    );
    assert.deepEqual(
      lint(
        '- id: c\n  description: d\n  container: { name: web, health: { status: healthy, failingStreek: 0 } }',
      ),
      [
        'unknown key "failingStreek" in container.health of check "c" (did you mean "failingStreak"?)',
      ],
    );
    assert.deepEqual(
      lint('- id: c\n  description: d\n  container: { name: web, health: { contans: heal } }'),
      ['unknown key "contans" in container.health of check "c" (did you mean "contains"?)'],
    );
    assert.deepEqual(
      lint(
        '- id: c\n  description: d\n  container: { name: web, health: { log: { contanis: ok } } }',
      ),
      [
        'unknown matcher "contanis" in container.health.log of check "c" (did you mean "contains"?)',
      ],
    );
    assert.deepEqual(
      lint('- id: c\n  description: d\n  container: { name: web, restartCont: 2 }'),
      ['unknown key "restartCont" in container of check "c" (did you mean "restartCount"?)'],
    );
  });
});

describe('image', () => {
  test('file needs an absolute path; sizeRatio needs the other image and a ratio', () => {
    assert.ok(accepts('image', { name: 'a', file: { path: '/etc/hostname', exists: true } }));
    assert.ok(!accepts('image', { name: 'a', file: { path: 'etc/hostname' } }));
    assert.ok(accepts('image', { name: 'a', smallerThan: 'b' }));
    assert.ok(accepts('image', { name: 'a', sizeRatio: { of: 'b', ratio: { lt: 0.5 } } }));
    assert.ok(!accepts('image', { name: 'a', sizeRatio: { of: 'b' } }));
    assert.deepEqual(
      lint('- id: c\n  description: d\n  image: { name: a, file: { path: /x, contnet: y } }'),
      ['unknown key "contnet" in image.file of check "c" (did you mean "content"?)'],
    );
  });
});

test('docker-lab schema checks describes the new fields', async () => {
  const { stdout, code } = await runCli(['schema', 'checks']);
  assert.equal(code, 0);
  const schema = JSON.parse(stdout) as {
    items: { anyOf: { properties: Record<string, { properties: Record<string, unknown> }> }[] };
  };
  const body = (kind: string) =>
    schema.items.anyOf.find((option) => kind in option.properties)!.properties[kind]!.properties;
  const container = body('container');
  for (const key of ['restartCount', 'tty', 'openStdin', 'health'])
    assert.ok(key in container, key);
  assert.deepEqual(Object.keys((container.health as { anyOf: unknown[] }).anyOf), ['0', '1']);
  const image = body('image');
  for (const key of ['file', 'smallerThan', 'sizeRatio']) assert.ok(key in image, key);
  assert.deepEqual(image.file, {
    type: 'object',
    properties: {
      path: { type: 'string', pattern: '^\\/' },
      exists: { type: 'boolean' },
      content: { $ref: '#/$defs/matcher' },
      mode: { $ref: '#/$defs/matcher' },
    },
    required: ['path'],
    additionalProperties: false,
  });
});
