import { basename, dirname, join } from 'node:path';
import type { DiagnosticSink } from './diagnostics.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import type { Check } from '../checks/schema.js';
import type { Command, Lesson, Quiz, Step } from './schema.js';
import type { Position } from './source.js';

/**
 * The course keeps every lesson in each language at lessons/<lang>/<id>.md, and twins must
 * have the same steps and checks in the same order, so progress and reports line up.
 */

/** The language folder a lesson file sits in, if it sits in one. */
export function languageFolder(file: string): Lang | undefined {
  const folder = basename(dirname(file));
  return (LANGUAGES as readonly string[]).includes(folder) ? (folder as Lang) : undefined;
}

/** Paths of the lesson's twins in the other language folders (whether or not they exist). */
export function twinPaths(file: string): { lang: Lang; path: string }[] {
  const lang = languageFolder(file);
  if (!lang) return [];
  const root = dirname(dirname(file));
  return LANGUAGES.filter((other) => other !== lang).map((other) => ({
    lang: other,
    path: join(root, other, basename(file)),
  }));
}

/** Rules that only need the file's place: language folder and file name agree with the lesson. */
export function checkPlacement(lesson: Lesson, sink: DiagnosticSink): void {
  const folder = languageFolder(lesson.file);
  const at = (key: string) => lesson.metaPositions[key] ?? { line: 1, col: 1 };
  if (folder && lesson.meta.lang !== folder) {
    sink.error(
      at('lang'),
      'twin',
      `lang is ${lesson.meta.lang} but the lesson sits in the ${folder}/ folder: make them agree`,
    );
  }
  const name = basename(lesson.file).replace(/\.md$/i, '');
  if (folder && lesson.meta.id !== name) {
    sink.error(
      at('id'),
      'twin',
      `id "${lesson.meta.id}" differs from the file name ${basename(lesson.file)}: name the file ${lesson.meta.id}.md (twins are found by file name)`,
    );
  }
}

function idsOf(lesson: Lesson, stepId: string): string[] {
  const step = lesson.steps.find((s) => s.id === stepId);
  return step ? [...step.checks.map((c) => c.id), ...step.quizzes.map((q) => q.id)] : [];
}

/** One way two twins differ: where it is in each, what differs, each side's value, the fix. */
export interface TwinDifference {
  here: Position;
  there: Position;
  what: string;
  mine: string;
  theirs: string;
}

/** Front matter keys that are prose (translated) or compared elsewhere (`id`, `lang`). */
const FRONT_MATTER_PROSE = new Set(['title', 'summary', 'tags', 'lang', 'id']);

/**
 * A command's text as twins must share it: comment lines dropped (they are prose, translated),
 * runs of blanks one space, lines trimmed, blank lines dropped.
 */
export function normaliseScript(script: string): string {
  return script
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('\n');
}

/** A text block (file content, typed input) as twins must share it: blanks normalised. */
function normaliseText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** A value in a diagnostic: JSON with keys sorted, so equal values read the same. */
export function shown(value: unknown): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

function quote(text: string): string {
  const one = text.replace(/\n/g, '⏎');
  return `\`${one.length > 80 ? `${one.slice(0, 77)}...` : one}\``;
}

/** A command's attributes, as its info string would write them. */
function attributes(command: Command): string {
  const words: string[] = [];
  if (command.mode === 'manual') words.push('manual');
  if (command.interactive) words.push('interactive');
  if (command.background) words.push('background');
  if (command.confirm) words.push('confirm');
  if (command.id !== undefined) words.push(`id=${command.id}`);
  if (command.timeoutMs !== undefined) words.push(`timeout=${command.timeoutMs}ms`);
  if (command.when !== undefined) words.push(`when=${command.when}`);
  if (command.fromSolution) words.push('(in the solution)');
  return words.length > 0 ? words.join(' ') : '(none)';
}

function compareCommands(a: Step, b: Step, out: TwinDifference[]): void {
  if (a.commands.length !== b.commands.length) {
    out.push({
      here: a,
      there: b,
      what: `step "${a.id}": the number of commands`,
      mine: String(a.commands.length),
      theirs: String(b.commands.length),
    });
  }
  for (let i = 0; i < Math.min(a.commands.length, b.commands.length); i++) {
    const x = a.commands[i]!;
    const y = b.commands[i]!;
    const what = `step "${a.id}", command ${i + 1}`;
    if (normaliseScript(x.script) !== normaliseScript(y.script))
      out.push({
        here: x,
        there: y,
        what,
        mine: quote(normaliseScript(x.script)),
        theirs: quote(normaliseScript(y.script)),
      });
    if (attributes(x) !== attributes(y))
      out.push({
        here: x,
        there: y,
        what: `${what}: its attributes`,
        mine: attributes(x),
        theirs: attributes(y),
      });
    const inputX = x.input === undefined ? undefined : normaliseText(x.input);
    const inputY = y.input === undefined ? undefined : normaliseText(y.input);
    if (inputX !== inputY)
      out.push({
        here: x,
        there: y,
        what: `${what}: its input block`,
        mine: inputX === undefined ? '(none)' : quote(inputX),
        theirs: inputY === undefined ? '(none)' : quote(inputY),
      });
  }
}

