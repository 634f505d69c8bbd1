import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { SourceText, type Position } from './source.js';

/** Where a lesson file stops being UTF-8: its first bad byte, located like any diagnostic. */
export interface NotUtf8 extends Position {
  /** Offset of the byte in the file. */
  byteOffset: number;
  byte: number;
}

/** A lesson file as read from disk; `shown` is the path as the user should see it. */
export interface LessonSource {
  path: string;
  shown: string;
  /** The text (bytes that are not UTF-8 read as U+FFFD; see `notUtf8`). */
  text: string;
  /** Set when the file is not valid UTF-8: the parser then reports that and nothing else. */
  notUtf8?: NotUtf8;
}

/** The offset of the first byte of the first ill-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90; // overlong
      if (lead === 0xf4) high = 0x8f; // beyond U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf))
        return i;
    }
    i += length;
  }
  return -1;
}

/**
 * Decodes a lesson file's bytes as UTF-8 (TextDecoder, fatal); when they are not, also says
 * where the first bad byte is, by line and column as the parser counts them.
 */
export function decodeLesson(bytes: Uint8Array): { text: string; notUtf8?: NotUtf8 } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const byteOffset = firstInvalidUtf8(bytes);
    if (byteOffset === -1) return { text };
    const before = new SourceText(
      '',
      new TextDecoder('utf-8').decode(bytes.subarray(0, byteOffset)),
    );
    return {
      text,
      notUtf8: { ...before.position(before.text.length), byteOffset, byte: bytes[byteOffset]! },
    };
  }
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.'))
        await walk(join(dir, entry.name), out);
    } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) {
      out.push(join(dir, entry.name));
    }
  }
}

/**
 * Finds lessons: a file named on the command line is always a lesson; inside folders, only
 * Markdown files that open with front matter are (a README next to lessons is not one).
 */
export async function loadLessonSources(
  paths: readonly string[],
  cwd: string,
): Promise<LessonSource[]> {
  const sources: LessonSource[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${given}`);
    const files: string[] = [];
    if (info.isDirectory()) await walk(absolute, files);
    else files.push(absolute);
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const { text, notUtf8 } = decodeLesson(await readFile(file));
      if (info.isDirectory() && !/^\uFEFF?---[ \t]*\r?\n/.test(text)) continue;
      sources.push({
        path: file,
        shown: relative(cwd, file) || file,
        text,
        ...(notUtf8 ? { notUtf8 } : {}),
      });
    }
  }
  return sources;
}

/** Reads a file if it exists (for twins that were not named on the command line). */
export async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** The Markdown files directly in a folder (the other lessons of a course), none if it is gone. */
export async function lessonFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => name.toLowerCase().endsWith('.md'))
    .sort()
    .map((name) => join(dir, name));
}
