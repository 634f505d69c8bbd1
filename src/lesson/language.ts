/**
 * The learner's language: `--lang` when given, else the locale (LC_ALL, LC_MESSAGES, LANG, in
 * POSIX order of precedence). Simplified Chinese locales get the zh-CN course; every other
 * locale gets English, the course's fallback.
 */
import { UsageError } from '../errors.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { didYouMean } from './suggest.js';

/** `zh`, `zh_CN.UTF-8`, `zh-Hans`, `zh_SG@pinyin`, `zh-Hans-TW`: Simplified Chinese. */
const SIMPLIFIED_CHINESE = /^zh(?:-(?:cn|sg|hans)(?:-.*)?)?$/;

/** Maps one locale name to a course language; undefined when unset or empty (C and POSIX are English). */
export function languageFromLocale(locale: string | undefined): Lang | undefined {
  // Drop the codeset and modifier: zh_CN.UTF-8@pinyin -> zh_CN.
  const name = (locale ?? '').trim().replace(/[.@].*$/, '');
  if (name === '') return undefined;
  return SIMPLIFIED_CHINESE.test(name.replace(/_/g, '-').toLowerCase()) ? 'zh-CN' : 'en';
}

/**
 * `--lang` wins (and must name a course language; `zh` and `zh_CN` are accepted for zh-CN);
 * else the first locale variable that is set, the way the C library picks message language.
 */
export function learnerLanguage(options: {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
}): Lang {
  if (options.flag !== undefined) {
    const exact = LANGUAGES.find((lang) => lang.toLowerCase() === options.flag!.toLowerCase());
    if (exact) return exact;
    if (languageFromLocale(options.flag) === 'zh-CN') return 'zh-CN';
    throw new UsageError(
      `--lang is ${LANGUAGES.join(' or ')}, not "${options.flag}"${didYouMean(options.flag, LANGUAGES)}`,
    );
  }
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const lang = languageFromLocale(options.env[name]);
    if (lang) return lang;
  }
  return 'en';
}
