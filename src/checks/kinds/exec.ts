/**
 * `exec`: runs a command inside a running container and compares its exit code and output.
 * Never attaches stdin (a check must not wait for input), never allocates a TTY (so stdout and
 * stderr arrive as separate frames). Exit 126/127 means the command cannot run in that image,
 * which waiting will not change.
 */
import type Dockerode from 'dockerode';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { isAbort, statusOf } from '../../docker/engine-error.js';
import {
  describeState,
  inspectContainer,
  missingContainerObservation,
  stoppedForGood,
} from './logs.js';
import { deferredSnapshot } from './snapshot.js';
import { CHECK_CALL_TIMEOUT_MS, callSignal, collect, compareFields, demux } from './support.js';

type ExecSpec = CheckSpec<'exec'>;

function subject(spec: ExecSpec, lang: Lang): string {
  const shown = typeof spec.command === 'string' ? spec.command : spec.command.join(' ');
  return messages(lang).subject.exec(spec.container, shown);
}

/** Text runs through `sh -c` (pipes, `&&`); a list is the exact argv. */
export function argv(command: string | string[]): string[] {
  return typeof command === 'string' ? ['sh', '-c', command] : command;
}

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command and waits for its exit code. Throws on Engine errors and on timeout. */
export async function runExec(
  ctx: CheckContext,
  containerId: string,
  cmd: string[],
  user: string | undefined,
  signal: AbortSignal,
): Promise<ExecResult> {
  const exec = await ctx.docker.getContainer(containerId).exec({
    Cmd: cmd,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    ...(user ? { User: user } : {}),
    abortSignal: signal,
  });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: false, abortSignal: signal });
  const { stdout, stderr } = demux(await collect(stream));
  // The stream can end a moment before the Engine records the exit code.
  for (;;) {
    const state = await exec.inspect({ abortSignal: signal });
    if (!state.Running) return { exitCode: state.ExitCode ?? null, stdout, stderr };
    await new Promise((resolve) => setTimeout(resolve, 50));
    signal.throwIfAborted();
  }
}

function notRunning(
  ctx: CheckContext,
  base: { subject: string },
  name: string,
  info: Dockerode.ContainerInspectInfo,
): Observation {
  const state = describeState(info, ctx.lang);
  const observation: Observation = {
    ...base,
    pass: false,
    mismatches: [
      { field: 'container', expected: messages(ctx.lang).word.running(), actual: state },
    ],
    fix: messages(ctx.lang).fix.containerStopped(name),
    collectSnapshot: deferredSnapshot(ctx.docker, info.Id),
  };
  if (stoppedForGood(info)) observation.terminal = state;
  return observation;
}

async function evaluate(spec: ExecSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  const info = await inspectContainer(ctx, spec.container);
  if (!info) return missingContainerObservation(ctx, spec.container, base.subject);
  if (info.State.Status !== 'running') return notRunning(ctx, base, spec.container, info);

  // The command may run for one call's budget: checks run quick probes, not jobs.
  const signal = callSignal(ctx);
  let result: ExecResult;
  try {
    result = await runExec(ctx, info.Id, argv(spec.command), spec.user, signal);
  } catch (error) {
    if (signal.aborted && !ctx.signal.aborted && isAbort(error)) {
      return {
        ...base,
        pass: false,
        mismatches: [
          {
            field: 'command',
            expected: messages(ctx.lang).word.finishesWithin(CHECK_CALL_TIMEOUT_MS / 1000),
            actual: messages(ctx.lang).word.timedOut(CHECK_CALL_TIMEOUT_MS / 1000),
          },
        ],
      };
    }
    // Stopped between the inspect and the exec (409): report it like any stopped container.
    if (statusOf(error) === 409) {
      const again = await inspectContainer(ctx, info.Id);
      if (again && again.State.Status !== 'running')
        return notRunning(ctx, base, spec.container, again);
    }
    throw error;
  }

  const mismatches = compareFields(spec, result, ['exitCode', 'stdout', 'stderr'], ctx.lang);
  const observation: Observation = {
    ...base,
    pass: mismatches.length === 0,
    mismatches,
    observed: { ...result },
  };
  // 126/127: the command is missing from the image or cannot run there; retrying runs it again
  // only to fail the same way.
  if (result.exitCode === 126 || result.exitCode === 127) {
    const line = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    observation.terminal = messages(ctx.lang).word.exitCodeLine(result.exitCode, line);
    if (!observation.pass) observation.fix = messages(ctx.lang).fix.commandMissing(spec.container);
  }
  return observation;
}

export const execKind: CheckKindStrategy<'exec'> = { kind: 'exec', subject, evaluate };
