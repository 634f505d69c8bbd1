import type { DiagnosticSink } from './diagnostics.js';
import type { SourceText } from './source.js';

export interface FrontMatterSpan {
  /** The YAML text between the fences. */
  yaml: string;
  /** Offset of the YAML text in the source. */
  yamlOffset: number;
  /** Offset where the Markdown body begins. */
  bodyOffset: number;
}

const EXAMPLE = '---\nid: my-lesson\ntitle: My lesson\nlang: en\n---';

/** Finds the `---` fenced YAML at the top of a lesson; reports when it is missing or unclosed. */
export function splitFrontMatter(
  source: SourceText,
  sink: DiagnosticSink,
): FrontMatterSpan | undefined {
  const text = source.text;
  if (!/^---[ \t]*(\n|$)/.test(text)) {
    sink.error(
      { line: 1, col: 1 },
      'front-matter',
      `a lesson starts with YAML front matter between --- lines, like:\n${EXAMPLE}`,
    );
    return undefined;
  }
  const yamlOffset = text.indexOf('\n') + 1 || text.length;
  const close = /^(---|\.\.\.)[ \t]*$/m;
  close.lastIndex = 0;
  const rest = text.slice(yamlOffset);
  const match = close.exec(rest);
  if (!match) {
    sink.error(
      { line: 1, col: 1 },
      'front-matter',
      'the front matter that starts here is never closed: add a line with --- after it',
    );
    return undefined;
  }
  const closeOffset = yamlOffset + match.index;
  const lineEnd = text.indexOf('\n', closeOffset);
  return {
    yaml: text.slice(yamlOffset, closeOffset),
    yamlOffset,
    bodyOffset: lineEnd === -1 ? text.length : lineEnd + 1,
  };
}
