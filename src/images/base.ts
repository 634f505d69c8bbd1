/**
 * The base every stand-in is built on: a Debian bookworm root filesystem made by mmdebstrap
 * from Debian's packages (no registry involved), imported as docker-lab/debian-base:bookworm.
 * The tarball is cached under ${XDG_CACHE_HOME:-~/.cache}/docker-lab so that a second build on
 * the same machine (CI's next run) only imports it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { DockerLabError } from '../errors.js';
import { runDockerCli } from './docker-cli.js';
import { cacheDir } from './paths.js';
import { LABEL_RECIPE_HASH } from './recipe.js';
import type { Engine } from '../docker/client.js';
import { statusOf } from '../docker/engine-error.js';

export const BASE_IMAGE = 'docker-lab/debian-base:bookworm';
export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';
export const DEFAULT_SECURITY_MIRROR = 'http://deb.debian.org/debian-security';

/** What mmdebstrap is asked for; its hash names the base. The mirror is not part of it. */
export const BASE_RECIPE = {
  version: 3,
  suite: 'bookworm',
  variant: 'minbase',
  // Like Debian's slim images: no manual pages, documentation (but copyrights) or locales.
  dpkgOptions: [
    'path-exclude=/usr/share/man/*',
    'path-exclude=/usr/share/doc/*',
    'path-include=/usr/share/doc/*/copyright',
    'path-exclude=/usr/share/locale/*',
    'path-exclude=/usr/share/info/*',
  ],
  // Like Debian's own images (their docker-clean): apt keeps neither its package caches (80 MB of
  // pkgcache.bin and srcpkgcache.bin after an `apt-get update`) nor the .deb files it downloaded,
  // so a stand-in's `apt-get install` layer holds what was installed and nothing else. Every
  // stand-in, and a learner's image built on one, is the smaller for it.
  aptOptions: [
    'Dir::Cache::pkgcache ""',
    'Dir::Cache::srcpkgcache ""',
    'APT::Keep-Downloaded-Packages "false"',
  ],
} as const;

export function baseRecipeHash(): string {
  return createHash('sha256').update(JSON.stringify(BASE_RECIPE)).digest('hex');
}

export interface Mirrors {
  debian: string;
  security: string;
}

/**
 * The Debian mirrors the host's apt uses for bookworm (deb822 .sources files or a classic
 * sources.list), so the base is built from wherever this machine may download; Debian's
 * defaults when the host is not a bookworm system. Pure: the files' texts are passed in.
 */
export function mirrorsFromSources(
  texts: readonly string[],
  suite: string = BASE_RECIPE.suite,
): Mirrors {
  const found: Partial<Mirrors> = {};
  // A Debian mirror serves every release: the host's bookworm mirror serves trixie too.
  const wanted = [suite, BASE_RECIPE.suite];
  const rank: Partial<Record<keyof Mirrors, number>> = {};
  const take = (key: keyof Mirrors, url: string, at: number): void => {
    if (at < 0 || (rank[key] ?? Infinity) <= at) return;
    rank[key] = at;
    found[key] = url;
  };
  const consider = (uri: string, suites: string[]): void => {
    const url = uri.replace(/\/+$/, '');
    take(
      'security',
      url,
      wanted.findIndex((w) => suites.includes(`${w}-security`)),
    );
    take(
      'debian',
      url,
      wanted.findIndex((w) => suites.includes(w)),
    );
  };
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const classic = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
      if (classic) consider(classic[1]!, [classic[2]!]);
    }
    for (const stanza of text.split(/\n\s*\n/)) {
      const field = (name: string): string | undefined =>
        new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim();
      if (!/\bdeb\b/.test(field('Types') ?? '') || field('Enabled') === 'no') continue;
      const suites = (field('Suites') ?? '').split(/\s+/);
      for (const uri of (field('URIs') ?? '').split(/\s+/).filter(Boolean)) consider(uri, suites);
    }
  }
  return {
    debian: found.debian ?? DEFAULT_DEBIAN_MIRROR,
    security: found.security ?? DEFAULT_SECURITY_MIRROR,
  };
}

