import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineDiff } from '../../src/checks/diff.js';
import {
  buildReport,
  colourStyle,
  formatFailure,
  renderReport,
  styleFromPalette,
} from '../../src/checks/report.js';
import type { CheckResult, Observation } from '../../src/checks/types.js';
import { makeCheck } from '../helpers/check-context.js';

test('lineDiff marks removed and added lines around the common ones', () => {
  assert.deepEqual(lineDiff('a\nb\nc\n', 'a\nB\nc\n'), [
    { op: 'same', text: 'a' },
    { op: 'removed', text: 'b' },
    { op: 'added', text: 'B' },
    { op: 'same', text: 'c' },
  ]);
  assert.deepEqual(lineDiff('one', 'one\ntwo'), [
    { op: 'same', text: 'one' },
    { op: 'added', text: 'two' },
  ]);
  assert.deepEqual(lineDiff('x\ny', 'y'), [
    { op: 'removed', text: 'x' },
    { op: 'same', text: 'y' },
  ]);
});

test('lineDiff collapses long unchanged stretches, keeping two lines of context', () => {
  const expected = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
  const actual = expected.replace('5', 'five');
  assert.deepEqual(lineDiff(expected, actual), [
    { op: 'skip', count: 2 },
    { op: 'same', text: '3' },
    { op: 'same', text: '4' },
    { op: 'removed', text: '5' },
    { op: 'added', text: 'five' },
    { op: 'same', text: '6' },
    { op: 'same', text: '7' },
    { op: 'skip', count: 2 },
  ]);
});

test('lineDiff treats CRLF like LF and handles very long texts without a table', () => {
  assert.deepEqual(lineDiff('a\r\nb\r\n', 'a\nb\n'), [{ op: 'skip', count: 2 }]);
  const big = Array.from({ length: 1500 }, (_, i) => `line ${i}`).join('\n');
  const diff = lineDiff(big, `${big}\nextra`);
  assert.deepEqual(diff.at(-1), { op: 'added', text: 'extra' });
});

function result(
  yaml: Record<string, unknown>,
  observation: Observation,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    check: makeCheck(yaml),
    pass: false,
    attempts: 1,
    elapsedMs: 3,
    observation,
    ...extra,
  };
}

const OUTPUT_FAILURE = result(
  { id: 'greeted', output: { stdout: 'Hello\nfrom\nDocker\n', exitCode: 0 } },
  {
    pass: false,
    subject: "output of the step's last command",
    mismatches: [
      {
        field: 'stdout',
        expected: 'equals "Hello\\nfrom\\nDocker\\n"',
        actual: 'Hello\nfrom\ndocker\n',
        matcher: 'Hello\nfrom\nDocker\n',
      },
      { field: 'exitCode', expected: 'equals 0', actual: 1, matcher: 0 },
    ],
    fix: 'the command failed: read its error output above, correct it and run it again',
  },
);

test('a report is data: expected and found per field, a diff for text, the fix', () => {
  const report = buildReport(OUTPUT_FAILURE, 'en');
  assert.equal(report.id, 'greeted');
  assert.equal(report.subject, "output of the step's last command");
  assert.deepEqual(report.mismatches[0]?.diff, [
    { op: 'same', text: 'Hello' },
    { op: 'same', text: 'from' },
    { op: 'removed', text: 'Docker' },
    { op: 'added', text: 'docker' },
  ]);
  assert.equal(report.mismatches[1]?.diff, undefined, 'numbers are shown inline');
  assert.deepEqual(report.fix, {
    text: 'the command failed: read its error output above, correct it and run it again',
    source: 'suggested',
  });
});

