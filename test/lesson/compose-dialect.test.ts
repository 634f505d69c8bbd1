// Lessons say `docker compose`; on a machine with only Compose v1 they show and run `docker-compose`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { composeDialect, lessonForCompose, usesCompose } from '../../src/lesson/compose-dialect.js';
import { parseLesson } from '../../src/lesson/parser.js';

describe('a command in the machine’s Compose', () => {
  test('v1 spells the command with a dash, wherever it stands in a script', () => {
    assert.equal(
      composeDialect('docker compose -f stack.yml -p p up -d', 'v1'),
      'docker-compose -f stack.yml -p p up -d',
    );
    assert.equal(
      composeDialect('cd app && docker compose ps; (docker  compose logs)', 'v1'),
      'cd app && docker-compose ps; (docker-compose logs)',
    );
    assert.equal(
      composeDialect('docker composer\ndocker compose\n', 'v1'),
      'docker composer\ndocker-compose\n',
    );
  });

  test('"v2, else v1" becomes the one command this machine has', () => {
    assert.equal(
      composeDialect('docker compose version || docker-compose version', 'v1'),
      'docker-compose version',
    );
  });

  test('v2 and a machine without Compose keep the text as written', () => {
    for (const flavor of ['v2', 'none'] as const)
      assert.equal(composeDialect('docker compose up -d', flavor), 'docker compose up -d');
  });
});

describe('the compose lesson on a machine with only v1', () => {
  const text = readFileSync('lessons/en/compose.md', 'utf8');
  const parsed = parseLesson('lessons/en/compose.md', text);
  const lesson = parsed.lesson!;

  test('runs `docker compose`, so the machine is asked', () => {
    assert.equal(usesCompose(lesson), true);
  });

  test('its commands, the blocks the learner reads and the fixes say docker-compose; prose does not change', () => {
    const v1 = lessonForCompose(lesson, 'v1');
    const up = v1.steps.find((s) => s.id === 'up')!;
    assert.deepEqual(
      up.commands.map((c) => c.script),
      ['docker-compose -f stack.yml -p dl-compose up -d'],
    );
    assert.match(
      up.markdown,
      /^```sh timeout=5m\ndocker-compose -f stack.yml -p dl-compose up -d\n```$/m,
    );
    assert.doesNotMatch(up.markdown, /docker compose -f/);
    assert.match(
      up.checks.find((c) => c.id === 'services-running')!.fix!,
      /`docker-compose -f stack.yml/,
    );
    const version = v1.steps.find((s) => s.id === 'compose-version')!;
    assert.match(version.markdown, /`docker compose` \(with a space\)/, 'prose explains both');
  });

  test('with v2 the lesson is the one written', () => {
    assert.equal(lessonForCompose(lesson, 'v2'), lesson);
  });
});

describe('CI-only commands', () => {
  test('run under verify but are not in the prose a learner reads', () => {
    const parsed = parseLesson(
      'x.md',
      '---\nid: x\ntitle: X\nlang: en\n---\n# X\n\n## S {#s}\n\nText.\n\n```sh when=ci\necho only-in-ci\n```\n\n```sh\necho for-everyone\n```\n',
    );
    const step = parsed.lesson!.steps[0]!;
    assert.deepEqual(
      step.commands.map((c) => [c.script, c.when]),
      [
        ['echo only-in-ci', 'ci'],
        ['echo for-everyone', undefined],
      ],
    );
    assert.doesNotMatch(step.markdown, /only-in-ci/);
    assert.match(step.markdown, /for-everyone/);
  });
});
