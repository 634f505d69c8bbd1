/**
 * Which images a run needs: the references in the lessons' `images:` front matter, plus (for
 * the whole course) every reference the catalogue names, each with the lessons that need it.
 */
import { parseLesson } from '../lesson/parser.js';
import { loadLessonSources } from '../lesson/loader.js';
import { normalizeRef } from '../docker/inventory.js';
import { CATALOG, catalogEntry, catalogReferences, type CatalogEntry } from './catalog.js';

export interface NeededImage {
  /** Normalised reference: `hello-world:latest`, `mysql:8.4`. */
  ref: string;
  /** Ids of the lessons that name it (sorted, without repeats across languages). */
  lessons: string[];
  /** How docker-lab can provide it offline; undefined: not in the catalogue (online-only). */
  entry?: CatalogEntry;
}

export interface LessonImages {
  id: string;
  images: string[];
}

/** Lessons whose front matter could not be read at all (lint tells why). */
export interface Unreadable {
  file: string;
}

export function gatherNeeds(
  lessons: readonly LessonImages[],
  options: { withCatalog: boolean; catalog?: readonly CatalogEntry[] },
): NeededImage[] {
  const catalog = options.catalog ?? CATALOG;
  const byRef = new Map<string, Set<string>>();
  if (options.withCatalog) for (const ref of catalogReferences(catalog)) byRef.set(ref, new Set());
  for (const lesson of lessons) {
    for (const raw of lesson.images) {
      const ref = normalizeRef(raw);
      if (!byRef.has(ref)) byRef.set(ref, new Set());
      byRef.get(ref)!.add(lesson.id);
    }
  }
  // Catalogue order first (the course's order), then whatever else lessons name, by name.
  const order = catalogReferences(catalog);
  const rank = (ref: string): number => {
    const at = order.indexOf(ref);
    return at < 0 ? order.length : at;
  };
  return [...byRef.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([ref, ids]) => {
      const entry = ref.includes('@') ? undefined : catalogEntry(ref, catalog);
      return { ref, lessons: [...ids].sort(), ...(entry ? { entry } : {}) };
    });
}

/** Reads the lessons under `paths` and returns the images each names. */
export async function readLessonImages(
  paths: readonly string[],
  cwd: string,
): Promise<{ lessons: LessonImages[]; unreadable: Unreadable[] }> {
  const sources = await loadLessonSources(paths, cwd);
  const lessons: LessonImages[] = [];
  const unreadable: Unreadable[] = [];
  for (const source of sources) {
    const parsed = parseLesson(source.shown, source.text, source);
    const lesson = parsed.lesson ?? parsed.partial;
    if (!lesson?.meta?.id) unreadable.push({ file: source.shown });
    else lessons.push({ id: lesson.meta.id, images: lesson.meta.images ?? [] });
  }
  return { lessons, unreadable };
}
