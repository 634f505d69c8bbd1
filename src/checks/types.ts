import type Dockerode from 'dockerode';
import type { Check, CheckKind } from './schema.js';
import type { Lang } from './matchers.js';

/**
 * The contract between the check engine and each check kind. A kind is a small strategy:
 * it reads fresh state from the Engine (or the step's output) on every attempt and compares it
 * with the spec. Waiting, negation and reporting are the engine's, shared by all kinds.
 */

/** What one command of the step produced (for `output` checks). */
export interface CommandOutput {
  id?: string;
  stdout: string;
  stderr: string;
  /** null when the command was killed (timeout, signal). */
  exitCode: number | null;
}

export interface CheckContext {
  docker: Dockerode;
  /** Where published ports are reachable: 127.0.0.1 for a local daemon, a tcp DOCKER_HOST's host. */
  daemonHost: string;
  /** Environment for any `docker` CLI the check must run (compose), naming the same daemon. */
  dockerEnv: Record<string, string>;
  /** The lesson's working directory (relative `file` paths start here). */
  workdir: string;
  /** The step's commands' results, in order. */
  outputs: CommandOutput[];
  /** Daemon time (Unix seconds) when the step and the lesson began, for `logs` windows. */
  stepStartedAt: number;
  lessonStartedAt: number;
  signal: AbortSignal;
  lang: Lang;
}

/** One expectation that did not hold: which field, what was expected, what was found. */
export interface Mismatch {
  field: string;
  /** The matcher described for people, e.g. `contains "Hello"`. */
  expected: string;
  actual: unknown;
}

/** What the engine knows about a container involved in a failing check. */
export interface ContainerSnapshot {
  name: string;
  id: string;
  image: string;
  status: string;
  exitCode?: number;
  health?: string;
  /** The last lines of its logs (about 20). */
  logTail: string[];
}

/** The result of one evaluation attempt of a kind. */
export interface Observation {
  pass: boolean;
  /** What was looked at, e.g. `container dl-hello`. */
  subject: string;
  mismatches: Mismatch[];
  /** Set when waiting longer cannot change the outcome (container exited, exec exit 127 ...). */
  terminal?: string;
  snapshot?: ContainerSnapshot;
  /** The likeliest fix for this failure, in the context's language. */
  fix?: string;
}

export interface CheckKindStrategy {
  kind: CheckKind;
  evaluate(spec: Record<string, unknown>, ctx: CheckContext): Promise<Observation>;
}

/** A check's final verdict after waiting, with everything a report needs. */
export interface CheckResult {
  check: Check;
  pass: boolean;
  attempts: number;
  elapsedMs: number;
  observation: Observation;
  /** Set when evaluation itself failed (daemon unreachable ...), with a message for people. */
  error?: string;
}