/** Reads the host's apt sources; DOCKER_LAB_DEBIAN_MIRROR overrides the main mirror. */
export function hostMirrors(
  env: Record<string, string | undefined>,
  suite: string = BASE_RECIPE.suite,
): Mirrors {
  const texts: string[] = [];
  const read = (path: string): void => {
    try {
      texts.push(readFileSync(path, 'utf8'));
    } catch {
      // absent or unreadable: Debian's defaults apply
    }
  };
  read('/etc/apt/sources.list');
  try {
    for (const name of readdirSync('/etc/apt/sources.list.d').sort()) {
      if (name.endsWith('.sources') || name.endsWith('.list'))
        read(join('/etc/apt/sources.list.d', name));
    }
  } catch {
    // no sources.list.d
  }
  const mirrors = mirrorsFromSources(texts, suite);
  const override = env.DOCKER_LAB_DEBIAN_MIRROR?.replace(/\/+$/, '');
  return override ? { ...mirrors, debian: override } : mirrors;
}

/** What a root file system is made of: a Debian release and packages beyond minbase. */
export interface RootfsRecipe {
  suite: string;
  include?: readonly string[];
  /**
   * Written to the root file system's apt configuration once it is built (a customize hook:
   * mmdebstrap itself needs the downloaded packages these options would drop).
   */
  aptOptions?: readonly string[];
}

/**
 * mmdebstrap's arguments for a root file system (the base by default), written to `output`.
 * Every image docker-lab makes from Debian's packages goes through here (the stand-ins' base,
 * the sandbox images of images/sandbox-image.ts).
 */
export function mmdebstrapArgs(
  output: string,
  mirrors: Mirrors,
  recipe: RootfsRecipe = BASE_RECIPE,
): string[] {
  const { suite } = recipe;
  return [
    `--variant=${BASE_RECIPE.variant}`,
    // Explicit: mmdebstrap otherwise guesses the format from the file name's extension.
    '--format=tar',
    ...BASE_RECIPE.dpkgOptions.map((option) => `--dpkgopt=${option}`),
    ...(recipe.aptOptions && recipe.aptOptions.length > 0
      ? [`--customize-hook=${aptConfigHook(recipe.aptOptions)}`]
      : []),
    ...(recipe.include && recipe.include.length > 0
      ? [`--include=${recipe.include.join(',')}`]
      : []),
    suite,
    output,
    `deb ${mirrors.debian} ${suite} main`,
    `deb ${mirrors.debian} ${suite}-updates main`,
    `deb ${mirrors.security} ${suite}-security main`,
  ];
}

/** The shell of a customize hook writing apt `options` to the root file system ("$1"). */
function aptConfigHook(options: readonly string[]): string {
  const lines = options.map((option) => `${option};`);
  // Single-quoted for sh: an option has double quotes, never a single one. The caches are
  // removed here too: mmdebstrap's own clean-up (apt-get clean) reads their names from this
  // configuration, where they are now empty.
  return `printf '%s\\n' ${lines.map((line) => `'${line}'`).join(' ')} > "$1/etc/apt/apt.conf.d/docker-clean" && rm -f "$1"/var/cache/apt/*.bin`;
}

export interface BaseContext {
  engine: Engine;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Progress for people: one line per stage. */
  say(line: string): void;
}

export type BaseOutcome = 'reused' | 'imported' | 'built';

