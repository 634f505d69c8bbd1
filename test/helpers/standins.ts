/**
 * The course's offline stand-ins for tests that run lesson commands: built through the same
 * code path as `docker-lab images build-standins` (so CI from nothing builds them, about a
 * minute), reused in under a second when current.
 */
import { connectFromEnv } from '../../src/docker/client.js';
import type { Feedback } from '../../src/images/feedback.js';
import { gatherNeeds } from '../../src/images/needs.js';
import { buildStandIns, type BuildSummary } from '../../src/images/standins.js';
import { requireDaemon } from './daemon.js';

const quiet: Feedback = {
  tty: false,
  line: (text) => void (process.env.DOCKER_LAB_TEST_VERBOSE ? console.error(text) : undefined),
  live: () => undefined,
  clear: () => undefined,
};

const built = new Map<string, Promise<BuildSummary>>();

/** Builds (or reuses) the stand-ins for `refs`; fails when one cannot be built. */
export function ensureStandIns(refs: readonly string[]): Promise<BuildSummary> {
  const key = [...refs].sort().join(' ');
  let pending = built.get(key);
  if (!pending) {
    pending = (async () => {
      await requireDaemon();
      const engine = await connectFromEnv(process.env);
      const summary = await buildStandIns({
        engine,
        env: process.env,
        needs: gatherNeeds([{ id: 'test', images: [...refs] }], { withCatalog: false }),
        feedback: quiet,
      });
      const failed = summary.results.filter((result) => result.outcome === 'failed');
      if (failed.length > 0) {
        throw new Error(
          `stand-ins failed to build: ${failed.map((result) => `${result.ref}\n${result.detail}`).join('\n')}`,
        );
      }
      return summary;
    })();
    built.set(key, pending);
  }
  return pending;
}
