import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { lintSources } from '../../src/lesson/lint.js';
import { loadLessonSources, readIfExists } from '../../src/lesson/loader.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { twinDifferences } from '../../src/lesson/twins.js';

async function lint(paths: string[], cwd = process.cwd()) {
  return lintSources(await loadLessonSources(paths, cwd), readIfExists, cwd);
}

const EN = 'fixtures/lessons/twins-drift/en/drift.md';
const ZH = 'fixtures/lessons/twins-drift/zh-CN/drift.md';
const TAIL = 'Twins differ only in prose: make both say the same';

describe('twins are compared by content', () => {
  test('a drift in a command, a restart policy and a quiz answer is reported in both twins', async () => {
    const { diagnostics } = await lint(['fixtures/lessons/twins-drift']);
    assert.deepEqual(
      diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.severity} ${d.rule} ${d.message}`),
      [
        `${EN}:15:1 error twin step "run", command 1 differs between the twins: \`docker run -d --name dl-drift --restart always busybox httpd -f\` here, \`docker run -d --name dl-drift --restart unless-stopped busybox httpd -f\` in its zh-CN twin at ${ZH}:14:1. ${TAIL}`,
        `${EN}:21:3 error twin check "restarts": container.restartPolicy differs between the twins: "always" here, "unless-stopped" in its zh-CN twin at ${ZH}:20:3. ${TAIL}`,
        `${EN}:30:1 error twin quiz "policy": the right answer differs between the twins: choice 2 here, choice 3 in its zh-CN twin at ${ZH}:29:1. ${TAIL}`,
        `${ZH}:14:1 error twin step "run", command 1 differs between the twins: \`docker run -d --name dl-drift --restart unless-stopped busybox httpd -f\` here, \`docker run -d --name dl-drift --restart always busybox httpd -f\` in its en twin at ${EN}:15:1. ${TAIL}`,
        `${ZH}:20:3 error twin check "restarts": container.restartPolicy differs between the twins: "unless-stopped" here, "always" in its en twin at ${EN}:21:3. ${TAIL}`,
        `${ZH}:29:1 error twin quiz "policy": the right answer differs between the twins: choice 3 here, choice 2 in its en twin at ${EN}:30:1. ${TAIL}`,
      ],
    );
  });

  test('linting one twin alone reports the drift there, with where it is in the other', async () => {
    const { diagnostics } = await lint([ZH]);
    assert.deepEqual(
      diagnostics.map(
        (d) => `${d.file}:${d.line}:${d.col} ${/at (\S+:\d+:\d+)\./.exec(d.message)?.[1]}`,
      ),
      [`${ZH}:14:1 ${EN}:15:1`, `${ZH}:20:3 ${EN}:21:3`, `${ZH}:29:1 ${EN}:30:1`],
    );
  });

  test('a twin whose front matter is bad is still compared, in the same pass', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dl-twins-fm-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    cpSync('fixtures/lessons/twins-drift', root, { recursive: true });
    const en = join(root, 'en', 'drift.md');
    writeFileSync(
      en,
      readFileSync(en, 'utf8')
        .replace('title: Twins that drift', 'titel: Twins that drift')
        .replace('lang: en', 'lang: fr'),
    );
    const { diagnostics } = await lint(['.'], root);
    assert.deepEqual(
      diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.rule}`),
      [
        'en/drift.md:2:1 schema',
        'en/drift.md:3:1 unknown-key',
        'en/drift.md:4:7 schema',
        // the stand-ins for the bad keys (lang from the folder) make no twin or placement noise
        'en/drift.md:15:1 twin',
        'en/drift.md:21:3 twin',
        'en/drift.md:30:1 twin',
        'zh-CN/drift.md:14:1 twin',
        'zh-CN/drift.md:20:3 twin',
        'zh-CN/drift.md:29:1 twin',
      ],
    );
  });

  test('every real course lesson and its twin agree in everything but prose', async () => {
    const { diagnostics } = await lint(['lessons']);
    assert.deepEqual(
      diagnostics.filter((d) => d.rule === 'twin'),
      [],
    );
  });
});

describe('what twinDifferences compares', () => {
  const lesson = (lang: string, front: string, body: string) => {
    const parsed = parseLesson(
      `${lang}/t.md`,
      `---\nid: t\ntitle: T ${lang}\nlang: ${lang}\n${front}---\n# T\n\n## S {#s}\n\n${body}`,
    );
    assert.ok(parsed.lesson, parsed.diagnostics.map((d) => d.message).join('\n'));
    return parsed.lesson;
  };
  const check = (extra = '') =>
    `\`\`\`yaml check\n- id: c\n  description: DESC\n  output: { exitCode: 0 }\n${extra}\`\`\`\n`;
  const diff = (a: [string, string], b: [string, string]) =>
    twinDifferences(lesson('en', ...a), lesson('zh-CN', ...b)).map(
      (d) => `${d.what}: ${d.mine} / ${d.theirs} @${d.here.line}/${d.there.line}`,
    );

  test('prose differs freely: titles, descriptions, fixes, comment lines, blanks', () => {
    assert.deepEqual(
      diff(
        [
          'summary: one\ntags: [a]\n',
          `\`\`\`sh\n# list them\ndocker  ps   -a\n\`\`\`\n\n${check('  fix: run it\n')}`,
        ],
        [
          'summary: 一\ntags: [甲]\n',
          `\`\`\`sh\n# 列出它们\ndocker ps -a\n\n\`\`\`\n\n${check('  fix: 再运行\n').replace('DESC', '描述')}`,
        ],
      ),
      [],
    );
  });

  test('front matter that is not prose: images, requires, order, duration', () => {
    assert.deepEqual(
      diff(
        ['images: [busybox]\norder: 10\nduration: 5m\n', `\`\`\`sh\ntrue\n\`\`\`\n\n${check()}`],
        [
          'images: [ubuntu]\norder: 20\nrequires: [other]\n',
          `\`\`\`sh\ntrue\n\`\`\`\n\n${check()}`,
        ],
      ),
      [
        'front matter `order`: 10 / 20 @6/6',
        'front matter `duration`: "5m" / (none) @7/1',
        'front matter `images`: ["busybox"] / ["ubuntu"] @5/5',
        'front matter `requires`: (none) / ["other"] @1/7',
      ],
    );
  });

  test('command attributes, input blocks, files and their modes', () => {
    const body = (attrs: string, input: string, mode: string, content: string) =>
      `\`\`\`sh file=x.sh ${mode}\n${content}\n\`\`\`\n\n\`\`\`sh interactive ${attrs}\ndocker run -it --rm busybox sh\n\`\`\`\n\n\`\`\`input\n${input}\n\`\`\`\n\n${check()}`;
    assert.deepEqual(
      diff(
        ['', body('id=a', 'exit', 'mode=0755', 'echo hi')],
        ['', body('id=b timeout=30s', 'exit 1', 'mode=0644', 'echo hello')],
      ),
      [
        'step "s", command 1: its attributes: interactive id=a / interactive id=b timeout=30000ms @14/14',
        'step "s", command 1: its input block: `exit` / `exit 1` @14/14',
        'step "s", file x.sh, content line 1: `echo hi` / `echo hello` @10/10',
        'step "s", file x.sh: its mode: 0755 / 0644 @10/10',
      ],
    );
  });

  test('a check: its kind, each field of its body, its waiting and negation', () => {
    assert.deepEqual(
      diff(
        ['', `\`\`\`sh\ntrue\n\`\`\`\n\n${check('  timeout: 5s\n')}`],
        [
          '',
          `\`\`\`sh\ntrue\n\`\`\`\n\n${check('  not: true\n  before: any\n').replace('exitCode: 0', 'exitCode: 1, stdout: ""')}`,
        ],
      ),
      [
        'check "c": timeout: 5000 / 0 @15/15',
        'check "c": not: false / true @15/15',
        'check "c": before: "fail" / "any" @15/15',
        'check "c": output.exitCode: 0 / 1 @15/15',
        'check "c": output.stdout: (none) / "" @15/15',
      ],
    );
  });

  test('a quiz: the number of choices and which are right (a list in any order)', () => {
    const quiz = (choices: string, answer: string) =>
      `\`\`\`yaml quiz\nid: q\nquestion: Q?\nchoices: ${choices}\nanswer: ${answer}\n\`\`\`\n`;
    assert.deepEqual(
      diff(['', quiz('[a, b, c]', '[1, 3]')], ['', quiz('[甲, 乙, 丙]', '[3, 1]')]),
      [],
    );
    assert.deepEqual(diff(['', quiz('[a, b, c]', '2')], ['', quiz('[甲, 乙]', '1')]), [
      'quiz "q": the number of choices: 3 / 2 @11/11',
      'quiz "q": the right answer: choice 2 / choice 1 @11/11',
    ]);
  });

  test('a step with more commands in one twin', () => {
    assert.deepEqual(
      diff(
        ['', `\`\`\`sh\ntrue\n\`\`\`\n\n${check()}`],
        ['', `\`\`\`sh\ntrue\n\`\`\`\n\n\`\`\`sh\nfalse\n\`\`\`\n\n${check()}`],
      ),
      ['step "s": the number of commands: 1 / 2 @8/8'],
    );
  });

  test('near misses: the same commands, checks to fail and wait; the mistake sentence is prose', () => {
    const nearMiss = (command: string, mistake: string, fails = 'c') =>
      `\`\`\`yaml near-miss\n- command: ${command}\n  mistake: ${mistake}\n  fails: [${fails}]\n\`\`\`\n`;
    const body = (miss: string) => `\`\`\`sh\ntrue\n\`\`\`\n\n${check()}\n${miss}`;
    assert.deepEqual(
      diff(['', body(nearMiss('exit 2', 'it fails'))], ['', body(nearMiss('exit 2', '它失败了'))]),
      [],
    );
    assert.deepEqual(
      diff(['', body(nearMiss('exit 2', 'it fails'))], ['', body(nearMiss('exit 1', '它失败了'))]),
      ['step "s", near miss 1: command: "exit 2" / "exit 1" @21/21'],
    );
  });
});