/** The base's recipe hash as labelled on the daemon, or undefined when it is absent. */
export async function baseImageHash(engine: Engine): Promise<string | undefined> {
  try {
    const info = await engine.call((abortSignal) =>
      engine.docker.getImage(BASE_IMAGE).inspect({ abortSignal } as object),
    );
    return info.Config?.Labels?.[LABEL_RECIPE_HASH] ?? '';
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Makes sure the current base is on the daemon: reuse it, import the cached tarball, or build. */
export async function ensureBase(context: BaseContext): Promise<BaseOutcome> {
  const hash = baseRecipeHash();
  if ((await baseImageHash(context.engine)) === hash) return 'reused';
  const dir = cacheDir(context.env);
  const tarball = join(dir, `debian-base-${BASE_RECIPE.suite}-${hash.slice(0, 16)}.tar`);
  let outcome: BaseOutcome = 'imported';
  if (!existsSync(tarball)) {
    await buildRootfs(tarball, BASE_RECIPE, context);
    outcome = 'built';
  } else {
    context.say(`importing the cached Debian base (${tarball})`);
  }
  await importRootfs(
    tarball,
    BASE_IMAGE,
    [`LABEL ${LABEL_RECIPE_HASH}=${hash}`, 'CMD ["bash"]'],
    'the Debian base',
    context,
  );
  return outcome;
}

/**
 * `docker import` of a root file system tarball as `image`, with Dockerfile `changes` (LABEL,
 * CMD ...); `what` names it in the error (the one import path of the stand-ins' base and the
 * sandbox images).
 */
export async function importRootfs(
  tarball: string,
  image: string,
  changes: readonly string[],
  what: string,
  context: BaseContext,
): Promise<void> {
  const result = await runDockerCli(
    ['import', ...changes.flatMap((change) => ['--change', change]), tarball, image],
    {
      endpoint: context.engine.endpoint,
      env: context.env,
      ...(context.signal ? { signal: context.signal } : {}),
    },
  );
  if (result.exitCode !== 0) {
    throw new DockerLabError({
      what:
        `Importing ${what} into Docker failed (docker import exited with ${result.exitCode}):\n` +
        `${result.tail.slice(-10).join('\n')}\n` +
        `What to do: check the daemon's free disk space (docker system df); the tarball is ${tarball}.`,
    });
  }
}

/** Makes `tarball` from Debian's packages with mmdebstrap (written whole, or not at all). */
export async function buildRootfs(
  tarball: string,
  recipe: RootfsRecipe,
  context: Omit<BaseContext, 'engine'>,
): Promise<void> {
  const mirrors = hostMirrors(context.env, recipe.suite);
  await mkdir(dirname(tarball), { recursive: true });
  const partial = `${tarball}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  context.say(
    `building a Debian ${recipe.suite} root file system${recipe.include ? ` with ${recipe.include.join(', ')}` : ''} with mmdebstrap from ${mirrors.debian} (a minute or two)`,
  );
  const result = await execa('mmdebstrap', mmdebstrapArgs(partial, mirrors, recipe), {
    reject: false,
    stdin: 'ignore',
    all: true,
    ...(context.signal ? { cancelSignal: context.signal } : {}),
  });
  if (result.isCanceled) {
    await rm(partial, { force: true });
    throw new DOMException('cancelled', 'AbortError');
  }
  if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new DockerLabError({
      what:
        'Building stand-in images needs mmdebstrap, which is not installed.\n' +
        'What to do:\n' +
        '  - Debian or Ubuntu: sudo apt-get install mmdebstrap (then run this again)\n' +
        '  - elsewhere: on a connected machine run "docker-lab images export course.tar", ' +
        'then here "docker-lab images import course.tar"',
    });
  }
  if (result.failed) {
    await rm(partial, { force: true });
    const tail = String(result.all ?? '')
      .trim()
      .split('\n')
      .slice(-15)
      .join('\n');
    throw new DockerLabError({
      what:
        `mmdebstrap could not build the Debian ${recipe.suite} root file system (exit code ${result.exitCode}):\n${tail}\n` +
        'What to do:\n' +
        `  - check that this machine reaches the Debian mirror ${mirrors.debian} (apt-get update)\n` +
        '  - another mirror: set DOCKER_LAB_DEBIAN_MIRROR=http://your.mirror/debian\n' +
        '  - mmdebstrap needs root or unprivileged user namespaces (see man mmdebstrap, --mode)',
    });
  }
  await rename(partial, tarball);
}
