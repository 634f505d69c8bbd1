import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseLesson } from '../../src/lesson/parser.js';

const fixture = (name: string) => readFileSync(`fixtures/lessons/good/${name}`, 'utf8');

function lessonOf(text: string, file = 'lesson.md') {
  const result = parseLesson(file, text);
  assert.deepEqual(result.diagnostics, [], 'expected no diagnostics');
  assert.ok(result.lesson);
  return result.lesson;
}

const minimal = (body: string) => `---\nid: t\ntitle: T\nlang: en\n---\n# T\n\n${body}`;

describe('parsing a lesson', () => {
  test('reads front matter, title, intro and steps in order', () => {
    const lesson = lessonOf(fixture('all-features.md'));
    assert.equal(lesson.meta.id, 'all-features');
    assert.equal(lesson.meta.format, 1);
    assert.deepEqual(lesson.meta.images, ['busybox']);
    assert.equal(lesson.title, 'Every feature of the format');
    assert.match(lesson.intro, /^An introduction with \*\*bold\*\*/);
    assert.deepEqual(
      lesson.steps.map((s) => s.id),
      ['files', 'interactive', 'challenge', 'quiz', 'kinds'],
    );
    assert.equal(lesson.steps[0]!.title, 'Files and commands');
  });

  test('turns shell blocks into commands with their attributes and positions', () => {
    const [files] = lessonOf(fixture('all-features.md')).steps;
    const commands = files!.commands.map((c) => ({
      id: c.id,
      mode: c.mode,
      when: c.when,
      timeoutMs: c.timeoutMs,
      line: c.line,
    }));
    assert.deepEqual(commands, [
      { id: 'build', mode: 'run', when: undefined, timeoutMs: 300_000, line: 31 },
      { id: 'show', mode: 'run', when: undefined, timeoutMs: undefined, line: 36 },
      { id: undefined, mode: 'run', when: 'ci', timeoutMs: undefined, line: 40 },
      { id: undefined, mode: 'manual', when: 'learner', timeoutMs: undefined, line: 44 },
    ]);
    assert.equal(
      files!.commands[0]!.script,
      '# a longer fence may hold ``` inside\ndocker build -t dl-features .',
    );
  });

  test('example blocks are prose, not commands', () => {
    const [files] = lessonOf(fixture('all-features.md')).steps;
    assert.ok(files!.commands.every((c) => !c.script.includes('docker ps -aq')));
    assert.match(files!.markdown, /```sh example\ndocker rm \$\(docker ps -aq\)\n```/);
  });

  test('file blocks become files with content and mode', () => {
    const [files] = lessonOf(fixture('all-features.md')).steps;
    assert.deepEqual(
      files!.files.map((f) => [f.path, f.lang, f.mode, f.content]),
      [
        ['Dockerfile', 'dockerfile', undefined, 'FROM busybox\nCMD ["echo", "hi"]\n'],
        ['run.sh', 'sh', 0o755, '#!/bin/sh\necho "from a script"\n'],
      ],
    );
  });

  test('checks carry their kind, spec, options in milliseconds and the line of their item', () => {
    const [files] = lessonOf(fixture('all-features.md')).steps;
    const [built, shown, negated] = files!.checks;
    assert.deepEqual(built, {
      id: 'image-built',
      kind: 'image',
      spec: { name: 'dl-features', cmd: ['echo', 'hi'] },
      description: 'the image exists with its command',
      timeoutMs: 30_000,
      intervalMs: 500,
      not: false,
      before: 'fail',
      line: 53,
      col: 3,
    });
    assert.equal(shown!.kind, 'output');
    assert.equal(shown!.spec.command, 'show');
    assert.equal(shown!.timeoutMs, 0);
    assert.equal(negated!.not, true);
    assert.equal(negated!.before, 'any');
    assert.equal(negated!.fix, 'Remove it with docker rm dl-features-old.');
  });

  test('hints are the blockquotes that start with Hint:, in order; other quotes stay prose', () => {
    const [files] = lessonOf(fixture('all-features.md')).steps;
    assert.deepEqual(
      files!.hints.map((h) => [h.markdown, h.line]),
      [
        ['the first hint.', 72],
        ['the second hint, revealed after the first.', 74],
      ],
    );
    assert.match(files!.markdown, /> A plain quote is prose, not a hint\./);
  });

  test('an input block attaches to the interactive command before it', () => {
    const step = lessonOf(fixture('all-features.md')).steps[1]!;
    const [shell, server] = step.commands;
    assert.equal(shell!.interactive, true);
    assert.equal(shell!.timeoutMs, 60_000);
    assert.equal(shell!.input, 'echo inside\nexit\n');
    assert.equal(server!.background, true);
    assert.equal(server!.id, 'server');
  });

  test('solution commands are marked as coming from the solution', () => {
    const step = lessonOf(fixture('all-features.md')).steps[2]!;
    assert.ok(step.solution);
    assert.equal(step.solution.line, 107);
    assert.deepEqual(
      step.commands.map((c) => c.fromSolution),
      [true],
    );
    assert.match(step.markdown, /Start a container named/);
    assert.doesNotMatch(step.markdown, /### Solution/);
  });

  test('quizzes keep 1-based answers, single or several', () => {
    const step = lessonOf(fixture('all-features.md')).steps[3]!;
    assert.deepEqual(
      step.quizzes.map((q) => [q.id, q.answer, q.choices.length]),
      [
        ['which-runs', 2, 2],
        ['pick-two', [1, 3], 3],
      ],
    );
  });

  test('a bare list in an expectation means equals, deeply', () => {
    const lesson = lessonOf(
      minimal(
        '## S {#s}\n\n```sh\ntrue\n```\n\n```yaml check\n- id: c\n  image: { name: x, cmd: [a, b] }\n```\n',
      ),
    );
    const check = lesson.steps[0]!.checks[0]!;
    assert.equal(check.kind, 'image');
    assert.deepEqual(check.spec.cmd, ['a', 'b']);
  });
});

describe('text as it comes', () => {
  test('CRLF line ends and a BOM give the same lesson and positions as LF', () => {
    const crlf = parseLesson('crlf.md', fixture('crlf-bom.md'));
    const lf = parseLesson(
      'crlf.md',
      fixture('crlf-bom.md')
        .replace(/^\uFEFF/, '')
        .replace(/\r\n/g, '\n'),
    );
    assert.deepEqual(crlf.diagnostics, []);
    assert.deepEqual(crlf.lesson, lf.lesson);
    assert.equal(crlf.lesson!.steps[0]!.checks[0]!.line, 16);
  });

  test('lone CR line ends are read as line ends', () => {
    const text = minimal(
      '## S {#s}\n\n```sh\ntrue\n```\n\n```yaml check\n- id: c\n  output: { exitCode: 0 }\n```\n',
    ).replace(/\n/g, '\r');
    const lesson = lessonOf(text);
    assert.equal(lesson.steps[0]!.checks[0]!.line, 15);
  });

  test('CJK text parses, and columns count characters on CJK lines', () => {
    const lesson = lessonOf(fixture('cjk.md'));
    assert.equal(lesson.title, '中文课程：镜像与容器');
    assert.deepEqual(
      lesson.steps[0]!.hints.map((h) => h.markdown),
      ['镜像名是 `busybox`。', '半角冒号也可以。'],
    );
    assert.ok(lesson.steps[0]!.solution);
    const broken = fixture('cjk.md').replace(
      'fix: 再运行一次上面的命令。',
      'fix: 再运行一次上面的命令。\n  中文键: 1',
    );
    const { diagnostics } = parseLesson('cjk.md', broken);
    assert.deepEqual(
      diagnostics.map((d) => `${d.line}:${d.col} ${d.rule}`),
      ['23:3 unknown-key'],
    );
  });

  test('a diagnostic after CJK text on the same line counts each character as one column', () => {
    const { diagnostics } = parseLesson(
      'x.md',
      minimal(
        '## 步骤 {#s}\n\n```sh\ntrue\n```\n\n```yaml check\n- { id: 中文, output: { exitCode: 0 } }\n```\n',
      ),
    );
    assert.deepEqual(
      diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`),
      ['15:9 id: ids are lowercase letters, digits and dashes, like "image-built"'],
    );
  });

  test('tilde fences and longer fences are code blocks like backticks', () => {
    const lesson = lessonOf(
      minimal(
        '## S {#s}\n\n~~~~sh id=a\necho "~~~"\n~~~~\n\n`````yaml check\n- id: c\n  output: { command: a, stdout: "~~~\\n" }\n`````\n',
      ),
    );
    assert.equal(lesson.steps[0]!.commands[0]!.script, 'echo "~~~"');
    const check = lesson.steps[0]!.checks[0]!;
    assert.equal(check.kind, 'output');
    assert.equal(check.spec.stdout, '~~~\n');
  });

  test('a 10 MB lesson body parses without a crash', () => {
    const paragraph = 'Docker runs containers from images. '.repeat(20) + '\n\n';
    const body = paragraph.repeat(Math.ceil((10 * 1024 * 1024) / paragraph.length));
    const text = minimal(
      `## Big {#big}\n\n${body}\`\`\`sh\ntrue\n\`\`\`\n\n\`\`\`yaml check\n- id: c\n  output: { exitCode: 0 }\n\`\`\`\n`,
    );
    assert.ok(text.length > 10 * 1024 * 1024);
    const lesson = lessonOf(text);
    const lines = text.split('\n');
    assert.equal(lesson.steps[0]!.checks[0]!.line, lines.indexOf('- id: c') + 1);
  });
});
