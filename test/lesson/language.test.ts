import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { languageFromLocale, learnerLanguage } from '../../src/lesson/language.js';

describe('the learner language', () => {
  test('--lang wins over the locale', () => {
    assert.equal(learnerLanguage({ flag: 'en', env: { LANG: 'zh_CN.UTF-8' } }), 'en');
    assert.equal(learnerLanguage({ flag: 'zh-CN', env: { LANG: 'en_US.UTF-8' } }), 'zh-CN');
  });

  test('--lang accepts other spellings of Simplified Chinese and any case', () => {
    for (const flag of ['zh', 'zh_CN', 'zh-cn', 'ZH-CN', 'zh-Hans'])
      assert.equal(learnerLanguage({ flag, env: {} }), 'zh-CN', flag);
    assert.equal(learnerLanguage({ flag: 'EN', env: {} }), 'en');
  });

  test('--lang with a language the course does not have is a usage error with a suggestion', () => {
    assert.throws(() => learnerLanguage({ flag: 'fr', env: {} }), {
      name: 'UsageError',
      message: '--lang is en or zh-CN, not "fr"',
    });
    assert.throws(() => learnerLanguage({ flag: 'eng', env: {} }), {
      message: '--lang is en or zh-CN, not "eng" (did you mean "en"?)',
    });
  });

  test('LC_ALL, then LC_MESSAGES, then LANG decide, as the C library does', () => {
    const env = { LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_GB.UTF-8' };
    assert.equal(learnerLanguage({ env }), 'zh-CN');
    assert.equal(learnerLanguage({ env: { ...env, LC_ALL: '' } }), 'en');
    assert.equal(learnerLanguage({ env: { LC_MESSAGES: 'zh_SG.UTF-8', LANG: 'en_US' } }), 'zh-CN');
    assert.equal(learnerLanguage({ env: { LANG: 'zh_CN.GB18030' } }), 'zh-CN');
  });

  test('LC_ALL=C means English even when LANG is Chinese (C is a locale, not "unset")', () => {
    assert.equal(learnerLanguage({ env: { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' } }), 'en');
  });

  test('no locale at all is English', () => {
    assert.equal(learnerLanguage({ env: {} }), 'en');
  });

  test('Simplified Chinese locales map to zh-CN; everything else, Traditional included, to en', () => {
    const cases: [string, string | undefined][] = [
      ['zh_CN.UTF-8', 'zh-CN'],
      ['zh_CN', 'zh-CN'],
      ['zh_SG.UTF-8', 'zh-CN'],
      ['zh-Hans', 'zh-CN'],
      ['zh-Hans-CN', 'zh-CN'],
      ['zh_CN.UTF-8@pinyin', 'zh-CN'],
      ['zh', 'zh-CN'],
      ['zh_TW.UTF-8', 'en'],
      ['zh_HK.UTF-8', 'en'],
      ['zh-Hant', 'en'],
      ['en_US.UTF-8', 'en'],
      ['de_DE.UTF-8', 'en'],
      ['C.UTF-8', 'en'],
      ['POSIX', 'en'],
      ['', undefined],
    ];
    for (const [locale, expected] of cases)
      assert.equal(languageFromLocale(locale), expected, locale);
    assert.equal(languageFromLocale(undefined), undefined);
  });
});
