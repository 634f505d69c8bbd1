/**
 * The one way to pick words by language: `messages(lang).ui.passed`. Each language's catalogue
 * has the shape of the English one (./en.ts), so a missing or mis-typed translation is a type
 * error, and test/i18n/messages.test.ts proves the rest (same arity, no English left behind).
 */
import { en, type Catalogue } from './en.js';
import type { Lang } from './lang.js';
import { zhCN } from './zh-CN.js';

export type { Catalogue } from './en.js';
/** The TUI's words: one group of the catalogue. */
export type UiStrings = Catalogue['ui'];

const CATALOGUES: Record<Lang, Catalogue> = { en, 'zh-CN': zhCN };

export function messages(lang: Lang): Catalogue {
  return CATALOGUES[lang];
}
