// A step's typical mistakes (`yaml near-miss`): which one a learner made, and the report that
// tells them. Pure logic: the daemon side is proven by verify (test/commands/verify.near-miss.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  mistakeMade,
  normaliseCommand,
  refusingChecks,
  type Mistake,
} from '../../src/checks/mistakes.js';
import { formatFailure } from '../../src/checks/report.js';
import type { CheckResult } from '../../src/checks/types.js';
import { makeCheck } from '../helpers/check-context.js';

const at = { line: 1, col: 1 };
const MISSING_E: Mistake = {
  command: 'docker run -d --name dl-db -p 127.0.0.1:3306:3306 mysql:8.4',
  mistake: 'the -e MYSQL_ROOT_PASSWORD=... is missing: the server refuses to start without it',
  fails: ['db-running'],
  ...at,
};
const WRONG_PORT: Mistake = {
  command: 'docker run -d --name dl-db -p 3306:3306 -e MYSQL_ROOT_PASSWORD=pw mysql:8.4',
  mistake: 'the port is published on every interface, not on 127.0.0.1 only',
  ...at,
};

/** A failing container check, as the engine gives it after the learner's command. */
function refused(id: string): CheckResult {
  return {
    check: makeCheck({
      id,
      description: 'dl-db is running',
      container: { name: 'dl-db', running: true },
    }),
    pass: false,
    attempts: 1,
    elapsedMs: 4,
    observation: {
      pass: false,
      subject: 'container dl-db',
      mismatches: [{ field: 'running', expected: 'equals true', actual: false, matcher: true }],
      terminal: 'container dl-db exited with code 1 and will not start again by itself',
      fix: 'read its logs',
    },
  };
}

describe('a learner who types a known mistake', () => {
  test('commands are compared with blanks and line continuations normalised', () => {
    assert.equal(
      normaliseCommand('  docker run \\\n   -d   --name x\timage  '),
      'docker run -d --name x image',
    );
  });

  test('the mistake is found among the commands typed, only for the checks that refuse it', () => {
    const typed = ['docker ps', 'docker  run -d --name dl-db -p 127.0.0.1:3306:3306   mysql:8.4'];
    assert.equal(mistakeMade([WRONG_PORT, MISSING_E], typed, 'db-running'), MISSING_E);
    assert.equal(mistakeMade([WRONG_PORT, MISSING_E], typed, 'db-port'), undefined);
    assert.equal(mistakeMade([WRONG_PORT, MISSING_E], ['docker ps'], 'db-running'), undefined);
    // A near miss without `fails` is refused by every check of its step.
    const port = ['docker run -d --name dl-db -p 3306:3306 -e MYSQL_ROOT_PASSWORD=pw mysql:8.4'];
    assert.equal(mistakeMade([WRONG_PORT, MISSING_E], port, 'anything'), WRONG_PORT);
  });

  test('the checks that must refuse a near miss: those named, else all that can judge it', () => {
    const running = { id: 'db-running', kind: 'container', spec: { name: 'dl-db' } };
    const port = { id: 'db-port', kind: 'port', spec: { port: 3306 } };
    const last = { id: 'said', kind: 'output', spec: {} };
    // Another command's output is not there when the mistake is typed instead of the step's.
    const other = { id: 'listed', kind: 'output', spec: { command: 'ps' } };
    const checks = [running, port, last, other];
    assert.deepEqual(refusingChecks(MISSING_E, checks), [running]);
    assert.deepEqual(refusingChecks(WRONG_PORT, checks), [running, port, last]);
  });

  test("the learner's report says the mistake's sentence, in words, before what was found", () => {
    const typed = [MISSING_E.command];
    const text = formatFailure(refused('db-running'), {
      lang: 'en',
      learner: { mistake: (check) => mistakeMade([MISSING_E], typed, check.id)?.mistake },
    });
    const lines = text.split('\n');
    assert.equal(lines[0], '✗ dl-db is running');
    assert.equal(lines[1], `  a typical mistake: ${MISSING_E.mistake}`);
    assert.match(lines[2]!, /^ {2}running: expected equals true, found false$/);
  });

  test('in Chinese the sentence comes from the lesson, the words around it from the catalogue', () => {
    const mistake = { ...MISSING_E, mistake: '缺少 -e MYSQL_ROOT_PASSWORD=...，服务器无法启动' };
    const text = formatFailure(refused('db-running'), {
      lang: 'zh-CN',
      learner: { mistake: (check) => mistakeMade([mistake], [mistake.command], check.id)?.mistake },
    });
    assert.equal(text.split('\n')[1], `  常见错误：${mistake.mistake}`);
  });

  test('no sentence when the learner typed something else, or for an author', () => {
    const other = formatFailure(refused('db-running'), {
      lang: 'en',
      learner: { mistake: (check) => mistakeMade([MISSING_E], ['docker ps'], check.id)?.mistake },
    });
    assert.doesNotMatch(other, /typical mistake/);
    assert.doesNotMatch(formatFailure(refused('db-running'), { lang: 'en' }), /typical mistake/);
  });
});
