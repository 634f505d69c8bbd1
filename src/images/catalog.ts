/**
 * The images the course uses, in one place: for each repository, the tags the course names
 * and how docker-lab can provide it without a registry (a stand-in recipe in
 * fixtures/images/<recipe>/), or why it cannot (online-only).
 */
import { normalizeRef } from '../docker/inventory.js';

export interface StandInEntry {
  kind: 'stand-in';
  /** Repository as `docker images` shows it: `mysql`, `portainer/portainer-ce`. */
  repository: string;
  /** Tags the course uses; all are built. A lesson may name another tag: same recipe. */
  tags: string[];
  /** Directory under fixtures/images holding the Dockerfile and its files. */
  recipe: string;
  /** What the stand-in is, for people (listed by `docker-lab images`). */
  description: string;
}

export interface OnlineOnlyEntry {
  kind: 'online-only';
  repository: string;
  tags: string[];
  /** Why Debian's packages cannot stand in for it. */
  reason: string;
}

export type CatalogEntry = StandInEntry | OnlineOnlyEntry;

export const CATALOG: readonly CatalogEntry[] = [
  {
    kind: 'stand-in',
    repository: 'hello-world',
    tags: ['latest'],
    recipe: 'hello-world',
    description: "prints the same greeting; Debian's static busybox on scratch",
  },
  {
    kind: 'stand-in',
    repository: 'ubuntu',
    tags: ['latest', '16.04'],
    recipe: 'ubuntu',
    description: 'Debian bookworm with bash, procps and iproute2; os-release says Debian',
  },
  {
    kind: 'stand-in',
    repository: 'debian',
    tags: ['bookworm-slim', 'bookworm'],
    recipe: 'debian',
    description: "docker-lab's Debian bookworm minbase, as it is",
  },
  {
    kind: 'stand-in',
    repository: 'busybox',
    tags: ['latest'],
    recipe: 'busybox',
    description: "Debian's static busybox on scratch, every applet linked",
  },
  {
    kind: 'stand-in',
    repository: 'mysql',
    tags: ['8.4', 'latest'],
    recipe: 'mysql',
    description: "MariaDB server and client with the official image's MYSQL_* entrypoint",
  },
  {
    kind: 'stand-in',
    repository: 'registry',
    tags: ['2'],
    recipe: 'registry',
    description:
      "Debian's docker-registry, the same Distribution code, on port 5000 with htpasswd auth",
  },
  {
    kind: 'stand-in',
    repository: 'adminer',
    tags: ['latest'],
    recipe: 'adminer',
    description: "Debian's adminer on PHP's built-in server, port 8080",
  },
  {
    kind: 'online-only',
    repository: 'portainer/portainer-ce',
    tags: ['latest'],
    reason:
      'Debian does not package Portainer, so no stand-in can be built: pull it online, or import a bundle exported on a connected machine',
  },
];

/** `mysql:8.4` -> { repository: 'mysql', tag: '8.4' }; digests keep their `@`. */
export function splitReference(ref: string): { repository: string; tag: string } {
  const normal = normalizeRef(ref);
  const at = normal.indexOf('@');
  if (at >= 0) return { repository: normal.slice(0, at), tag: normal.slice(at) };
  const colon = normal.lastIndexOf(':');
  return { repository: normal.slice(0, colon), tag: normal.slice(colon + 1) };
}

/** The catalogue entry for a reference (any tag of a catalogued repository), if any. */
export function catalogEntry(
  ref: string,
  catalog: readonly CatalogEntry[] = CATALOG,
): CatalogEntry | undefined {
  const { repository } = splitReference(ref);
  return catalog.find((entry) => entry.repository === repository);
}

/** Every reference the catalogue names, normalised (`hello-world:latest`, `mysql:8.4`, ...). */
export function catalogReferences(catalog: readonly CatalogEntry[] = CATALOG): string[] {
  return catalog.flatMap((entry) => entry.tags.map((tag) => `${entry.repository}:${tag}`));
}
