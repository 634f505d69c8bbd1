import type { Lang } from '../i18n/lang.js';
import { formatFailure, styleFromPalette } from '../checks/report.js';
import type { CheckResult } from '../checks/types.js';
import type { Style } from './diagnostics.js';

/** A failing check for people, in the lesson's language, with the CLI's colour decision. */
export function renderCheckFailure(result: CheckResult, lang: Lang, style: Style): string {
  return formatFailure(result, { lang, style: styleFromPalette(style) });
}
