import type Dockerode from 'dockerode';
import type { Check, CheckKind, CheckSpec } from './schema.js';
import type { Lang } from '../i18n/lang.js';
import type { Matcher } from './matcher-schema.js';

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
  /** null when the command was killed (timeout, signal), or is still running. */
  exitCode: number | null;
  /**
   * Both streams together, in the order the runner received them (two pipes: order within each
   * is exact, between them as close as the runner can tell). Without it, stdout then stderr.
   */
  text?: string;
  /** A background command that has not ended: what it printed so far, still growing. */
  running?: boolean;
}

/**
 * What the lesson run created, as its ledger recorded it (docker/ledger.ts): the view `createdBy`
 * checks need, passed in by the run so that checks/ never imports run/.
 */
export interface RunCreations {
  /**
   * The ids of the objects of `type` this lesson run created and that are still there as far as
   * the Engine's events tell: since the lesson began (`lesson`) or since the current step began
   * (`step`). Reads the events up to the daemon's now first, so nothing just made is missed.
   */
  ids(type: 'container', scope: CreatedBy, signal: AbortSignal): Promise<ReadonlySet<string>>;
}

/** Which of the run's creations a `createdBy` check looks at. */
export type CreatedBy = 'lesson' | 'step';

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
  /**
   * Cancels the evaluation. Inside `evaluate()` the engine has already bounded it by the
   * attempt's deadline, so kinds pass it to every Engine call as it is.
   */
  signal: AbortSignal;
  lang: Lang;
  /** Which attempt of the check this is (1 first), set by the engine. */
  attempt?: number;
  /**
   * Runs the step's command again (the one with this id, else the step's last) the way the
   * runner runs commands, shown to the learner as a re-run; undefined when it cannot be re-run.
   * Given by a lesson run for `output` checks with `rerun: true`.
   */
  rerun?: (command: string | undefined, signal: AbortSignal) => Promise<CommandOutput | undefined>;
  /**
   * What this lesson run created (set by the run). Without it (a check run outside a lesson
   * run), a check with `createdBy` fails and says why.
   */
  created?: RunCreations;
  /**
   * Called before each attempt: with a daemon that shares nothing with this machine, it brings
   * what containers wrote into the working directory here and forwards newly published ports.
   */
  refresh?: () => Promise<void>;
  /**
   * With such a daemon: where it is, and the ports forwarded to this machine so far, so that a
   * port nobody forwarded is explained by where the daemon is, not by the container.
   */
  remote?: { url: string; forwarded: () => number[] };
}

/** One expectation that did not hold: which field, what was expected, what was found. */
export interface Mismatch {
  field: string;
  /** The matcher described for people, e.g. `contains "Hello"`. */
  expected: string;
  actual: unknown;
  /**
   * The matcher as written, so a report can diff text that should have been equal. Left out,
   * the engine takes the spec's value of `field`; a kind whose field holds something else sets
   * it itself (to undefined when there is none).
   */
  matcher?: Matcher | undefined;
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
  /**
   * Set, with the reason for people, when the observed state cannot change by itself (container
   * exited or dead, created without the health check a `health` expects, exec exit 126/127;
   * never `unhealthy`, which recovers), whether or not the observation passed:
   * the engine stops waiting when the check fails on such a state (`not: true` included).
   */
  terminal?: string;
  snapshot?: ContainerSnapshot;
  /**
   * Takes the snapshot later: the engine calls it once, only when the check's final verdict is
   * a failure, so waiting does not read logs on every attempt. Ignored when `snapshot` is set.
   */
  collectSnapshot?: (signal: AbortSignal) => Promise<ContainerSnapshot | undefined>;
  /** The likeliest fix for this failure, in the context's language. */
  fix?: string;
  /**
   * What the kind observed, field by field (`stdout`, `id`, `networks`…): what a check's
   * `capture` takes its value from (checks/capture.ts). Kinds in CAPTURE_FIELDS set it.
   */
  observed?: Record<string, unknown>;
}

/** The strategy of one kind K: it reads specs of that kind, typed by the kind's schema. */
export interface KindStrategy<K extends CheckKind> {
  kind: K;
  /** What the check looks at, for people (`container dl-hello`); used when evaluation throws. */
  subject?(spec: CheckSpec<K>, lang: Lang): string;
  /** One attempt: read fresh state, compare field by field. Engine errors may throw. */
  evaluate(spec: CheckSpec<K>, ctx: CheckContext): Promise<Observation>;
}

/**
 * The strategy of kind K; without an argument, the strategy of some kind (a union that its
 * `kind` narrows, so `{ kind: 'container', evaluate(spec) {...} }` reads a container spec).
 */
export type CheckKindStrategy<K extends CheckKind = CheckKind> = {
  [P in K]: KindStrategy<P>;
}[K];

/** A strategy for every kind: a kind without one is a type error. */
export type CheckStrategies = { [K in CheckKind]: CheckKindStrategy<K> };

/** A check's final verdict after waiting, with everything a report needs. */
export interface CheckResult<K extends CheckKind = CheckKind> {
  check: Check<K>;
  pass: boolean;
  attempts: number;
  elapsedMs: number;
  observation: Observation;
  /** Set when evaluation itself failed (daemon unreachable ...), with a message for people. */
  error?: string;
  /** The caller cancelled (ctx.signal) before a verdict: not a failure of the learner. */
  aborted?: boolean;
  /** The check passed and kept these values (`capture`): name → value. */
  captured?: Record<string, string>;
}
