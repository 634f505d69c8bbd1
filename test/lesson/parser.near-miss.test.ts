// `yaml near-miss` blocks: a step's typical mistakes, read with positions and validated like
// checks (file:line:col, "did you mean"), never shown to a learner as a command.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLesson } from '../../src/lesson/parser.js';

const lesson = (step: string) =>
  `---\nid: t\ntitle: T\nlang: en\n---\n# T\n\n## Run it {#run}\n\n${step}`;
const COMMAND = '```sh\ndocker run -d --name dl-web -e GREETING=hi busybox sleep 60\n```\n\n';
const CHECKS =
  '```yaml check\n- id: web-running\n  description: dl-web runs\n  container: { name: dl-web, running: true }\n- id: web-greets\n  description: dl-web greets\n  container: { name: dl-web, env: { containsElement: "GREETING=hi" } }\n```\n\n';
const errors = (text: string) =>
  parseLesson('lesson.md', text).diagnostics.filter((d) => d.severity === 'error');

describe('a yaml near-miss block', () => {
  test("becomes the step's mistakes, with their positions, `fails` and `wait`", () => {
    const text = lesson(
      `${COMMAND}${CHECKS}` +
        '```yaml near-miss\n' +
        '- command: docker run -d --name dl-web busybox sleep 60\n' +
        '  mistake: the -e GREETING=hi is missing\n' +
        '  fails: [web-greets]\n' +
        '- command: docker run -d --name dl-wbe -e GREETING=hi busybox sleep 60\n' +
        '  mistake: the name is misspelt\n' +
        '  wait: 5s\n' +
        '```\n',
    );
    const result = parseLesson('lesson.md', text);
    assert.deepEqual(result.diagnostics, []);
    const step = result.lesson!.steps[0]!;
    assert.deepEqual(step.mistakes, [
      {
        command: 'docker run -d --name dl-web busybox sleep 60',
        mistake: 'the -e GREETING=hi is missing',
        fails: ['web-greets'],
        line: 24,
        col: 3,
      },
      {
        command: 'docker run -d --name dl-wbe -e GREETING=hi busybox sleep 60',
        mistake: 'the name is misspelt',
        waitMs: 5000,
        line: 27,
        col: 3,
      },
    ]);
    // Not a command, not shown: the learner's step reads as if the block were not there.
    assert.equal(step.commands.length, 1);
    assert.doesNotMatch(step.markdown, /near-miss|dl-wbe|misspelt/);
  });

  test('an unknown key is located, with "did you mean"', () => {
    const found = errors(
      lesson(
        `${COMMAND}${CHECKS}` +
          '```yaml near-miss\n- command: docker run -d --name dl-wbe busybox sleep 60\n  mistak: the name is misspelt\n```\n',
      ),
    );
    const error = found.find((d) => d.rule === 'unknown-key');
    assert.ok(error, JSON.stringify(found));
    assert.equal(error.line, 25, error.message);
    assert.match(error.message, /mistak/);
    assert.match(error.message, /did you mean "mistake"/);
  });

  test('a missing sentence, a bad wait and an empty block are refused where they stand', () => {
    const missing = errors(
      lesson(`${COMMAND}${CHECKS}` + '```yaml near-miss\n- command: docker ps\n```\n'),
    );
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.line, 24);
    assert.match(missing[0]!.message, /mistake/);
    const wait = errors(
      lesson(
        `${COMMAND}${CHECKS}` +
          '```yaml near-miss\n- command: docker ps\n  mistake: wrong\n  wait: soon\n```\n',
      ),
    );
    assert.equal(wait.length, 1);
    assert.equal(wait[0]!.line, 26);
    assert.match(wait[0]!.message, /duration/);
    assert.equal(errors(lesson(`${COMMAND}${CHECKS}` + '```yaml near-miss\n[]\n```\n')).length, 1);
  });

  test('`fails` names checks of the same step, with "did you mean"', () => {
    const [error] = errors(
      lesson(
        `${COMMAND}${CHECKS}` +
          '```yaml near-miss\n- command: docker run -d --name dl-web busybox sleep 60\n  mistake: no greeting\n  fails: [web-greet]\n```\n',
      ),
    );
    assert.ok(error);
    assert.equal(error.rule, 'near-miss');
    assert.equal(error.line, 24);
    assert.match(error.message, /no check with that id \(did you mean "web-greets"\?\)/);
  });

  test("a near miss that is the step's own command, or in a step without checks, is refused", () => {
    const own = errors(
      lesson(
        `${COMMAND}${CHECKS}` +
          '```yaml near-miss\n- command: docker  run -d --name dl-web -e GREETING=hi busybox sleep 60\n  mistake: none\n```\n',
      ),
    );
    assert.equal(own.length, 1);
    assert.match(own[0]!.message, /is a command of step "run" itself/);
    const unchecked = errors(
      lesson(
        `${COMMAND}` +
          '```yaml near-miss\n- command: docker run -d --name dl-wbe busybox sleep 60\n  mistake: typo\n```\n',
      ),
    );
    assert.ok(unchecked.some((d) => /no checks to refuse them/.test(d.message)));
  });

  test('a misspelt block kind suggests near-miss', () => {
    const [error] = errors(
      lesson(`${COMMAND}${CHECKS}` + '```yaml near-mis\n- command: docker ps\n  mistake: x\n```\n'),
    );
    assert.match(error!.message, /did you mean "near-miss"/);
  });
});
