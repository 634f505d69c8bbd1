/**
 * `docker-lab list` as text: one line per lesson, fitted to the terminal's width (80 columns
 * when the output is not a terminal) by shortening titles, never by wrapping a row.
 */
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { PLAIN, type Style } from './diagnostics.js';
import { padEnd, padStart, truncate, width } from './columns.js';
import type { CourseLesson } from '../progress/course.js';
import type { LessonStatus } from '../progress/update.js';

export interface ListRow {
  lesson: CourseLesson;
  status: LessonStatus;
  /** With --images: the lesson's images the daemon lacks (normalised references). */
  missingImages?: string[];
}

const GAP = '  ';
/** Titles keep at least this many columns, even on a very narrow terminal. */
const MIN_TITLE = 12;

export function formatCourseList(
  rows: readonly ListRow[],
  options: { lang: Lang; width?: number; style?: Style },
): string {
  const text = messages(options.lang).list;
  const style = options.style ?? PLAIN;
  const max = options.width ?? 80;
  const lines: string[] = [];
  const completed = rows.filter((row) => row.status.completed).length;
  lines.push(style.bold(text.heading(completed, rows.length)));
  if (rows.length === 0) return [...lines, text.empty].join('\n');
  lines.push('');

  const titleOf = (row: ListRow) =>
    row.lesson.lang === options.lang ? row.lesson.title : `${row.lesson.title}${text.untranslated}`;
  const progressOf = (row: ListRow) => `${row.status.done}/${row.status.total}`;
  const imagesOf = (row: ListRow) =>
    row.missingImages === undefined
      ? undefined
      : row.missingImages.length === 0
        ? text.imagesOk
        : text.imagesMissing(row.missingImages.length);
  const widest = (values: string[]) => Math.max(0, ...values.map(width));
  const idW = widest(rows.map((row) => row.lesson.id));
  const durW = widest(rows.map((row) => row.lesson.duration ?? ''));
  const progW = widest(rows.map(progressOf));
  const images = rows.map(imagesOf);
  const imgW = widest(images.filter((v): v is string => v !== undefined));
  // "  ✓ " + id + gap + title + gap + duration + gap + progress [+ gap + images]
  const fixed =
    4 + idW + GAP.length + GAP.length + durW + GAP.length + progW + (imgW ? GAP.length + imgW : 0);
  const titleW = Math.max(MIN_TITLE, Math.min(widest(rows.map(titleOf)), max - fixed));

  rows.forEach((row, at) => {
    const mark = row.status.completed ? style.green('✓') : ' ';
    const cells = [
      `  ${mark} ${padEnd(row.lesson.id, idW)}`,
      padEnd(truncate(titleOf(row), titleW), titleW),
      style.dim(padStart(row.lesson.duration ?? '', durW)),
      padStart(progressOf(row), progW),
    ];
    const image = images[at];
    if (image !== undefined) {
      const cell = padEnd(image, imgW);
      cells.push(row.missingImages?.length ? style.yellow(cell) : cell);
    }
    lines.push(cells.join(GAP).trimEnd());
  });

  const missing = [...new Set(rows.flatMap((row) => row.missingImages ?? []))];
  if (missing.length > 0) {
    lines.push('', text.missingHeading, ...missing.map((ref) => `  ${ref}`));
  }
  return lines.join('\n');
}
