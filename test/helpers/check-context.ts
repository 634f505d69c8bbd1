/**
 * Builds checks and contexts for tests of the check engine and its kinds. Checks are validated
 * through the lesson grammar (CHECK_SCHEMAS), so a test cannot exercise a spec no lesson could
 * contain.
 */
import Dockerode from 'dockerode';
import {
  CHECK_KIND_NAMES,
  CHECK_SCHEMAS,
  DEFAULT_CHECK_INTERVAL_MS,
  durationMs,
  type Check,
  type CheckKind,
} from '../../src/checks/schema.js';
import type { CheckContext } from '../../src/checks/types.js';

/** A check as a lesson would write it (`{ id, container: {...}, timeout: '10s' }`), parsed. */
export function makeCheck(yaml: Record<string, unknown>): Check {
  const kind = CHECK_KIND_NAMES.find((k) => k in yaml) as CheckKind | undefined;
  if (!kind) throw new Error(`no kind key in ${JSON.stringify(yaml)}`);
  const data = CHECK_SCHEMAS[kind].parse(yaml) as Record<string, unknown> & {
    id: string;
    timeout?: string;
    interval?: string;
    not?: boolean;
    fix?: string;
    description?: string;
  };
  const check: Check = {
    id: data.id,
    kind,
    spec: data[kind] as Record<string, unknown>,
    timeoutMs: data.timeout ? durationMs(data.timeout) : 0,
    intervalMs: data.interval ? durationMs(data.interval) : DEFAULT_CHECK_INTERVAL_MS,
    not: data.not ?? false,
    before: 'fail',
    line: 1,
    col: 1,
  };
  if (data.fix !== undefined) check.fix = data.fix;
  if (data.description !== undefined) check.description = data.description;
  return check;
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
