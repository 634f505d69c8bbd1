/**
 * What the daemon has for each needed image: missing, the real image, or a stand-in (current
 * or outdated). A present image without the stand-in label is the real one: docker-lab never
 * builds over it.
 */
import type { Engine } from '../docker/client.js';
import { statusOf } from '../docker/engine-error.js';
import { recipesDir } from './paths.js';
import { LABEL_RECIPE_HASH, LABEL_STANDIN_FOR, standInRecipeHash } from './recipe.js';
import { baseRecipeHash } from './base.js';
import type { NeededImage } from './needs.js';
import { join } from 'node:path';

export interface PresentImage {
  id: string;
  /** Bytes, as `docker images` counts them. */
  size: number;
  labels: Record<string, string>;
}

export type ImageKind =
  | 'missing'
  | 'real' // present, no stand-in label
  | 'stand-in' // present, a stand-in built from the current recipe
  | 'stand-in-outdated'; // present, a stand-in from another recipe (or another base)

export interface ImageStatus extends NeededImage {
  kind: ImageKind;
  image?: PresentImage;
  /** The recipe hash a current stand-in for this reference carries (stand-in entries only). */
  expectedHash?: string;
}

export async function inspectImage(engine: Engine, ref: string): Promise<PresentImage | undefined> {
  try {
    const info = await engine.call((abortSignal) =>
      engine.docker.getImage(ref).inspect({ abortSignal } as object),
    );
    return { id: info.Id, size: info.Size, labels: info.Config?.Labels ?? {} };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The one rule for "is this image on the daemon?", used by the TUI's list, `list --images`,
 * `images` and verify's skip: the daemon resolves the reference as `docker run` would (tag,
 * digest, short name), and anything it resolves counts, the real image or a stand-in. Refs are
 * asked once each; an error other than "no such image" is the daemon's and is thrown.
 */
export async function missingImages(engine: Engine, refs: Iterable<string>): Promise<string[]> {
  const missing: string[] = [];
  for (const ref of new Set(refs)) if (!(await inspectImage(engine, ref))) missing.push(ref);
  return missing;
}

/** The hash of each recipe on the current base, computed once per recipe. */
export async function expectedHashes(recipes: Iterable<string>): Promise<Map<string, string>> {
  const base = baseRecipeHash();
  const hashes = new Map<string, string>();
  for (const recipe of new Set(recipes)) {
    hashes.set(recipe, await standInRecipeHash(join(recipesDir(), recipe), base));
  }
  return hashes;
}

export function classify(
  image: PresentImage | undefined,
  expectedHash: string | undefined,
): ImageKind {
  if (!image) return 'missing';
  if (image.labels[LABEL_STANDIN_FOR] === undefined) return 'real';
  return expectedHash !== undefined && image.labels[LABEL_RECIPE_HASH] === expectedHash
    ? 'stand-in'
    : 'stand-in-outdated';
}

export async function imageStatuses(
  engine: Engine,
  needs: readonly NeededImage[],
): Promise<ImageStatus[]> {
  const hashes = await expectedHashes(
    needs.flatMap((need) => (need.entry?.kind === 'stand-in' ? [need.entry.recipe] : [])),
  );
  // One at a time: a handful of fast inspections, and no pile of listeners on the Ctrl-C signal.
  const statuses: ImageStatus[] = [];
  for (const need of needs) {
    const image = await inspectImage(engine, need.ref);
    const expectedHash =
      need.entry?.kind === 'stand-in' ? hashes.get(need.entry.recipe) : undefined;
    statuses.push({
      ...need,
      kind: classify(image, expectedHash),
      ...(image ? { image } : {}),
      ...(expectedHash ? { expectedHash } : {}),
    });
  }
  return statuses;
}
