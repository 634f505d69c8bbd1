/**
 * `daemon`: the Docker daemon itself. Asks only what the spec needs: a ping for `reachable`
 * alone, /version for versions, OS and architecture, /info for the rest. Not reaching the daemon
 * is an observation here (`reachable: false` may be exactly what a step wants), not an error.
 */
import { dockerInfo, dockerPing, dockerVersion } from '../../docker/client.js';
import { isAbort, isConnectionError, messageOf, statusOf } from '../../docker/engine-error.js';
import { describeMatcher } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { callSignal, compareFields } from './support.js';

type DaemonSpec = CheckSpec<'daemon'>;

const VERSION_FIELDS = ['serverVersion', 'apiVersion', 'os', 'architecture'] as const;
const INFO_FIELDS = ['storageDriver', 'cgroupVersion', 'swarm', 'registryMirrors'] as const;
const FIELDS = ['reachable', ...VERSION_FIELDS, ...INFO_FIELDS] as const;

function subject(_spec: DaemonSpec, lang: Lang): string {
  return messages(lang).subject.daemon;
}

/** No answer at all (no socket, refused, timed out), as opposed to an answer with an error. */
function unreachable(error: unknown): boolean {
  return statusOf(error) === undefined && (isConnectionError(error) || isAbort(error));
}

async function read(spec: DaemonSpec, ctx: CheckContext): Promise<Record<string, unknown>> {
  const wants = (fields: readonly (keyof DaemonSpec)[]) =>
    fields.some((f) => spec[f] !== undefined);
  const needVersion = wants(VERSION_FIELDS);
  const needInfo = wants(INFO_FIELDS);
  const [version, info] = await Promise.all([
    needVersion ? dockerVersion(ctx.docker, callSignal(ctx)) : undefined,
    needInfo ? dockerInfo(ctx.docker, callSignal(ctx)) : undefined,
    needVersion || needInfo ? undefined : dockerPing(ctx.docker, callSignal(ctx)),
  ]);
  return {
    reachable: true,
    serverVersion: version?.Version,
    apiVersion: version?.ApiVersion,
    // Go's names (linux, amd64), as `docker version` and image platforms spell them.
    os: version?.Os,
    architecture: version?.Arch,
    storageDriver: info?.Driver,
    // Daemons before API 1.40 do not report it; they only ran cgroup v1.
    cgroupVersion: info ? String(info.CgroupVersion || '1') : undefined,
    swarm: info?.Swarm?.LocalNodeState,
    registryMirrors: info ? (info.RegistryConfig?.Mirrors ?? []) : undefined,
  };
}

async function evaluate(spec: DaemonSpec, ctx: CheckContext): Promise<Observation> {
  const m = messages(ctx.lang);
  let actual: Record<string, unknown>;
  try {
    actual = await read(spec, ctx);
  } catch (error) {
    if (ctx.signal.aborted || !unreachable(error)) throw error;
    const detail = messageOf(error);
    // Unreachable: only `reachable` can be judged; any other expectation implies it is true.
    const expected = spec.reachable ?? true;
    const pass = expected === false;
    return {
      pass,
      subject: subject(spec, ctx.lang),
      mismatches: pass
        ? []
        : [
            {
              field: 'reachable',
              expected: describeMatcher(expected, ctx.lang),
              actual: false,
              matcher: expected,
            },
          ],
      fix: m.fix.daemonUnreachable(detail),
    };
  }
  const mismatches = compareFields(spec, actual, FIELDS, ctx.lang);
  const reachableOnly = mismatches.length > 0 && mismatches.every((x) => x.field === 'reachable');
  return {
    pass: mismatches.length === 0,
    subject: subject(spec, ctx.lang),
    mismatches,
    // reachable: false while it answers means the step should have stopped it.
    fix: reachableOnly ? m.fix.generic : m.fix.daemonSetting,
  };
}

export const daemonKind: CheckKindStrategy<'daemon'> = { kind: 'daemon', subject, evaluate };
