/**
 * The one keymap: what the learner means by a key (the Ink view) or a typed line (the plain
 * view), in the state they see. Both views read only this, so a key works the same in each and
 * the help lines describe both.
 */
import type { UiState } from './state.js';

export type Intent =
  | { type: 'answer'; yes: boolean | 'default' }
  | { type: 'quit' }
  | { type: 'cursor'; delta: number }
  | { type: 'open'; index?: number }
  | { type: 'choose'; choice: number }
  /** A whole answer to the step's quiz, typed as a line: `2`, `1,3`. */
  | { type: 'quiz-answer'; choices: number[] }
  | { type: 'run' }
  | { type: 'practice' }
  | { type: 'output' }
  | { type: 'logs' }
  | { type: 'check' }
  | { type: 'hint' }
  | { type: 'solution' }
  | { type: 'step'; delta: 1 | -1 }
  | { type: 'reset' }
  | { type: 'leave' };

/** One key as a terminal reports it (Ink's `Key`, reduced to what the keymap reads). */
export interface KeyPress {
  input: string;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
}

type Seen = Pick<UiState, 'prompt' | 'screen'>;

export function intentForKey(key: KeyPress, state: Seen): Intent | undefined {
  const { input } = key;
  if (state.prompt) {
    if (input === 'y' || input === 'Y') return { type: 'answer', yes: true };
    if (input === 'n' || input === 'N' || key.escape) return { type: 'answer', yes: false };
    if (key.return) return { type: 'answer', yes: 'default' };
    return undefined;
  }
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (state.screen === 'list') {
    if (key.upArrow || input === 'k') return { type: 'cursor', delta: -1 };
    if (key.downArrow || input === 'j') return { type: 'cursor', delta: 1 };
    if (key.return) return { type: 'open' };
    if (/^[1-9]$/.test(input)) return { type: 'open', index: Number(input) - 1 };
    if (input === 'q') return { type: 'quit' };
    return undefined;
  }
  if (/^[1-9]$/.test(input)) return { type: 'choose', choice: Number(input) };
  if (key.return || input === 'r') return { type: 'run' };
  if (input === 't') return { type: 'practice' };
  if (input === 'o') return { type: 'output' };
  if (input === 'l') return { type: 'logs' };
  if (input === 'c') return { type: 'check' };
  if (input === 'h') return { type: 'hint' };
  if (input === 's') return { type: 'solution' };
  if (input === 'n' || key.rightArrow) return { type: 'step', delta: 1 };
  if (input === 'p' || key.leftArrow) return { type: 'step', delta: -1 };
  if (input === 'x') return { type: 'reset' };
  if (input === 'q' || key.escape) return { type: 'leave' };
  return undefined;
}

/**
 * A typed line means what its key means (an empty line is Enter), except where a line can say
 * more than a key: a lesson's number opens it, and any answer starting with y is a yes.
 */
export function intentForLine(raw: string, state: Seen): Intent | undefined {
  const line = raw.trim();
  if (state.prompt) return { type: 'answer', yes: line === '' ? 'default' : /^y/i.test(line) };
  if (state.screen === 'list' && /^\d+$/.test(line))
    return { type: 'open', index: Number(line) - 1 };
  // In a lesson, numbers are an answer to the step's quiz, all at once (a key can only toggle).
  if (state.screen !== 'list' && /^\d+(\s*[,，\s]\s*\d+)*$/.test(line))
    return { type: 'quiz-answer', choices: line.split(/[,，\s]+/).map(Number) };
  if (line === '') return intentForKey({ input: '', return: true }, state);
  // Several characters are not a key: nothing, rather than a guess.
  return [...line].length === 1 ? intentForKey({ input: line }, state) : undefined;
}
