/**
 * The message catalogue (src/i18n): every language says everything English says, in the same
 * shape, in its own words; and no module outside src/i18n keeps words of its own in another
 * language or picks words by testing the language in place.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../../src/i18n/lang.js';
import { messages } from '../../src/i18n/messages.js';

const HAN = /\p{Script=Han}/u;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every leaf of a catalogue, by its dotted path: `ui.passed`, `fix.volumeMissing`. */
function leaves(value: unknown, path = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      for (const [p, leaf] of leaves(child, path ? `${path}.${key}` : key)) out.set(p, leaf);
  } else out.set(path, value);
  return out;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'function') return `function of ${value.length}`;
  return typeof value;
}

/** What differs in shape between en and another catalogue: missing, extra, other kind or arity. */
function shapeDifferences(en: Map<string, unknown>, other: Map<string, unknown>): string[] {
  return [
    ...[...en.keys()].filter((key) => !other.has(key)).map((key) => `${key}: missing`),
    ...[...other.keys()].filter((key) => !en.has(key)).map((key) => `${key}: not in en`),
    ...[...en]
      .filter(([key, value]) => other.has(key) && kindOf(value) !== kindOf(other.get(key)))
      .map(([key, value]) => `${key}: en ${kindOf(value)}, here ${kindOf(other.get(key))}`),
  ];
}

/** Arguments that make an entry show its words, where placeholders would not. */
const ARGS: Record<string, unknown[]> = {
  'ui.inTheWayItem': ['container', '⟦1⟧'],
  'run.resumeNames': [['⟦0⟧', '⟦1⟧'], 0],
  'run.resumeRewound': ['⟦0⟧', true, 2],
  'run.resumeRecreateTitle': ['⟦0⟧', true, '⟦2⟧'],
};

/** Every text an entry can say: a string, a list's words, a function's sentence (placeholders removed). */
function texts(path: string, value: unknown): string[] {
  let said: string[] = [];
  if (typeof value === 'string') said = [value];
  else if (Array.isArray(value)) said = value.map(String);
  else if (typeof value === 'function') {
    const args = ARGS[path] ?? Array.from({ length: value.length }, (_, i) => `⟦${i}⟧`);
    said = [String((value as (...a: unknown[]) => unknown)(...args))];
  }
  return said.map((text) => text.replace(/⟦\d+⟧/g, ''));
}

/**
 * Entries that rightly carry no Chinese word: they pass the learner's own value through, or say
 * only a protocol's name and data.
 */
const NO_WORDS_NEEDED = new Set([
  'ui.minutes', // the lesson's own duration text
  'subject.http', // HTTP GET http://...
  'word.httpStatus', // HTTP 404
]);

/**
 * Sentences in Latin letters with no Chinese word in them: English left untranslated. Commands,
 * names and code inside a Chinese sentence are fine (`启动它：docker start web`).
 */
function untranslated(catalogue: Map<string, unknown>): string[] {
  return [...catalogue]
    .filter(([key]) => !NO_WORDS_NEEDED.has(key))
    .flatMap(([key, value]) =>
      texts(key, value)
        .filter((text) => /[A-Za-z]/.test(text) && !HAN.test(text))
        .map((text) => `${key}: ${JSON.stringify(text)}`),
    );
}

describe('the message catalogue', () => {
  const en = leaves(messages('en'));
  const zh = leaves(messages('zh-CN'));

  test('is whole: every group, and the entries in them', () => {
    assert.ok(en.size > 150, `en has ${en.size} entries`);
    const groups = new Set([...en.keys()].map((key) => key.split('.')[0]));
    for (const group of [
      'check',
      'subject',
      'fix',
      'word',
      'matcher',
      'lesson',
      'ui',
      'list',
      'run',
    ])
      assert.ok(groups.has(group), group);
  });

  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    const other = leaves(messages(lang));

    test(`${lang} has every entry of en, of the same kind and arity, and nothing more`, () => {
      assert.deepEqual(shapeDifferences(en, other), []);
    });

    test(`${lang} leaves no English sentence behind (commands, names and code aside)`, () => {
      assert.deepEqual(untranslated(other), []);
    });
  }

  test('the checks above catch what they are for', () => {
    const broken = new Map(zh);
    broken.delete('ui.passed');
    broken.set('fix.volumeMissing', () => 'Create it: docker volume create');
    broken.set('check.extra', 'x');
    assert.deepEqual(shapeDifferences(en, broken), [
      'ui.passed: missing',
      'check.extra: not in en',
      'fix.volumeMissing: en function of 1, here function of 0',
    ]);
    assert.deepEqual(
      untranslated(broken).filter((line) => !line.startsWith('check.extra')),
      ['fix.volumeMissing: "Create it: docker volume create"'],
    );
    assert.deepEqual(untranslated(en).length > 100, true);
  });
});

/** The project's code: what ships and what builds it, not its tests, docs or lessons. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return codeFiles(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

function linesMatching(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('words live in the catalogue only', () => {
  // lessons/ and fixtures/ are the course and the test lessons; test/, docs/ and the README
  // quote what a learner sees, in both languages, to prove or explain it.
  const files = ['src', 'scripts', 'bench', '.ci']
    .flatMap((dir) => codeFiles(join(ROOT, dir)))
    .concat(
      readdirSync(ROOT)
        .filter((name) => /\.(js|mjs|cjs|json)$/.test(name))
        .map((name) => join(ROOT, name)),
    )
    .map((path) => relative(ROOT, path).split('\\').join('/'))
    .filter((path) => !path.startsWith('src/i18n/'));

  test('no file outside src/i18n holds a Chinese character', () => {
    assert.ok(files.includes('src/cli.ts') && files.includes('eslint.config.js'));
    assert.deepEqual(linesMatching(files, HAN), []);
  });

  test('no module outside src/i18n picks words by testing for a language', () => {
    // English is the fallback, so `lesson.lang === 'en'` may choose lessons; testing for any
    // other language is choosing words in place. lesson/language.ts maps a locale to a language.
    const others = LANGUAGES.filter((lang) => lang !== 'en').join('|');
    const testing = new RegExp(`[!=]==?\\s*'(${others})'|'(${others})'\\s*[!=]==?`);
    const src = files.filter(
      (file) => file.startsWith('src/') && file !== 'src/lesson/language.ts',
    );
    assert.deepEqual(linesMatching(src, testing), []);
  });
});
