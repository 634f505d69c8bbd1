import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, after } from 'node:test';
import { lintSources } from '../../src/lesson/lint.js';
import { loadLessonSources, readIfExists } from '../../src/lesson/loader.js';
import { goldenLine, readGolden } from '../helpers/golden.js';

async function lint(paths: string[], cwd = process.cwd()) {
  return lintSources(await loadLessonSources(paths, cwd), readIfExists, cwd);
}

describe('bad fixtures fail with exactly the diagnostics they declare', () => {
  const dir = 'fixtures/lessons/bad';
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    test(name, async () => {
      const expected = readGolden(readFileSync(join(dir, name), 'utf8'));
      assert.ok(expected && expected.length > 0, `${name} must declare its diagnostics`);
      const { diagnostics } = await lint([join(dir, name)]);
      assert.deepEqual(diagnostics.map(goldenLine), expected);
      assert.ok(
        diagnostics.some((d) => d.severity === 'error'),
        'a bad fixture has at least one error',
      );
      for (const d of diagnostics) {
        assert.ok(d.line >= 1 && d.col >= 1, 'every diagnostic has a line and a column');
        assert.equal(d.file, join(dir, name));
      }
    });
  }
});

test('good fixtures and the course lint clean', async () => {
  const { diagnostics, lessons } = await lint(['fixtures/lessons/good', 'lessons']);
  assert.deepEqual(diagnostics, []);
  assert.ok(lessons >= 5);
});

test('folders yield only Markdown files that open with front matter', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dl-lint-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'README.md'), '# Not a lesson\n');
  writeFileSync(join(root, 'notes.txt'), 'no');
  writeFileSync(join(root, 'lesson.md'), readFileSync('fixtures/lessons/good/cjk.md'));
  const sources = await loadLessonSources([root], root);
  assert.deepEqual(
    sources.map((s) => s.shown),
    ['lesson.md'],
  );
});

describe('twins', () => {
  const root = mkdtempSync(join(tmpdir(), 'dl-twins-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'en'));
  mkdirSync(join(root, 'zh-CN'));
  const lesson = (lang: string, steps: string[], checkSuffix = '', id = 'twin') =>
    [
      `---\nid: ${id}\ntitle: T\nlang: ${lang}\n---\n# T\n`,
      ...steps.map(
        (s) =>
          `\n## ${s} {#${s}}\n\n\`\`\`sh\ntrue\n\`\`\`\n\n\`\`\`yaml check\n- id: ${s}-ok${checkSuffix}\n  output: { exitCode: 0 }\n  description: it ran\n\`\`\`\n`,
      ),
    ].join('');
  const write = (lang: string, name: string, text: string) =>
    writeFileSync(join(root, lang, name), text);
  const lines = async (file: string) =>
    (await lint([file], root)).diagnostics.map(
      (d) => `${d.file}:${d.line}:${d.col} ${d.rule} ${d.message}`,
    );

  test('twins with the same steps and checks are clean', async () => {
    write('en', 'twin.md', lesson('en', ['a', 'b']));
    write('zh-CN', 'twin.md', lesson('zh-CN', ['a', 'b']));
    assert.deepEqual(await lines('en'), []);
  });

  test('a lesson without its twin is reported, both ways', async () => {
    write('en', 'alone.md', lesson('en', ['a'], '', 'alone'));
    write('zh-CN', 'solo.md', lesson('zh-CN', ['a'], '', 'solo'));
    assert.deepEqual(await lines('.'), [
      'en/alone.md:1:1 twin no zh-CN twin: every course lesson exists in each language; add zh-CN/alone.md with the same step and check ids',
      'zh-CN/solo.md:1:1 twin no en twin: every course lesson exists in each language; add en/solo.md with the same step and check ids',
    ]);
    rmSync(join(root, 'en', 'alone.md'));
    rmSync(join(root, 'zh-CN', 'solo.md'));
  });

  test('twins whose step ids differ are reported at the first differing step', async () => {
    write('en', 'twin.md', lesson('en', ['a', 'b']));
    write('zh-CN', 'twin.md', lesson('zh-CN', ['a', 'c']));
    assert.deepEqual(await lines('en/twin.md'), [
      'en/twin.md:20:1 twin step 2 is "b" here but "c" in its zh-CN twin zh-CN/twin.md: twins have the same steps in the same order',
    ]);
  });

  test('twins whose check ids differ are reported at the step', async () => {
    write('en', 'twin.md', lesson('en', ['a']));
    write('zh-CN', 'twin.md', lesson('zh-CN', ['a'], '-x'));
    assert.deepEqual(await lines('zh-CN/twin.md'), [
      'zh-CN/twin.md:8:1 twin step "a" has checks [a-ok-x] here but [a-ok] in its en twin en/twin.md: twins check the same things',
    ]);
  });

  test('lang and file name must agree with the folder', async () => {
    write('en', 'twin.md', lesson('zh-CN', ['a']).replace('id: twin', 'id: other'));
    write('zh-CN', 'twin.md', lesson('zh-CN', ['a']));
    assert.deepEqual(await lines('en/twin.md'), [
      'en/twin.md:2:1 twin id "other" differs from the file name twin.md: name the file other.md (twins are found by file name)',
      'en/twin.md:2:1 twin id "other" is "twin" in its zh-CN twin zh-CN/twin.md: twins share their id',
      'en/twin.md:4:1 twin lang is zh-CN but the lesson sits in the en/ folder: make them agree',
    ]);
  });
});
