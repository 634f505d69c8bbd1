import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';

/** These tests run the built binary, as a user would: `npm test` builds it first. */
const BIN = 'dist/cli.js';
const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

before(() => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first (npm test does)`);
});

describe('the docker-lab binary', () => {
  test('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const { code, stdout } = await run(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout, `${pkg.version}\n`);
  });

  test('--help lists the commands', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /^Usage: docker-lab \[lesson\] \[--lang en\|zh-CN\] +the interactive course$/m,
    );
    assert.match(stdout, /^ +docker-lab <command> \[options\]$/m);
    for (const command of ['lint', 'schema', 'doctor'])
      assert.match(stdout, new RegExp(`^  ${command} `, 'm'));
  });

  test('an unknown command is refused with a suggestion and exit code 2', async () => {
    const { code, stderr } = await run(['lnit']);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'docker-lab: unknown command "lnit" (did you mean "lint"?).\nRun "docker-lab --help" for the list of commands.\n',
    );
  });

  test('--version and --help load only a small entry: commands and heavy libraries are separate chunks', () => {
    // Follow the entry's static imports: whatever they reach is loaded on every start.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      for (const [, spec] of code.matchAll(/^import\s*(?:[^'"]*from\s*)?["'](\.[^"']+)["']/gm)) {
        visit(join(dirname(file), spec!));
      }
    };
    visit(BIN);
    const bytes = [...seen].reduce((sum, file) => sum + statSync(file).size, 0);
    assert.ok(bytes < 16 * 1024, `the start-up closure is ${bytes} bytes`);
    const text = [...seen].map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const heavy of [
      'docker-modem',
      'marked-terminal',
      'yoga',
      'react-reconciler',
      'ZodError',
    ]) {
      assert.ok(!text.includes(heavy), `${heavy} is not loaded at start-up`);
    }
  });
});

describe('docker-lab lint', () => {
  test('the course and the good fixtures lint clean with exit code 0', async () => {
    const { code, stdout } = await run(['lint', 'lessons', 'fixtures/lessons/good']);
    assert.equal(code, 0);
    assert.match(stdout, /^✓ \d+ lessons checked, no problems\n$/);
  });

  test('a bad lesson gives file:line:col diagnostics and exit code 1', async () => {
    const { code, stdout } = await run(['lint', 'fixtures/lessons/bad/check-typos.md']);
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      'fixtures/lessons/bad/check-typos.md:17:3  error  unknown check kind "containr" in check "kind-typo" (did you mean "container"?)  (unknown-kind)',
    );
    assert.equal(lines.at(-1), '✖ 5 errors, 0 warnings in 1 of 1 lesson');
  });

  test('--format json gives the same diagnostics as data', async () => {
    const { code, stdout } = await run([
      'lint',
      '--format',
      'json',
      'fixtures/lessons/bad/future-format.md',
    ]);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), {
      lessons: 1,
      errors: 1,
      warnings: 0,
      diagnostics: [
        {
          file: 'fixtures/lessons/bad/future-format.md',
          line: 2,
          col: 9,
          severity: 'error',
          rule: 'format-version',
          message:
            'this lesson is written in lesson format 2, but this docker-lab understands format 1 at most: update docker-lab (npm install -g docker-lab@latest)',
        },
      ],
    });
  });

  test('a path that does not exist is a usage error, not a stack trace', async () => {
    const { code, stderr } = await run(['lint', 'no/such/lesson.md']);
    assert.equal(code, 2);
    assert.equal(stderr, 'docker-lab: no such file or folder: no/such/lesson.md\n');
  });

  test('colour follows the terminal and NO_COLOR', async () => {
    const plain = await run(['lint', 'fixtures/lessons/bad/future-format.md']);
    assert.ok(!plain.stdout.includes('\u001b['));
    const forced = await run(['lint', 'fixtures/lessons/bad/future-format.md'], {
      NO_COLOR: '',
      FORCE_COLOR: '1',
    });
    assert.ok(forced.stdout.includes('\u001b[31merror\u001b[39m'));
  });
});

describe('docker-lab schema', () => {
  test('prints the JSON Schema, whole or one part', async () => {
    const whole = await run(['schema']);
    assert.equal(whole.code, 0);
    assert.equal(JSON.parse(whole.stdout).title, 'docker-lab lesson format 1');
    const checks = await run(['schema', 'checks']);
    assert.equal(JSON.parse(checks.stdout).type, 'array');
  });

  test('an unknown part is refused with a suggestion', async () => {
    const { code, stderr } = await run(['schema', 'chekcs']);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'docker-lab: unknown schema part "chekcs" (did you mean "checks"?): choose front-matter, checks, quiz, near-miss\n',
    );
  });
});
