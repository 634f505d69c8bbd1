/**
 * `logs`: what a container printed, by default only since the step began (so a message from an
 * earlier run of the same container does not pass the check). The Engine multiplexes stdout and
 * stderr into frames only when the container has no TTY; with `-t` the stream is raw text.
 */
import type Dockerode from 'dockerode';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Mismatch, Observation } from '../types.js';
import { statusOf } from '../../docker/engine-error.js';
import { deferredSnapshot } from './snapshot.js';
import { callSignal, collect, compareFields, demux, raw } from './support.js';

type LogsSpec = CheckSpec<'logs'>;

function subject(spec: LogsSpec, lang: Lang): string {
  return messages(lang).subject.logs(spec.container);
}

/** The Engine's `since` as "seconds.nanoseconds" (a float would lose nanoseconds to rounding). */
export function sinceParam(seconds: number): string {
  if (seconds <= 0) return '0';
  const whole = Math.floor(seconds);
  const nanos = Math.min(Math.round((seconds - whole) * 1e9), 999_999_999);
  return nanos === 0 ? String(whole) : `${whole}.${String(nanos).padStart(9, '0')}`;
}

/** Where the window of logs starts, in daemon time (Unix seconds); 0 for everything. */
export function sinceSeconds(since: LogsSpec['since'], ctx: CheckContext): number {
  if (since === 'start') return 0;
  return since === 'lesson' ? ctx.lessonStartedAt : ctx.stepStartedAt;
}

/** The container, or undefined when no container has this name (or id). */
export async function inspectContainer(
  ctx: CheckContext,
  name: string,
): Promise<Dockerode.ContainerInspectInfo | undefined> {
  try {
    return await ctx.docker.getContainer(name).inspect({ abortSignal: callSignal(ctx) });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** A container that stopped stays stopped unless a restart policy brings it back. */
export function stoppedForGood(info: Dockerode.ContainerInspectInfo): boolean {
  const status = info.State.Status;
  if (status !== 'exited' && status !== 'dead') return false;
  const policy = info.HostConfig.RestartPolicy?.Name ?? '';
  return policy === '' || policy === 'no' || (policy === 'on-failure' && info.State.ExitCode === 0);
}

/** "exited (exit code 1)": a stopped container's state in words. */
export function describeState(info: Dockerode.ContainerInspectInfo, lang: Lang): string {
  const status = info.State.Status;
  const stopped = status === 'exited' || status === 'dead';
  return messages(lang).word.notRunning(status, stopped ? info.State.ExitCode : undefined);
}

/** The mismatch for a container that is not there at all. */
export function missingContainer(ctx: CheckContext, name: string): Mismatch {
  return {
    field: 'container',
    expected: messages(ctx.lang).word.aContainer(name),
    actual: messages(ctx.lang).word.noSuchContainer(),
  };
}

/** The whole observation of a check whose container is not there: one mismatch, and the fix. */
export function missingContainerObservation(
  ctx: CheckContext,
  name: string,
  subject: string,
): Observation {
  return {
    subject,
    pass: false,
    mismatches: [missingContainer(ctx, name)],
    fix: messages(ctx.lang).fix.noContainerNamed(name),
  };
}

async function evaluate(spec: LogsSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  const info = await inspectContainer(ctx, spec.container);
  if (!info) return missingContainerObservation(ctx, spec.container, base.subject);

  const stream = await ctx.docker.getContainer(info.Id).logs({
    stdout: true,
    stderr: true,
    follow: false,
    since: sinceParam(sinceSeconds(spec.since, ctx)),
    abortSignal: callSignal(ctx),
  });
  const buffer = Buffer.isBuffer(stream) ? stream : await collect(stream);
  const actual = info.Config.Tty ? raw(buffer) : demux(buffer);
  const mismatches = compareFields(spec, actual, ['text', 'stdout', 'stderr'], ctx.lang);
  const observation: Observation = { ...base, pass: mismatches.length === 0, mismatches };
  // Inspected before the logs were read: a container stopped then has logged its last line.
  if (stoppedForGood(info)) observation.terminal = describeState(info, ctx.lang);
  if (!observation.pass) {
    observation.collectSnapshot = deferredSnapshot(ctx.docker, info.Id);
    observation.fix = observation.terminal
      ? messages(ctx.lang).fix.containerStopped(spec.container)
      : messages(ctx.lang).fix.logsMissing(spec.container);
  }
  return observation;
}

export const logsKind: CheckKindStrategy<'logs'> = { kind: 'logs', subject, evaluate };
