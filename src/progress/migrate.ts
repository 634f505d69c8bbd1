/**
 * Progress files from older docker-labs, brought to the format this one writes. Format 1 kept
 * each language of a lesson apart (`en/first-run`, `zh-CN/first-run`); format 2 keeps one entry
 * per lesson id, the languages merged (mergeTwins: nothing either recorded is lost).
 *
 * The store reads through here and writes only the current format; the first save over a
 * format 1 file keeps that file beside it (progress.json.v1), for a docker-lab that is older
 * still (it refuses a newer file and never overwrites it, see store.ts).
 */
import { z } from 'zod';
import {
  LessonProgressSchema,
  PROGRESS_VERSION,
  ProgressSchema,
  type LessonProgress,
  type Progress,
} from './schema.js';
import { mergeTwins } from './update.js';

/** Format 1: lessons under `<lang>/<id>`. */
export const ProgressV1Schema = z.object({
  version: z.literal(1),
  lessons: z.record(
    z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'a lesson key is <lang>/<id>'),
    LessonProgressSchema,
  ),
});
export type ProgressV1 = z.infer<typeof ProgressV1Schema>;

/** Format 1 → format 2: the languages of each lesson merged into one entry under its id. */
export function migrateV1(old: ProgressV1): Progress {
  const byId = new Map<string, LessonProgress>();
  // Sorted, so the result does not depend on the order the file happened to list them in.
  for (const key of Object.keys(old.lessons).sort()) {
    const id = key.slice(key.indexOf('/') + 1);
    const entry = old.lessons[key]!;
    const seen = byId.get(id);
    byId.set(id, seen ? mergeTwins(seen, entry) : entry);
  }
  return { version: PROGRESS_VERSION, lessons: Object.fromEntries(byId) };
}

export type ReadProgress =
  { ok: true; progress: Progress; migratedFrom?: number } | { ok: false; error: z.ZodError };

/** Parsed JSON of a progress file (not from a newer docker-lab), in the current format. */
export function readProgressData(data: unknown): ReadProgress {
  const version = (data as { version?: unknown } | null)?.version;
  if (version === 1) {
    const old = ProgressV1Schema.safeParse(data);
    if (!old.success) return { ok: false, error: old.error };
    return { ok: true, progress: migrateV1(old.data), migratedFrom: 1 };
  }
  const parsed = ProgressSchema.safeParse(data);
  return parsed.success ? { ok: true, progress: parsed.data } : { ok: false, error: parsed.error };
}