test('the rendered report shows the diff, the attempts and the fix', () => {
  assert.equal(
    formatFailure(OUTPUT_FAILURE, { lang: 'en' }),
    [
      "✗ greeted: output of the step's last command",
      '  stdout: expected equals "Hello\\nfrom\\nDocker\\n"',
      '    diff (- expected, + found):',
      '      Hello',
      '      from',
      '    - Docker',
      '    + docker',
      '  exitCode: expected equals 0, found 1',
      '  tried once (3 ms)',
      '  likeliest fix: the command failed: read its error output above, correct it and run it again',
    ].join('\n'),
  );
});

test("the author's fix wins over the suggested one; the description comes under the title", () => {
  const failed = result(
    {
      id: 'db-running',
      container: { name: 'dl-db', running: true },
      timeout: '10s',
      description: 'MySQL is up',
      fix: 'Start it with docker start dl-db',
    },
    {
      pass: false,
      subject: 'container dl-db',
      mismatches: [{ field: 'running', expected: 'equals true', actual: false }],
      terminal: 'container dl-db exited with code 1 and will not start again by itself',
      snapshot: {
        name: 'dl-db',
        id: 'abc',
        image: 'mysql:8',
        status: 'exited',
        exitCode: 1,
        logTail: ['init', 'fatal: no password'],
      },
      fix: 'suggested',
    },
    { elapsedMs: 1234 },
  );
  assert.equal(
    renderReport(buildReport(failed, 'en'), { lang: 'en' }),
    [
      '✗ db-running: container dl-db',
      '  MySQL is up',
      '  running: expected equals true, found false',
      '  tried once (1.2 s) (timeout 10 s)',
      '  stopped waiting early: container dl-db exited with code 1 and will not start again by itself',
      '  container dl-db (mysql:8): exited, exit code 1',
      '    last 2 log lines:',
      '    | init',
      '    | fatal: no password',
      '  likeliest fix: Start it with docker start dl-db',
    ].join('\n'),
  );
});

test('a negated check that failed says so instead of listing mismatches', () => {
  const failed = result(
    { id: 'gone', container: { name: 'dl-old', exists: true }, not: true },
    { pass: true, subject: 'container dl-old', mismatches: [] },
    { attempts: 3, elapsedMs: 600 },
  );
  assert.equal(
    formatFailure(failed, { lang: 'en' }),
    [
      '✗ gone: container dl-old',
      '  this check is negated (not: true), but every expectation held',
      '  tried 3 times in 600 ms',
      '  likeliest fix: this check must not hold: undo what made it true',
    ].join('\n'),
  );
});

test('an evaluation error is reported as such, with no fix to guess', () => {
  const failed = result(
    { id: 'web', container: { name: 'web', running: true } },
    { pass: false, subject: 'container web', mismatches: [] },
    { error: 'the Docker daemon did not answer within 15 s' },
  );
  assert.equal(
    formatFailure(failed, { lang: 'en' }),
    '✗ web: container web\n  could not evaluate: the Docker daemon did not answer within 15 s',
  );
});

test('multi-line text that was not compared for equality is shown as a block', () => {
  const failed = result(
    { id: 'logs', output: { stdout: { contains: 'ready' } } },
    {
      pass: false,
      subject: 'output of command "run"',
      mismatches: [{ field: 'stdout', expected: 'contains "ready"', actual: 'booting\nwaiting\n' }],
    },
  );
  assert.equal(
    formatFailure(failed, { lang: 'en' }),
    [
      '✗ logs: output of command "run"',
      '  stdout: expected contains "ready"',
      '    found:',
      '    | booting',
      '    | waiting',
      '  tried once (3 ms)',
      '  likeliest fix: redo the step as the lesson shows',
    ].join('\n'),
  );
});

