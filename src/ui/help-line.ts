import stringWidth from 'string-width';

const SEPARATOR = ' · ';

/**
 * A key help line ("Enter run · c check · …") broken between its items, never inside one and
 * never with a separator starting a line, at `width` columns (CJK characters count two).
 */
export function helpLines(help: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of help.split(SEPARATOR)) {
    const joined = line === '' ? item : `${line}${SEPARATOR}${item}`;
    if (line !== '' && stringWidth(joined) > width) {
      lines.push(line);
      line = item;
    } else {
      line = joined;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
