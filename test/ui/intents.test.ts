/** The one keymap: a key in the Ink view and a line in the plain view mean the same thing. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { intentForKey, intentForLine } from '../../src/ui/intents.js';

const list = { screen: 'list' as const };
const lesson = { screen: 'lesson' as const };
const asking = {
  screen: 'lesson' as const,
  prompt: { title: 't', items: [], question: 'q?', defaultYes: true },
};

describe('keys', () => {
  test('on the list: arrows or j/k move, Enter opens, q quits', () => {
    assert.deepEqual(intentForKey({ input: '', downArrow: true }, list), {
      type: 'cursor',
      delta: 1,
    });
    assert.deepEqual(intentForKey({ input: 'k' }, list), { type: 'cursor', delta: -1 });
    assert.deepEqual(intentForKey({ input: '', return: true }, list), { type: 'open' });
    assert.deepEqual(intentForKey({ input: 'q' }, list), { type: 'quit' });
    assert.deepEqual(intentForKey({ input: '3' }, list), { type: 'open', index: 2 });
    assert.equal(intentForKey({ input: 'x' }, list), undefined);
  });

  test('in a lesson: each letter of the help line, digits choose, q and Escape leave', () => {
    const cases: [string, unknown][] = [
      ['r', { type: 'run' }],
      ['t', { type: 'practice' }],
      ['o', { type: 'output' }],
      ['l', { type: 'logs' }],
      ['c', { type: 'check' }],
      ['h', { type: 'hint' }],
      ['s', { type: 'solution' }],
      ['n', { type: 'step', delta: 1 }],
      ['p', { type: 'step', delta: -1 }],
      ['x', { type: 'reset' }],
      ['q', { type: 'leave' }],
      ['3', { type: 'choose', choice: 3 }],
    ];
    for (const [input, intent] of cases)
      assert.deepEqual(intentForKey({ input }, lesson), intent, input);
    assert.deepEqual(intentForKey({ input: '', return: true }, lesson), { type: 'run' });
    assert.deepEqual(intentForKey({ input: '', escape: true }, lesson), { type: 'leave' });
    assert.deepEqual(intentForKey({ input: '', rightArrow: true }, lesson), {
      type: 'step',
      delta: 1,
    });
  });

  test('a question open takes y, n, Escape and Enter, and nothing else', () => {
    assert.deepEqual(intentForKey({ input: 'Y' }, asking), { type: 'answer', yes: true });
    assert.deepEqual(intentForKey({ input: 'n' }, asking), { type: 'answer', yes: false });
    assert.deepEqual(intentForKey({ input: '', escape: true }, asking), {
      type: 'answer',
      yes: false,
    });
    assert.deepEqual(intentForKey({ input: '', return: true }, asking), {
      type: 'answer',
      yes: 'default',
    });
    assert.equal(intentForKey({ input: 'q' }, asking), undefined);
  });

  test('Ctrl-C quits from anywhere but a question', () => {
    assert.deepEqual(intentForKey({ input: 'c', ctrl: true }, lesson), { type: 'quit' });
    assert.deepEqual(intentForKey({ input: 'c', ctrl: true }, list), { type: 'quit' });
  });
});

describe('lines (the plain view)', () => {
  test('a single character means what its key means; an empty line is Enter', () => {
    for (const input of ['r', 'c', 'h', 's', 'n', 'p', 'x', 'q'])
      assert.deepEqual(intentForLine(` ${input} `, lesson), intentForKey({ input }, lesson), input);
    assert.deepEqual(intentForLine('', lesson), { type: 'run' });
    assert.deepEqual(intentForLine('q', list), { type: 'quit' });
  });

  test("a lesson's number opens it, even past 9", () => {
    assert.deepEqual(intentForLine('12', list), { type: 'open', index: 11 });
  });

  test('any answer starting with y is a yes, an empty one the default', () => {
    assert.deepEqual(intentForLine('yes', asking), { type: 'answer', yes: true });
    assert.deepEqual(intentForLine('nope', asking), { type: 'answer', yes: false });
    assert.deepEqual(intentForLine('', asking), { type: 'answer', yes: 'default' });
  });

  test("in a lesson, numbers are a whole answer to the step's quiz: one, or several", () => {
    assert.deepEqual(intentForLine('2', lesson), { type: 'quiz-answer', choices: [2] });
    assert.deepEqual(intentForLine(' 1,3 ', lesson), { type: 'quiz-answer', choices: [1, 3] });
    assert.deepEqual(intentForLine('1, 3 4', lesson), {
      type: 'quiz-answer',
      choices: [1, 3, 4],
    });
    assert.deepEqual(intentForLine('1，3', lesson), { type: 'quiz-answer', choices: [1, 3] });
    assert.equal(intentForLine('1,,3x', lesson), undefined);
  });

  test('several characters that are not a number mean nothing', () => {
    assert.equal(intentForLine('run', lesson), undefined);
  });
});
