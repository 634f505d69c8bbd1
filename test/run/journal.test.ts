import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { CheckResult } from '../../src/checks/types.js';
import { parseLesson } from '../../src/lesson/parser.js';
import type { Lesson } from '../../src/lesson/schema.js';
import {
  JOURNAL_LIMITS,
  journalFile,
  listJournals,
  readJournal,
  RunJournal,
  tailOf,
} from '../../src/run/journal.js';
import type { RunnerEvent } from '../../src/run/events.js';
import type { ProcessResult } from '../../src/run/process.js';
import { makeCheck } from '../helpers/check-context.js';

const TEXT = `---
id: journal-test
title: Journal test
lang: en
---
# Journal test

## First {#first}

\`\`\`sh id=hello
echo hello
\`\`\`

\`\`\`yaml check
- id: said-hello
  output: { command: hello, stdout: { contains: "hello" } }
\`\`\`

## Second {#second}

\`\`\`sh
echo two
\`\`\`
`;

const lesson: Lesson = parseLesson('/course/en/journal-test.md', TEXT).lesson!;
const [first, second] = lesson.steps as [Lesson['steps'][0], Lesson['steps'][0]];

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
function stateEnv(extra: Record<string, string> = {}): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'dl-journal-'));
  roots.push(root);
  return { DOCKER_LAB_STATE_DIR: join(root, 'state'), HOME: '/home/ann', ...extra };
}

function finished(stdout: string, exitCode: number | null = 0): ProcessResult {
  return { stdout, stderr: '', exitCode, timedOut: false, aborted: false, durationMs: 12 };
}

function commandFinished(script: string, result: ProcessResult, step = first): RunnerEvent {
  const command = { ...step.commands[0]!, script };
  return { type: 'command-finished', step, command, result };
}

function failedCheck(id: string, actual: string): CheckResult {
  return {
    check: makeCheck({ id, output: { stdout: { contains: 'hello' } } }),
    pass: false,
    attempts: 3,
    elapsedMs: 1500,
    observation: {
      pass: false,
      subject: "output of the step's last command",
      mismatches: [{ field: 'stdout', expected: 'contains "hello"', actual }],
    },
  };
}

