/**
 * The sandbox images: a Docker Engine in a container, made offline from Debian's packages like
 * the stand-ins' base (base.ts `buildRootfs`, mmdebstrap), one per Engine a learner may meet:
 * bookworm's docker.io is Engine 20.10, trixie's is 26.1. procps because `docker top` runs `ps`
 * on the daemon's host; iptables for the inner daemon's networks; ca-certificates for
 * registries. The root file system is cached like the base's, so a second build only imports.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../docker/client.js';
import { statusOf } from '../docker/engine-error.js';
import { BASE_RECIPE, buildRootfs, importRootfs, type RootfsRecipe } from './base.js';
import { cacheDir } from './paths.js';
import { LABEL_RECIPE_HASH } from './recipe.js';

export const SANDBOX_ENGINES = ['20.10', '26.1'] as const;
export type SandboxEngine = (typeof SANDBOX_ENGINES)[number];
/** Preferred first: the newer Engine when it is built. */
export const ENGINE_PREFERENCE: readonly SandboxEngine[] = ['26.1', '20.10'];

/** Says an image is a sandbox image of docker-lab's, and which Engine it runs. */
export const LABEL_SANDBOX_ENGINE = 'org.docker-lab.sandbox-engine';

const SUITES: Record<SandboxEngine, string> = { '20.10': 'bookworm', '26.1': 'trixie' };
const PACKAGES = ['docker.io', 'iptables', 'ca-certificates', 'procps'] as const;

export const sandboxImage = (engine: SandboxEngine): string => `docker-lab/sandbox:${engine}`;

export function isSandboxEngine(value: string): value is SandboxEngine {
  return (SANDBOX_ENGINES as readonly string[]).includes(value);
}

export function sandboxRecipe(engine: SandboxEngine): RootfsRecipe {
  return { suite: SUITES[engine], include: PACKAGES };
}

/** Names the image's content: its release, packages and the shared rootfs options. */
export function sandboxRecipeHash(engine: SandboxEngine): string {
  return createHash('sha256')
    .update(
      JSON.stringify({ sandbox: 1, recipe: sandboxRecipe(engine), base: BASE_RECIPE.dpkgOptions }),
    )
    .digest('hex');
}

/** The recipe hash the image carries on this daemon; undefined when it is absent. */
export async function sandboxImageHash(
  engine: Engine,
  which: SandboxEngine,
): Promise<string | undefined> {
  try {
    const info = await engine.call((abortSignal) =>
      engine.docker.getImage(sandboxImage(which)).inspect({ abortSignal } as object),
    );
    return info.Config?.Labels?.[LABEL_RECIPE_HASH] ?? '';
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

export type SandboxImageOutcome = 'reused' | 'imported' | 'built';

export interface SandboxImageContext {
  engine: Engine;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  say(line: string): void;
  force?: boolean;
}

/** Makes sure the current sandbox image for `which` is on the daemon. */
export async function ensureSandboxImage(
  which: SandboxEngine,
  context: SandboxImageContext,
): Promise<SandboxImageOutcome> {
  const hash = sandboxRecipeHash(which);
  if (!context.force && (await sandboxImageHash(context.engine, which)) === hash) return 'reused';
  const recipe = sandboxRecipe(which);
  const tarball = join(cacheDir(context.env), `sandbox-${recipe.suite}-${hash.slice(0, 16)}.tar`);
  let outcome: SandboxImageOutcome = 'imported';
  if (!existsSync(tarball) || context.force) {
    await buildRootfs(tarball, recipe, context);
    outcome = 'built';
  } else {
    context.say(`importing the cached root file system of the sandbox (${tarball})`);
  }
  const changes = [
    `LABEL ${LABEL_RECIPE_HASH}=${hash}`,
    `LABEL ${LABEL_SANDBOX_ENGINE}=${which}`,
    // Engine 26 starts no container on a host without IPv6 unless told this is fine.
    'ENV DOCKER_ALLOW_IPV6_ON_IPV4_INTERFACE=1',
    // --tls=false says we mean it; without it dockerd 20.10 stalls 15 s on a warning.
    'CMD ["dockerd", "-H", "tcp://0.0.0.0:2375", "--tls=false"]',
  ];
  await importRootfs(
    tarball,
    sandboxImage(which),
    changes,
    `the sandbox image ${sandboxImage(which)}`,
    context,
  );
  return outcome;
}
