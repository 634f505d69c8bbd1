/**
 * What a failure report shows about a container: status, exit code, health and the last lines
 * of its logs. Best effort: a snapshot that cannot be taken is left out, never an error.
 */
import type Dockerode from 'dockerode';
import type { ContainerSnapshot } from '../types.js';
import { deadline } from '../../docker/deadline.js';
import { CHECK_CALL_TIMEOUT_MS, collect, demux, raw } from './support.js';

export const SNAPSHOT_LOG_LINES = 20;

/** The last `lines` lines of a container's logs (stdout and stderr together). */
export async function logTail(
  docker: Dockerode,
  id: string,
  tty: boolean,
  signal: AbortSignal,
  lines = SNAPSHOT_LOG_LINES,
): Promise<string[]> {
  const stream = await docker.getContainer(id).logs({
    stdout: true,
    stderr: true,
    tail: lines,
    follow: false,
    abortSignal: deadline(signal, CHECK_CALL_TIMEOUT_MS),
  });
  const buffer = Buffer.isBuffer(stream) ? stream : await collect(stream);
  const text = (tty ? raw(buffer) : demux(buffer)).text;
  const out = text.split('\n');
  if (out.at(-1) === '') out.pop();
  return out;
}

/** The container's state now (it is read again: the check's last attempt may be stale). */
export async function snapshotContainer(
  docker: Dockerode,
  idOrName: string,
  signal: AbortSignal,
): Promise<ContainerSnapshot | undefined> {
  try {
    const info = await docker
      .getContainer(idOrName)
      .inspect({ abortSignal: deadline(signal, CHECK_CALL_TIMEOUT_MS) });
    const state = info.State;
    const snapshot: ContainerSnapshot = {
      name: info.Name.replace(/^\//, ''),
      id: info.Id,
      image: info.Config.Image,
      status: state.Status,
      logTail: await logTail(docker, info.Id, info.Config.Tty, signal).catch(() => []),
    };
    if (state.Status === 'exited' || state.Status === 'dead') snapshot.exitCode = state.ExitCode;
    if (state.Health?.Status) snapshot.health = state.Health.Status;
    return snapshot;
  } catch {
    return undefined;
  }
}

/** For Observation.collectSnapshot: the engine takes it once, when the check has failed. */
export function deferredSnapshot(
  docker: Dockerode,
  idOrName: string,
): (signal: AbortSignal) => Promise<ContainerSnapshot | undefined> {
  return (signal) => snapshotContainer(docker, idOrName, signal);
}
