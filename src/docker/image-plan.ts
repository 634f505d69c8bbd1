/**
 * Which image operations undo what a lesson did to the image store, as a pure function of the
 * current listing, the "before" inventory and what the events named.
 *
 * - A new reference on an image that existed before (`docker tag learner:1 mine:1`, or a
 *   `docker load` that adds tags) is removed alone (untag, never the image).
 * - A reference that existed before but now names another image (a lesson rebuilt `app:1`)
 *   is put back on the learner's image, when that image still exists.
 * - An image that did not exist before is removed: its extra tags first, then the image, then
 *   the untagged parents the legacy builder left (intermediate layers), children before
 *   parents, newest first. Anything that existed before is never removed.
 */
import type { ImageRow, Inventory } from './inventory.js';
import type { Records } from './records.js';

export type ImageAction =
  /** Put `ref` back on the learner's image `id`. */
  | { kind: 'restore-tag'; ref: string; id: string }
  /** Remove the reference only (noprune): the image stays. */
  | { kind: 'untag'; ref: string; id: string }
  /** Remove the image (by id, noprune: parents are listed as their own actions). */
  | { kind: 'remove'; id: string; name: string }
  /** Left alone on purpose: removing it would take something of the learner's with it. */
  | { kind: 'keep'; id: string; name: string; reason: string };

export function planImageCleanup(
  images: ImageRow[],
  before: Pick<Inventory, 'images' | 'imageRefs'>,
  records: Pick<Records, 'imageRefs' | 'imageIds' | 'loadedIds' | 'buildParents'>,
  sinceSeconds: number,
): ImageAction[] {
  const byId = new Map(images.map((image) => [image.id, image]));
  const refToId = new Map<string, string>();
  for (const image of images) for (const ref of image.refs) refToId.set(ref, image.id);
  const isNew = (id: string): boolean => byId.has(id) && !before.images.has(id);

  // Images the lesson made: named by events, behind a new reference, or made by a build step
  // (an untagged legacy build announces itself only through its step containers).
  const touched = new Set<string>();
  for (const id of records.imageIds) touched.add(id);
  for (const ref of records.imageRefs) {
    const id = refToId.get(ref);
    if (id) touched.add(id);
  }
  for (const id of records.buildParents) touched.add(id);
  for (const image of images) {
    if (records.buildParents.has(image.parent) && image.created >= sinceSeconds)
      touched.add(image.id);
  }

  const restore: ImageAction[] = [];
  const untag: ImageAction[] = [];
  const keep: ImageAction[] = [];
  const movedAway = new Set<string>(); // refs that restore-tag takes off a new image
  const pinned = new Set<string>(); // new images holding a learner's reference we cannot restore
  const remaining = new Map<string, number>(); // references left on learner images after untags

  // `docker load` restores tags without tag events: every tag of a loaded image is a suspect.
  const refs = new Set(records.imageRefs);
  for (const id of records.loadedIds) for (const ref of byId.get(id)?.refs ?? []) refs.add(ref);
  for (const ref of refs) {
    if (ref.includes('@')) continue; // digests follow their image; they cannot be re-pointed
    const current = refToId.get(ref);
    const previous = before.imageRefs.get(ref);
    if (previous !== undefined) {
      if (current === previous) continue;
      if (byId.has(previous)) {
        restore.push({ kind: 'restore-tag', ref, id: previous });
        movedAway.add(ref);
      } else if (current && isNew(current)) {
        pinned.add(current);
        keep.push({
          kind: 'keep',
          id: current,
          name: ref,
          reason: `it carries ${ref}, a tag that existed before, and the image it named is gone`,
        });
      }
    } else if (current && !isNew(current)) {
      // The daemon deletes an image with its last reference: a learner's image that had no
      // tag of its own keeps the lesson's last one rather than disappear.
      const left = (remaining.get(current) ?? byId.get(current)!.refs.length) - 1;
      remaining.set(current, left);
      if (left > 0) untag.push({ kind: 'untag', ref, id: current });
      else
        keep.push({
          kind: 'keep',
          id: current,
          name: ref,
          reason: `removing ${ref} would delete the image it names, which existed before`,
        });
    } else if (current) {
      touched.add(current);
    }
  }

  // New images and, below them, the untagged new parents of legacy builds.
  const doomed = new Set<string>();
  for (const id of touched) {
    if (!isNew(id) || pinned.has(id)) continue;
    doomed.add(id);
    let parent = byId.get(id)?.parent ?? '';
    while (parent && isNew(parent) && !pinned.has(parent) && !doomed.has(parent)) {
      const row = byId.get(parent)!;
      if (row.refs.some((ref) => !ref.includes('@') && !refs.has(ref))) break; // someone else's tag
      doomed.add(parent);
      parent = row.parent;
    }
  }
  const depth = (id: string): number => {
    let count = 0;
    for (let row = byId.get(id); row?.parent && count < 10_000; row = byId.get(row.parent))
      count += 1;
    return count;
  };
  // Newest first; a child is never older than its parent, and on a tie (same second) the
  // deeper one is the child: children always go before their parents.
  const order = [...doomed].sort(
    (a, b) => byId.get(b)!.created - byId.get(a)!.created || depth(b) - depth(a),
  );

  const removals: ImageAction[] = [];
  for (const id of order) {
    const tags = byId.get(id)!.refs.filter((ref) => !ref.includes('@') && !movedAway.has(ref));
    // Tags before ids: an image with several tags cannot be removed by id without force.
    for (const ref of tags.slice(1)) removals.push({ kind: 'untag', ref, id });
    removals.push({ kind: 'remove', id, name: tags[0] ?? id.slice(7, 19) });
  }
  return [...keep, ...restore, ...untag, ...removals];
}
