/**
 * A fenced block's info string: the language, then flags (`manual`) and options (`timeout=30s`,
 * `file="my app/Dockerfile"`), each remembered with its column so lint can point at it.
 */
export interface InfoAttribute {
  name: string;
  value?: string;
  /** 0-based offset of the attribute inside the info string. */
  offset: number;
}

export interface InfoString {
  lang: string;
  attributes: InfoAttribute[];
}

const ATTRIBUTE = /([^\s=]+)(?:=("([^"]*)"|'([^']*)'|\S*))?/g;

export function parseInfoString(info: string): InfoString {
  const attributes: InfoAttribute[] = [];
  let lang = '';
  for (const match of info.matchAll(ATTRIBUTE)) {
    const [, name, rawValue, doubleQuoted, singleQuoted] = match;
    if (
      lang === '' &&
      attributes.length === 0 &&
      rawValue === undefined &&
      match.index === info.search(/\S/)
    ) {
      lang = name!;
      continue;
    }
    const value = rawValue === undefined ? undefined : (doubleQuoted ?? singleQuoted ?? rawValue);
    attributes.push({ name: name!, value, offset: match.index! });
  }
  return { lang, attributes };
}
