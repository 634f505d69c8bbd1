import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';

/**
 * Lesson prose for the terminal, at the terminal's width (marked + marked-terminal). Rendered
 * Markdown is cached per width: re-rendering on every output chunk would be wasted work.
 */
const cache = new Map<string, string>();
// SGR colour codes, which marked-terminal adds whatever NO_COLOR says.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Code languages the highlighter is asked for; anything else is shown as plain text. */
const LANGUAGES = new Set(
  'sh bash shell console zsh dockerfile yaml yml json ini toml sql javascript js typescript ts python xml html nginx makefile diff text plaintext'.split(
    ' ',
  ),
);

/**
 * A lesson's fence says more than the language (`sh id=run`, `input`): given whole to the
 * highlighter, it is an unknown language, and highlight.js complains on stderr, right across
 * the TUI's screen.
 */
function fenceLanguage(token: { type: string; lang?: string }): void {
  if (token.type !== 'code') return;
  const lang = (token.lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  token.lang = LANGUAGES.has(lang) ? lang : 'plaintext';
}

export function renderMarkdown(markdown: string, width: number, color: boolean): string {
  const key = `${width}:${color ? 1 : 0}:${markdown}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const marked = new Marked(
    markedTerminal({
      width: Math.max(20, width),
      reflowText: true,
      tab: 2,
      showSectionPrefix: false,
    }) as never,
    { walkTokens: fenceLanguage },
  );
  let text = (marked.parse(markdown, { async: false }) as string)
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
  if (!color) text = text.replace(ANSI, '');
  if (cache.size > 200) cache.clear();
  cache.set(key, text);
  return text;
}
