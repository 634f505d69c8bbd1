/**
 * Builds checks and contexts for tests of the check engine and its kinds. Checks are validated
 * through the lesson grammar (CHECK_SCHEMAS), so a test cannot exercise a spec no lesson could
 * contain.
 */
import Dockerode from 'dockerode';
import {
  CHECK_KIND_NAMES,
  CHECK_SCHEMAS,
  checkFromParsed,
  type Check,
} from '../../src/checks/schema.js';
import type { CheckContext } from '../../src/checks/types.js';

/** A check as a lesson would write it (`{ id, container: {...}, timeout: '10s' }`), parsed. */
export function makeCheck(yaml: Record<string, unknown>): Check {
  const kind = CHECK_KIND_NAMES.find((k) => k in yaml);
  if (!kind) throw new Error(`no kind key in ${JSON.stringify(yaml)}`);
  return checkFromParsed(kind, CHECK_SCHEMAS[kind].parse(yaml), { line: 1, col: 1 });
}

let shared: Dockerode | undefined;

/** A context on the default daemon, with no step output unless given. */
export function makeContext(overrides: Partial<CheckContext> = {}): CheckContext {
  shared ??= new Dockerode();
  return {
    docker: shared,
    daemonHost: '127.0.0.1',
    dockerEnv: {},
    workdir: process.cwd(),
    outputs: [],
    stepStartedAt: Math.floor(Date.now() / 1000),
    lessonStartedAt: Math.floor(Date.now() / 1000),
    signal: new AbortController().signal,
    lang: 'en',
    ...overrides,
  };
}
