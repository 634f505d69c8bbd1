/**
 * `docker-lab images build-standins`: builds the offline stand-in of every needed image that is
 * missing or was built from an older recipe, reuses current ones, and never touches a real
 * image (one without the stand-in label). Each stand-in is tagged exactly as the reference it
 * stands in for, so lesson commands work unchanged, and labelled with what it stands in for and
 * its recipe hash.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { Engine } from '../docker/client.js';
import { ensureBase, type BaseOutcome } from './base.js';
import type { StandInEntry } from './catalog.js';
import { runDockerCli } from './docker-cli.js';
import { formatDuration, type Feedback } from './feedback.js';
import { recipesDir } from './paths.js';
import { LABEL_RECIPE_HASH, LABEL_STANDIN_FOR } from './recipe.js';
import { imageStatuses, inspectImage, type ImageStatus } from './status.js';
import type { NeededImage } from './needs.js';

export type StandInOutcome =
  | 'built' // was missing
  | 'rebuilt' // an outdated stand-in was replaced
  | 'reused' // current stand-in
  | 'real' // the real image is present: left alone
  | 'online-only' // no stand-in exists
  | 'failed';

export interface StandInResult {
  ref: string;
  outcome: StandInOutcome;
  ms?: number;
  /** For online-only: why; for failed: the last lines of the build. */
  detail?: string;
}

export interface BuildOptions {
  engine: Engine;
  env: Record<string, string | undefined>;
  needs: readonly NeededImage[];
  feedback: Feedback;
  signal?: AbortSignal;
  /** Rebuild current stand-ins too (never real images). */
  force?: boolean;
}

export interface BuildSummary {
  results: StandInResult[];
  /** What happened to the base; undefined when nothing had to be built. */
  base?: BaseOutcome;
  ok: boolean;
}

/** A whole build may download and install hundreds of packages. */
const BUILD_TIMEOUT_MS = 20 * 60_000;

export async function buildStandIns(options: BuildOptions): Promise<BuildSummary> {
  const { engine, feedback } = options;
  const statuses = await imageStatuses(engine, options.needs);
  const results: StandInResult[] = [];
  const todo: ImageStatus[] = [];
  for (const status of statuses) {
    if (status.entry?.kind !== 'stand-in') {
      results.push({
        ref: status.ref,
        outcome: 'online-only',
        detail:
          status.entry?.kind === 'online-only'
            ? status.entry.reason
            : 'not in the catalogue of stand-ins (src/images/catalog.ts)',
      });
    } else if (status.kind === 'real') {
      results.push({ ref: status.ref, outcome: 'real' });
    } else if (status.kind === 'stand-in' && !options.force) {
      results.push({ ref: status.ref, outcome: 'reused' });
    } else {
      todo.push(status);
    }
  }
  if (todo.length === 0) return { results, ok: true };

  const base = await ensureBase({
    engine,
    env: options.env,
    say: (text) => feedback.line(text),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  feedback.line(`Debian base ${base === 'reused' ? 'is current' : base}`);

  let ok = true;
  for (const status of todo) {
    const result = await buildOne(status, options);
    results.push(result);
    if (result.outcome === 'failed') ok = false;
  }
  // Back in the catalogue's order, whatever order the work went in.
  const order = statuses.map((status) => status.ref);
  results.sort((a, b) => order.indexOf(a.ref) - order.indexOf(b.ref));
  return { results, base, ok };
}

async function buildOne(status: ImageStatus, options: BuildOptions): Promise<StandInResult> {
  const { engine, feedback } = options;
  const entry = status.entry as StandInEntry;
  const started = Date.now();
  const hash = status.expectedHash!;
  feedback.line(`building the stand-in for ${status.ref} (${entry.description})`);
  const result = await runDockerCli(
    [
      'build',
      '--tag',
      status.ref,
      '--label',
      `${LABEL_STANDIN_FOR}=${status.ref}`,
      '--label',
      `${LABEL_RECIPE_HASH}=${hash}`,
      join(recipesDir(), entry.recipe),
    ],
    {
      endpoint: engine.endpoint,
      env: options.env,
      // The legacy builder is what every daemon has; BuildKit needs buildx on newer clients.
      extraEnv: { DOCKER_BUILDKIT: '0' },
      timeoutMs: BUILD_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      onLine: (line) => {
        if (!/^Step \d+\/\d+ : /.test(line)) return;
        if (feedback.tty) feedback.live(`  ${status.ref}  ${line}`);
        else feedback.line(`  ${status.ref}: ${line}`);
      },
    },
  );
  feedback.clear();
  const ms = Date.now() - started;
  if (result.exitCode !== 0) {
    const detail = result.tail.filter((line) => !/legacy builder|BuildKit/.test(line)).slice(-15);
    feedback.line(`FAILED: the stand-in for ${status.ref} did not build:`);
    for (const line of detail) feedback.line(`    ${line}`);
    return { ref: status.ref, outcome: 'failed', ms, detail: detail.join('\n') };
  }
  // The image the reference named before is now untagged: remove it if it was ours.
  if (status.image && status.kind === 'stand-in-outdated') await removeIfDangling(status, options);
  feedback.line(`built ${status.ref} in ${formatDuration(ms)}`);
  return { ref: status.ref, outcome: status.image ? 'rebuilt' : 'built', ms };
}

async function removeIfDangling(status: ImageStatus, options: BuildOptions): Promise<void> {
  const { engine } = options;
  const old = status.image!;
  const now = await inspectImage(engine, status.ref);
  if (!now || now.id === old.id) return;
  try {
    await engine.call((abortSignal) =>
      engine.docker.getImage(old.id).remove({ abortSignal } as object),
    );
  } catch {
    // Still tagged elsewhere or used by a container: it stays, as it should.
  }
}

/** Refuses references a stand-in cannot be tagged as. */
export function assertTaggable(refs: readonly string[]): void {
  const digests = refs.filter((ref) => ref.includes('@'));
  if (digests.length > 0) {
    throw new UsageError(
      `A stand-in cannot be tagged with a digest: ${digests.join(', ')}. Name a tag instead (mysql:8.4).`,
    );
  }
}