function compareFiles(a: Step, b: Step, out: TwinDifference[]): void {
  const paths = (step: Step) => step.files.map((f) => f.path);
  if (paths(a).join('\n') !== paths(b).join('\n')) {
    out.push({
      here: a.files[0] ?? a,
      there: b.files[0] ?? b,
      what: `step "${a.id}": the files it writes`,
      mine: paths(a).join(', ') || '(none)',
      theirs: paths(b).join(', ') || '(none)',
    });
    return;
  }
  a.files.forEach((x, i) => {
    const y = b.files[i]!;
    if (normaliseText(x.content) !== normaliseText(y.content)) {
      const xs = normaliseText(x.content).split('\n');
      const ys = normaliseText(y.content).split('\n');
      let line = 0;
      while (xs[line] === ys[line]) line++;
      out.push({
        here: x,
        there: y,
        what: `step "${a.id}", file ${x.path}, content line ${line + 1}`,
        mine: quote(xs[line] ?? '(end of file)'),
        theirs: quote(ys[line] ?? '(end of file)'),
      });
    }
    if (x.mode !== y.mode)
      out.push({
        here: x,
        there: y,
        what: `step "${a.id}", file ${x.path}: its mode`,
        mine: x.mode === undefined ? '(none)' : x.mode.toString(8).padStart(4, '0'),
        theirs: y.mode === undefined ? '(none)' : y.mode.toString(8).padStart(4, '0'),
      });
  });
}

/** A check's fields that are prose or place, not what it checks: left out of the comparison. */
const CHECK_PROSE = new Set(['description', 'fix', 'line', 'col', 'id', 'spec']);

/**
 * What a check asserts and how it waits: everything but its prose (description, fix). Every
 * other field counts, so an option added to checks later is compared without a word here.
 */
function checkFacts(check: Check): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(check)) {
    if (!CHECK_PROSE.has(key)) facts[key.replace(/Ms$/, '')] = value;
  }
  for (const [key, value] of Object.entries(check.spec as Record<string, unknown>))
    facts[`${check.kind}.${key}`] = value;
  return facts;
}

function compareChecks(a: Step, b: Step, out: TwinDifference[]): void {
  for (const x of a.checks) {
    const y = b.checks.find((c) => c.id === x.id);
    if (!y) continue;
    const fx = checkFacts(x);
    const fy = checkFacts(y);
    for (const key of new Set([...Object.keys(fx), ...Object.keys(fy)])) {
      if (shown(fx[key]) === shown(fy[key])) continue;
      out.push({
        here: x,
        there: y,
        what: `check "${x.id}": ${key}`,
        mine: shown(fx[key]),
        theirs: shown(fy[key]),
      });
      if (key === 'kind') break;
    }
  }
}

/**
 * Near misses: the same mistakes in the same order, each with the same command, checks it must
 * fail and wait; only its `mistake` sentence is prose.
 */
function compareMistakes(a: Step, b: Step, out: TwinDifference[]): void {
  const facts = (m: Step['mistakes'][number]) => ({
    command: normaliseScript(m.command),
    fails: [...(m.fails ?? [])].sort().join(', '),
    wait: m.waitMs === undefined ? '' : String(m.waitMs),
  });
  if (a.mistakes.length !== b.mistakes.length) {
    out.push({
      here: a.mistakes[0] ?? a,
      there: b.mistakes[0] ?? b,
      what: `step "${a.id}": its near misses`,
      mine: String(a.mistakes.length),
      theirs: String(b.mistakes.length),
    });
    return;
  }
  a.mistakes.forEach((x, i) => {
    const y = b.mistakes[i]!;
    const fx = facts(x);
    const fy = facts(y);
    for (const key of ['command', 'fails', 'wait'] as const) {
      if (fx[key] === fy[key]) continue;
      out.push({
        here: x,
        there: y,
        what: `step "${a.id}", near miss ${i + 1}: ${key}`,
        mine: shown(fx[key]),
        theirs: shown(fy[key]),
      });
    }
  });
}

function answers(quiz: Quiz): string {
  return (Array.isArray(quiz.answer) ? [...quiz.answer] : [quiz.answer])
    .sort((p, q) => p - q)
    .join(', ');
}

