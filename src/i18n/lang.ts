/**
 * The languages docker-lab speaks: of the course, and of every word it shows. A module of its
 * own, at the bottom of the layers, so that every layer names a language the same way and
 * start-up paths need not load zod.
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Whether a name read from a file or a folder is one of the languages. */
export function isLang(name: string): name is Lang {
  return (LANGUAGES as readonly string[]).includes(name);
}

/** Each language's name in English, for messages to lesson authors ("a phrase in Chinese"). */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', 'zh-CN': 'Chinese' };
