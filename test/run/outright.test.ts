// A command that failed outright ends its step at once: which exits those are, and the sentence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLesson } from '../../src/lesson/parser.js';
import { authorStatesExit, describeOutright, outrightFailure } from '../../src/run/outright.js';
import type { ProcessResult } from '../../src/run/process.js';

const result = (exitCode: number | null, stderr = '', extra: Partial<ProcessResult> = {}) => ({
  stdout: '',
  stderr,
  exitCode,
  timedOut: false,
  aborted: false,
  durationMs: 1,
  ...extra,
});

describe('what fails outright', () => {
  test('125, 126 and 127 do; 0, 1, 2 and a killed command do not', () => {
    assert.equal(outrightFailure(result(125))?.kind, 'docker-refused');
    assert.equal(outrightFailure(result(126))?.kind, 'not-runnable');
    assert.equal(outrightFailure(result(127))?.kind, 'not-found');
    for (const code of [0, 1, 2, 130]) assert.equal(outrightFailure(result(code)), undefined);
    assert.equal(outrightFailure(result(null)), undefined);
    assert.equal(outrightFailure(result(127, '', { timedOut: true })), undefined);
  });

  test('what the command said last is kept, and a missing docker subcommand is named', () => {
    const v20 = outrightFailure(
      result(1 + 124, "docker: 'compose' is not a docker command.\nSee 'docker --help'\n"),
    );
    assert.equal(v20?.missingDockerCommand, 'compose');
    assert.equal(v20?.said, "See 'docker --help'");
    assert.equal(
      outrightFailure(result(125, 'docker: unknown command: docker compose\n'))
        ?.missingDockerCommand,
      'compose',
    );
  });
});

describe('the sentence', () => {
  const where = { file: 'lessons/en/x.md', line: 12 };
  test('says where, what happened, what it said and what to do, in English', () => {
    const text = describeOutright(
      outrightFailure(result(127, 'sh: 1: nope: not found'))!,
      where,
      'en',
    );
    assert.match(text, /^lessons\/en\/x\.md:12: the command failed outright with exit 127/);
    assert.match(text, /"sh: 1: nope: not found"/);
    assert.match(text, /Install the program/);
  });

  test('in Chinese, with no English words but what the command said', () => {
    const text = describeOutright(
      outrightFailure(result(125, "docker: 'compose' is not a docker command."))!,
      where,
      'zh-CN',
    );
    const withoutQuoted = text.replace(/“[^”]*”/g, '').replace(/^[^：]*：/, '');
    assert.doesNotMatch(
      withoutQuoted.replace(
        /docker-compose-plugin|docker-compose|Compose v[12]|Debian|docker|chmod \+x|2\.x/g,
        '',
      ),
      /[A-Za-z]{3,}/,
    );
    assert.match(text, /Compose v2 插件/);
  });
});

describe('when the author owns the exit code', () => {
  const lesson = (checks: string) =>
    parseLesson(
      'x.md',
      `---\nid: x\ntitle: X\nlang: en\n---\n# X\n\n## S {#s}\n\n\`\`\`sh id=first\nfalse\n\`\`\`\n\n\`\`\`sh id=second\ntrue\n\`\`\`\n\n\`\`\`yaml check\n${checks}\n\`\`\`\n`,
    );
  const stepOf = (checks: string) => {
    const parsed = lesson(checks);
    assert.ok(parsed.lesson, JSON.stringify(parsed.diagnostics));
    return parsed.lesson.steps[0]!;
  };

  test('an output check naming the command with an exitCode: the checks decide', () => {
    const step = stepOf('- id: a\n  output: { command: first, exitCode: 127 }');
    assert.equal(authorStatesExit(step, step.commands[0]!, false), true);
    assert.equal(authorStatesExit(step, step.commands[1]!, true), false);
  });

  test('an output check naming no command speaks of the last one only', () => {
    const step = stepOf('- id: a\n  output: { exitCode: { not: 0 } }');
    assert.equal(authorStatesExit(step, step.commands[0]!, false), false);
    assert.equal(authorStatesExit(step, step.commands[1]!, true), true);
  });

  test('an output check without exitCode, or another kind, does not', () => {
    const step = stepOf(
      '- id: a\n  output: { command: first, stdout: { contains: x } }\n- id: b\n  container: { name: c, running: true }',
    );
    assert.equal(authorStatesExit(step, step.commands[0]!, false), false);
  });
});

describe('docker without the subcommand a lesson uses', () => {
  test('exit 1 with "unknown command: docker compose" (CLI 24 and later) is outright too', () => {
    const failure = outrightFailure(
      result(
        1,
        "docker: unknown command: docker compose\n\nRun 'docker --help' for more information\n",
      ),
    );
    assert.equal(failure?.kind, 'not-found');
    assert.equal(failure?.missingDockerCommand, 'compose');
    assert.equal(outrightFailure(result(1, 'Error: No such container: x')), undefined);
  });
});