function compareQuizzes(a: Step, b: Step, out: TwinDifference[]): void {
  for (const x of a.quizzes) {
    const y = b.quizzes.find((q) => q.id === x.id);
    if (!y) continue;
    if (x.choices.length !== y.choices.length)
      out.push({
        here: x,
        there: y,
        what: `quiz "${x.id}": the number of choices`,
        mine: String(x.choices.length),
        theirs: String(y.choices.length),
      });
    if (answers(x) !== answers(y))
      out.push({
        here: x,
        there: y,
        what: `quiz "${x.id}": the right answer`,
        mine: `choice ${answers(x)}`,
        theirs: `choice ${answers(y)}`,
      });
  }
}

function compareFrontMatter(a: Lesson, b: Lesson, out: TwinDifference[]): void {
  if (a.invalidMeta || b.invalidMeta) return;
  const keys = new Set([...Object.keys(a.meta), ...Object.keys(b.meta)]);
  for (const key of keys) {
    if (FRONT_MATTER_PROSE.has(key)) continue;
    const x = (a.meta as Record<string, unknown>)[key];
    const y = (b.meta as Record<string, unknown>)[key];
    if (shown(x) === shown(y)) continue;
    out.push({
      here: a.metaPositions[key] ?? { line: 1, col: 1 },
      there: b.metaPositions[key] ?? { line: 1, col: 1 },
      what: `front matter \`${key}\``,
      mine: shown(x),
      theirs: shown(y),
    });
  }
}

/**
 * Everything but prose in which two twins differ, located in both: front matter that is not
 * prose, and for each step the two have: its commands (text and attributes), input blocks,
 * files, checks (all but description and fix), quizzes (choice count, right answers) and near
 * misses (all but the `mistake` sentence). Step order and check ids are compared by checkTwin.
 */
export function twinDifferences(a: Lesson, b: Lesson): TwinDifference[] {
  const out: TwinDifference[] = [];
  compareFrontMatter(a, b, out);
  for (const x of a.steps) {
    const y = b.steps.find((s) => s.id === x.id);
    if (!y) continue;
    compareCommands(x, y, out);
    compareFiles(x, y, out);
    compareChecks(x, y, out);
    compareQuizzes(x, y, out);
    compareMistakes(x, y, out);
  }
  return out;
}

/**
 * Compares a lesson with its twin. `twin` is undefined when the file is missing; `null` when it
 * exists but cannot be read as a lesson (its own lint reports why).
 */
export function checkTwin(
  lesson: Lesson,
  twin: { lang: Lang; path: string; lesson: Lesson | undefined | null },
  sink: DiagnosticSink,
): void {
  const where = `its ${twin.lang} twin ${twin.path}`;
  if (twin.lesson === undefined) {
    sink.error(
      { line: 1, col: 1 },
      'twin',
      `no ${twin.lang} twin: every course lesson exists in each language; add ${twin.path} with the same step and check ids`,
    );
    return;
  }
  if (twin.lesson === null) return;
  const other = twin.lesson;
  if (other.meta.id !== lesson.meta.id) {
    sink.error(
      lesson.metaPositions.id ?? { line: 1, col: 1 },
      'twin',
      `id "${lesson.meta.id}" is "${other.meta.id}" in ${where}: twins share their id`,
    );
  }
  const mine = lesson.steps.map((s) => s.id);
  const theirs = other.steps.map((s) => s.id);
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    const step = lesson.steps[i];
    if (mine[i] === theirs[i]) continue;
    if (step && theirs[i] !== undefined) {
      sink.error(
        step,
        'twin',
        `step ${i + 1} is "${mine[i]}" here but "${theirs[i]}" in ${where}: twins have the same steps in the same order`,
      );
    } else if (step) {
      sink.error(step, 'twin', `step "${mine[i]}" is missing from ${where}`);
    } else {
      const last = lesson.steps[lesson.steps.length - 1];
      sink.error(
        last ?? { line: 1, col: 1 },
        'twin',
        `${where} has a step "${theirs[i]}" that this lesson lacks`,
      );
    }
    break;
  }
  for (const step of lesson.steps) {
    if (!other.steps.some((s) => s.id === step.id)) continue;
    const a = idsOf(lesson, step.id);
    const b = idsOf(other, step.id);
    if (a.join(',') !== b.join(',')) {
      sink.error(
        step,
        'twin',
        `step "${step.id}" has checks [${a.join(', ')}] here but [${b.join(', ')}] in ${where}: twins check the same things`,
      );
    }
  }
  for (const d of twinDifferences(lesson, other)) {
    sink.error(
      d.here,
      'twin',
      `${d.what} differs between the twins: ${d.mine} here, ${d.theirs} in its ${twin.lang} twin at ${twin.path}:${d.there.line}:${d.there.col}. Twins differ only in prose: make both say the same`,
    );
  }
}
