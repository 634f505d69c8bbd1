// Bad input gets a located sentence with the fix: never a stack trace, a hang or a crash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeLesson, firstInvalidUtf8 } from '../../src/lesson/loader.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { loadProgress, saveProgress } from '../../src/progress/store.js';
import { emptyProgress } from '../../src/progress/schema.js';
import { completeStep, mergeProgress } from '../../src/progress/update.js';

const head = '---\nid: t\ntitle: T\nlang: en\n---\n# T\n\n';
const errorsOf = (text: string) =>
  parseLesson('lesson.md', text).diagnostics.filter((d) => d.severity === 'error');

describe('lesson files that no reader should take', () => {
  test('a 10 MB paragraph without a blank line parses (no stack overflow)', () => {
    const line = 'word '.repeat(20) + '\n';
    const body = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    const result = parseLesson(
      'big.md',
      `${head}## Step {#step}\n\n${body}\n\`\`\`sh\necho hi\n\`\`\`\n`,
    );
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(result.lesson?.steps[0]?.commands[0]?.script.trim(), 'echo hi');
  });

  test('quotes nested 5000 deep are one located error that says to flatten them', () => {
    const errors = errorsOf(`${head}${'> '.repeat(5000)}deep\n`);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 8);
    assert.match(errors[0]!.message, /nest 5000 deep.*flatten them/);
  });

  test('a YAML alias bomb in a compose block is refused where it starts', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const started = Date.now();
    const errors = errorsOf(`---\nid: t\ntitle: T\nlang: en\nx: ${'1'}\n${bomb}\n---\n# T\n`);
    assert.ok(Date.now() - started < 2000, 'refused quickly, not expanded');
    const alias = errors.find((d) => d.rule === 'yaml');
    assert.ok(alias, JSON.stringify(errors));
    assert.match(alias.message, /aliases expand too far.*write the values out/);
  });

  test('an alias that names no anchor says which and how to fix it', () => {
    const errors = errorsOf('---\nid: t\ntitle: T\nlang: en\nimages: *nope\n---\n# T\n');
    assert.ok(errors.some((d) => /names no anchor|Unresolved alias|alias/.test(d.message)));
    assert.ok(errors.every((d) => d.line >= 1 && d.col >= 1));
  });

  test('a file that is not UTF-8 is one error at its first bad byte, not a parse', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${head}caf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const read = decodeLesson(bytes);
    assert.ok(read.notUtf8);
    const result = parseLesson('latin1.md', read.text, read);
    assert.equal(result.diagnostics.length, 1);
    const [d] = result.diagnostics;
    assert.equal(d!.rule, 'encoding');
    assert.deepEqual([d!.line, d!.col], [8, 4]);
    assert.match(d!.message, /byte 0xE9 .*save the file as UTF-8/);
  });

  test('property: firstInvalidUtf8 agrees with a fatal TextDecoder on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        assert.equal(firstInvalidUtf8(bytes) === -1, valid);
      }),
      { numRuns: 5000 },
    );
  });

  test('property: any text parses to diagnostics with a place, never a throw', () => {
    const piece = fc.constantFrom(
      '---\n',
      'id: x\n',
      'title: T\n',
      'lang: en\n',
      '# T\n',
      '## S\n',
      '```sh\n',
      '```\n',
      '```sh check=file path=../x\n',
      '> ',
      '- ',
      '&a ',
      '*a ',
      '\n',
      '中文，',
      '\t',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (parts) => {
        const result = parseLesson('p.md', parts.join(''));
        for (const d of result.diagnostics) {
          assert.ok(d.line >= 1 && d.col >= 1, JSON.stringify(d));
          assert.ok(d.message.length > 0);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('progress a learner cannot lose', () => {
  const root = mkdtempSync(join(tmpdir(), 'docker-lab-bad-input-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a state folder that is a file is a sentence naming it and the variable to set', async () => {
    const blocker = join(root, 'not-a-folder');
    writeFileSync(blocker, '');
    const env = { XDG_STATE_HOME: blocker };
    const loaded = await loadProgress({ env });
    assert.equal(loaded.readOnly, true);
    assert.match(loaded.warning!, new RegExp(`${blocker} is a file, not a folder \\(ENOTDIR\\)`));
    assert.match(loaded.warning!, /set XDG_STATE_HOME to a folder you can write/);
    await assert.rejects(saveProgress(emptyProgress(), { env }), /is a file, not a folder/);
  });

  test('property: a merge keeps every step either side completed', () => {
    const step = fc.record({
      lesson: fc.constantFrom('en/a', 'en/b', 'zh-CN/a', '__proto__'),
      step: fc.constantFrom('one', 'two', 'three', 'constructor'),
      at: fc.integer({ min: 0, max: 1e12 }).map((n) => new Date(n)),
    });
    fc.assert(
      fc.property(fc.array(step), fc.array(step), (left, right) => {
        const build = (steps: typeof left) =>
          steps.reduce((p, s) => completeStep(p, s.lesson, s.step, s.at), emptyProgress());
        const merged = mergeProgress(build(left), build(right));
        for (const s of [...left, ...right]) {
          const lesson = Object.getOwnPropertyDescriptor(merged.lessons, s.lesson)?.value;
          assert.ok(lesson, `${s.lesson} kept`);
          assert.ok(Object.getOwnPropertyDescriptor(lesson.completed, s.step), `${s.step} kept`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