test('the same report in Chinese', () => {
  assert.equal(
    formatFailure(
      result(
        { id: 'web', container: { name: 'web', running: true }, timeout: '5s' },
        {
          pass: false,
          subject: '容器 web',
          mismatches: [{ field: 'running', expected: '等于 true', actual: false }],
          snapshot: {
            name: 'web',
            id: 'abc',
            image: 'nginx',
            status: 'created',
            health: 'none',
            logTail: [],
          },
          fix: '启动它：docker start web',
        },
        { attempts: 20, elapsedMs: 5010 },
      ),
      { lang: 'zh-CN' },
    ),
    [
      '✗ web：容器 web',
      '  running：期望 等于 true，实际为 false',
      '  尝试 20 次，用时 5 秒（超时 5 秒）',
      '  容器 web（nginx）：created，健康状态 none',
      '    没有日志输出',
      '  最可能的解决办法：启动它：docker start web',
    ].join('\n'),
  );
});

test('a colour style decorates the parts; the plain style leaves text as it is', () => {
  const text = formatFailure(OUTPUT_FAILURE, { lang: 'en', style: colourStyle });
  const ESC = '\x1b';
  assert.ok(text.startsWith(`${ESC}[1;31m✗ greeted`));
  assert.ok(text.includes(`${ESC}[31m- Docker${ESC}[0m`));
  assert.ok(text.includes(`${ESC}[32m+ docker${ESC}[0m`));
  assert.ok(!formatFailure(OUTPUT_FAILURE, { lang: 'en' }).includes(ESC));
});

test("a style can come from the CLI's palette", () => {
  const tag = (name: string) => (text: string) => `<${name}>${text}</${name}>`;
  const style = styleFromPalette({
    red: tag('r'),
    green: tag('g'),
    dim: tag('d'),
    bold: tag('b'),
  });
  const text = formatFailure(OUTPUT_FAILURE, { lang: 'en', style });
  assert.ok(text.startsWith("<b><r>✗ greeted: output of the step's last command</r></b>"));
  assert.ok(text.includes('    <r>- Docker</r>\n    <g>+ docker</g>'));
});

test('for a learner: the check in words, what was found instead of a pattern, condensed logs, the lesson command', () => {
  const failed = result(
    {
      id: 'db-env',
      description: 'the database container was started with its root password',
      container: {
        name: 'dl-mysql',
        env: { contains: 'MYSQL_ROOT_PASSWORD=' },
        status: { matches: '^run' },
      },
    },
    {
      pass: false,
      subject: 'container dl-mysql',
      mismatches: [
        {
          field: 'status',
          expected: 'matches /^run/',
          actual: 'exited',
          matcher: { matches: '^run' },
        },
        { field: 'env', expected: 'contains "MYSQL_ROOT_PASSWORD="', actual: ['PATH=/usr/bin'] },
      ],
      snapshot: {
        name: 'dl-mysql',
        id: 'abc',
        image: 'mysql:8.4',
        status: 'exited',
        exitCode: 1,
        logTail: [
          ...Array(6).fill('2026-12-07T01:00:00Z [Note] init'),
          'error: MYSQL_ROOT_PASSWORD is not set',
        ],
      },
    },
  );
  const text = formatFailure(failed, {
    lang: 'en',
    learner: {
      command: () =>
        'docker run -d --name dl-mysql -p 127.0.0.1:3306:3306 -e MYSQL_ROOT_PASSWORD=pw mysql:8.4',
    },
  });
  const lines = text.split('\n');
  assert.equal(lines[0], '✗ the database container was started with its root password');
  assert.doesNotMatch(text, /db-env|\/\^run\//, 'no id, no pattern');
  assert.match(text, /status: found "exited"/);
  assert.match(text, /\[Note\] init {2}\(6 times\)/);
  assert.match(
    text,
    /lesson’s command:\n {4}\$ docker run -d --name dl-mysql -p 127\.0\.0\.1:3306:3306 -e MYSQL_ROOT_PASSWORD=pw mysql:8\.4$/,
  );
  // An author's report (verify) keeps the id and every log line.
  const author = formatFailure(failed, { lang: 'en' });
  assert.match(author, /^✗ db-env: container dl-mysql/);
  assert.equal(author.match(/\[Note\] init/g)?.length, 6);
});
