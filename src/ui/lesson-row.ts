import type { Lang } from '../i18n/lang.js';
import type { UiStrings } from '../i18n/messages.js';

/** What a row of the course list knows about its lesson. */
export interface RowFacts {
  /** The front matter's title: the same words `docker-lab list` shows. */
  title: string;
  lang: Lang;
  done: number;
  total: number;
  completed: boolean;
  /** Images the daemon lacks; undefined until known. */
  imagesMissing?: readonly string[] | undefined;
}

export interface RowText {
  title: string;
  /** `✓ done`, `2/5 steps`, or empty. */
  progress: string;
  /** Set when the lesson cannot run yet: its images are missing and it is not done. */
  imagesMark?: string;
}

/**
 * One lesson row's words, for every view of the course in the TUI (its quick first frame, the
 * Ink list, the plain list): a lesson not yet translated says so, as `docker-lab list` does.
 */
export function lessonRow(facts: RowFacts, learnerLang: Lang, t: UiStrings): RowText {
  const progress = facts.completed
    ? `✓ ${t.completed}`
    : facts.done > 0
      ? t.steps(facts.done, facts.total)
      : '';
  const title =
    facts.lang === learnerLang ? facts.title : `${facts.title}${t.untranslated(facts.lang)}`;
  const missing = (facts.imagesMissing?.length ?? 0) > 0 && !facts.completed;
  return { title, progress, ...(missing ? { imagesMark: t.imagesMark } : {}) };
}