describe('the run journal', () => {
  test('keeps the step, the commands with output, exit code and duration, and failing reports', async () => {
    const env = stateEnv();
    const journal = await RunJournal.open(lesson, { env });
    journal.record({ type: 'lesson-started', lesson, workdir: '/tmp/w' });
    journal.record({ type: 'step-started', step: first, index: 0 });
    journal.record(commandFinished('echo hello', finished('hullo\n', 3)));
    journal.record({
      type: 'check-result',
      step: first,
      phase: 'after',
      result: failedCheck('said-hello', 'hullo'),
      expected: 'pass',
    });
    await journal.flush();
    const { journal: read, problem } = await readJournal(journalFile(env, lesson.meta));
    assert.equal(problem, undefined);
    assert.ok(read);
    assert.deepEqual(read.step, { id: 'first', title: 'First', index: 0, of: 2 });
    assert.equal(read.runs, 1);
    assert.equal(read.commands.length, 1);
    assert.deepEqual(
      {
        script: read.commands[0]!.script,
        stdout: read.commands[0]!.stdout,
        exitCode: read.commands[0]!.exitCode,
        durationMs: read.commands[0]!.durationMs,
        source: read.commands[0]!.source,
      },
      { script: 'echo hello', stdout: 'hullo', exitCode: 3, durationMs: 12, source: 'lesson' },
    );
    assert.equal(read.checks.length, 1);
    assert.match(read.checks[0]!.report!, /said-hello/);
    assert.match(read.checks[0]!.report!, /hullo/);
  });

  test('is bounded: the last 20 commands, each stream cut to its last lines and bytes', async () => {
    const env = stateEnv();
    const journal = await RunJournal.open(lesson, { env });
    const huge = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(80)}`).join('\n');
    for (let i = 0; i < 60; i++) {
      journal.record(commandFinished(`echo ${i} ${'y'.repeat(10_000)}`, finished(huge)));
      journal.record({
        type: 'check-result',
        step: i % 2 ? first : second,
        phase: 'after',
        result: failedCheck(`check-${i}`, huge),
        expected: 'pass',
      });
    }
    await journal.flush();
    const file = journalFile(env, lesson.meta);
    const { journal: read } = await readJournal(file);
    assert.ok(read);
    assert.equal(read.commands.length, JOURNAL_LIMITS.commands);
    // The newest are kept, the oldest dropped.
    assert.match(read.commands.at(-1)!.script, /^echo 59 /);
    assert.match(read.commands[0]!.script, /^echo 40 /);
    for (const command of read.commands) {
      const lines = command.stdout.split('\n');
      assert.ok(lines.length <= JOURNAL_LIMITS.lines);
      assert.ok(Buffer.byteLength(command.stdout) <= JOURNAL_LIMITS.streamBytes);
      assert.equal(lines.at(-1), `line 4999 ${'x'.repeat(80)}`);
      assert.equal(command.droppedLines!.stdout, 5000 - lines.length);
      assert.ok(Buffer.byteLength(command.script) <= JOURNAL_LIMITS.scriptBytes);
    }
    assert.equal(read.checks.length, JOURNAL_LIMITS.checks);
    assert.ok(statSync(file).size < 1024 * 1024, `${statSync(file).size} bytes`);
  });

  test('keeps the latest verdict of each check once, not every re-check', async () => {
    const env = stateEnv();
    const journal = await RunJournal.open(lesson, { env });
    for (let i = 0; i < 10; i++)
      journal.record({
        type: 'check-result',
        step: first,
        phase: 'after',
        result: failedCheck('said-hello', `try ${i}`),
        expected: 'pass',
      });
    await journal.flush();
    const { journal: read } = await readJournal(journalFile(env, lesson.meta));
    assert.equal(read!.checks.length, 1);
    assert.match(read!.checks[0]!.report!, /try 9/);
  });

  test('writes atomically: no temp file left, and the file is always a whole journal', async () => {
    const env = stateEnv();
    const journal = await RunJournal.open(lesson, { env });
    const file = journalFile(env, lesson.meta);
    // A reader polls the file while the writer records: every read is a complete, valid
    // journal (or none yet), never a half-written one.
    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      while (writing) {
        const read = await readJournal(file);
        assert.equal(read.problem, undefined);
        if (read.journal) seen.push(read.journal.commands.at(-1)!.script);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 40; i++) {
      journal.record(commandFinished(`echo ${i}`, finished(`${i}\n`)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await journal.flush();
    writing = false;
    await reader;
    assert.ok(seen.length > 0);
    assert.deepEqual(readdirSync(dirname(file)), ['journal-test.json']);
    const { journal: read } = await readJournal(file);
    assert.equal(read!.commands.at(-1)!.script, 'echo 39');
  });

  test('a second run of the lesson continues the journal', async () => {
    const env = stateEnv();
    const one = await RunJournal.open(lesson, { env });
    one.record({ type: 'lesson-started', lesson, workdir: '/w' });
    one.record(commandFinished('echo one', finished('one\n')));
    await one.flush();
    const two = await RunJournal.open(lesson, { env });
    two.record({ type: 'lesson-started', lesson, workdir: '/w' });
    two.record(commandFinished('echo two', finished('two\n')));
    await two.flush();
    const { journal: read } = await readJournal(journalFile(env, lesson.meta));
    assert.equal(read!.runs, 2);
    assert.deepEqual(
      read!.commands.map((c) => c.script),
      ['echo one', 'echo two'],
    );
  });

  test('a corrupt journal is started afresh, and the journal says so in a sentence', async () => {
    const env = stateEnv();
    const file = journalFile(env, lesson.meta);
    await mkdir(dirname(file), { recursive: true });
    writeFileSync(file, '{"version": 1, "lesson": ');
    const read = await readJournal(file);
    assert.equal(read.journal, undefined);
    assert.match(read.problem!, /^the journal .*journal-test\.json is not valid JSON$/);
    const journal = await RunJournal.open(lesson, { env });
    journal.record(commandFinished('echo again', finished('again\n')));
    await journal.flush();
    const { journal: fresh } = await readJournal(file);
    assert.equal(fresh!.commands.length, 1);
    assert.equal(fresh!.notes.length, 1);
    assert.match(
      fresh!.notes[0]!,
      /^At \S+ the journal .*journal-test\.json is not valid JSON, so this journal was started afresh\.$/,
    );
    // JSON that is not a journal, and a newer docker-lab's journal, are named as such.
    writeFileSync(file, '{"version": 1, "commands": 3}');
    assert.match((await readJournal(file)).problem!, /does not match the journal format \(/);
    writeFileSync(file, '{"version": 9}');
    assert.match((await readJournal(file)).problem!, /written by a newer docker-lab/);
  });

  test('a state folder that cannot be written does not stop the run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dl-journal-'));
    roots.push(root);
    writeFileSync(join(root, 'file'), '');
    const env = { DOCKER_LAB_STATE_DIR: join(root, 'file', 'state') };
    const journal = await RunJournal.open(lesson, { env });
    journal.record(commandFinished('echo x', finished('x\n')));
    await journal.flush();
    journal.record(commandFinished('echo y', finished('y\n')));
    await journal.flush();
    assert.equal(journal.snapshot().commands.length, 2);
  });

  test("secrets of the run's environment and the home folder are never written down", async () => {
    const env = stateEnv({ GITHUB_TOKEN: 'ghp_0123456789abcdefghij0123456789' });
    const journal = await RunJournal.open(lesson, { env });
    journal.record(
      commandFinished(
        'echo $GITHUB_TOKEN; ls /home/ann/lab',
        finished('ghp_0123456789abcdefghij0123456789\n/home/ann/lab/x\n'),
      ),
    );
    await journal.flush();
    const text = readFileSync(journalFile(env, lesson.meta), 'utf8');
    assert.ok(!text.includes('ghp_0123456789abcdefghij0123456789'));
    assert.ok(!text.includes('/home/ann'));
    assert.match(text, /~\/lab\/x/);
  });

  test('commands typed in the practice shell are kept too', async () => {
    const env = stateEnv();
    const journal = await RunJournal.open(lesson, { env });
    journal.typed(second, {
      script: 'docker ps',
      output: '\u001b[1mCONTAINER ID\u001b[0m\r\n',
      exitCode: 0,
    });
    await journal.flush();
    const { journal: read } = await readJournal(journalFile(env, lesson.meta));
    assert.deepEqual(
      { ...read!.commands[0]!, finishedAt: '' },
      {
        step: 'second',
        script: 'docker ps',
        source: 'typed',
        exitCode: 0,
        timedOut: false,
        aborted: false,
        finishedAt: '',
        stdout: 'CONTAINER ID',
        stderr: '',
      },
    );
  });

  test('journals are listed most recently updated first, unreadable ones with the reason', async () => {
    const env = stateEnv();
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const now = () => new Date((clock += 1000));
    const other = parseLesson(
      '/course/zh-CN/other.md',
      TEXT.replace('id: journal-test', 'id: other').replace('lang: en', 'lang: zh-CN'),
    ).lesson!;
    const a = await RunJournal.open(lesson, { env, now });
    a.record(commandFinished('echo a', finished('a\n')));
    await a.flush();
    const b = await RunJournal.open(other, { env, now });
    b.record(commandFinished('echo b', finished('b\n')));
    await b.flush();
    const listed = await listJournals(env);
    assert.deepEqual(
      listed.map((j) => `${j.lang}/${j.id}`),
      ['zh-CN/other', 'en/journal-test'],
    );
  });

  test('tailOf keeps the end of a stream, without control sequences', () => {
    assert.deepEqual(tailOf('a\nb\nc\n', 2, 100), { text: 'b\nc', dropped: 1 });
    assert.deepEqual(tailOf('\u001b[31mred\u001b[0m\n', 10, 100), { text: 'red', dropped: 0 });
    assert.deepEqual(tailOf('', 10, 100), { text: '', dropped: 0 });
    // One line longer than the budget: its end, cut on a character boundary.
    const cut = tailOf('中'.repeat(100), 10, 10);
    assert.ok(Buffer.byteLength(cut.text) <= 9);
    assert.match(cut.text, /^中+$/);
  });
});
