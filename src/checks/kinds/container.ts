/**
 * `container`: a container found by name (one inspect: the fast path), or the newest created
 * from an image (`ancestor`, the Engine's own filter) or carrying a label. Values are shown in
 * the shapes the lesson format documents: ports `3306/tcp->127.0.0.1:3306`, mounts
 * `volume:NAME->/dest` or `bind:/src->/dest`, health `none` without a healthcheck.
 *
 * `health` is never a reason to stop waiting by itself: Docker's health status recovers (a
 * service that warms up is `unhealthy`, then `healthy`), so only an exited or dead container, or
 * one that has no health check at all, ends the wait early.
 */
import type Dockerode from 'dockerode';
import { statusOf } from '../../docker/engine-error.js';
import { DockerLabError } from '../../errors.js';
import { describeMatcher, matches } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import {
  HEALTH_DETAIL_KEYS,
  isHealthDetail,
  type CheckSpec,
  type HealthDetail,
} from '../schema.js';
import type { CheckContext, CheckKindStrategy, Mismatch, Observation } from '../types.js';
import { deferredSnapshot } from './snapshot.js';
import { callSignal, clean, compareFields } from './support.js';

type ContainerSpec = CheckSpec<'container'>;
type Info = Dockerode.ContainerInspectInfo;

/**
 * Expectations read from one inspect (plus `pid1`, which costs a `top`), compared as matchers.
 * `health` is compared on its own (`healthMismatches`): it has a detailed form.
 */
const FIELDS = [
  'status',
  'running',
  'exitCode',
  'image',
  'command',
  'entrypoint',
  'ports',
  'mounts',
  'env',
  'networks',
  'restartPolicy',
  'memory',
  'nanoCpus',
  'labels',
  'pid1',
  'restartCount',
  'tty',
  'openStdin',
] as const;

/** Fixed when the container is created: only recreating it changes them. */
export const CREATION_FIELDS: ReadonlySet<string> = new Set([
  'image',
  'command',
  'entrypoint',
  'ports',
  'mounts',
  'env',
  'networks',
  'restartPolicy',
  'memory',
  'nanoCpus',
  'labels',
  'tty',
  'openStdin',
]);

function subject(spec: ContainerSpec, lang: Lang): string {
  const m = messages(lang);
  if (spec.name !== undefined) return m.subject.containerName(spec.name);
  if (spec.ancestor !== undefined) return m.subject.containerAncestor(spec.ancestor);
  return m.subject.containerLabel(spec.label ?? '');
}

async function inspect(ctx: CheckContext, nameOrId: string): Promise<Info | undefined> {
  try {
    return await ctx.docker.getContainer(nameOrId).inspect({ abortSignal: callSignal(ctx) });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

interface Found {
  info?: Info;
  count: number;
}

/**
 * The containers `createdBy` admits: those the lesson run's ledger recorded (since the lesson
 * or the step began). undefined when the check has no `createdBy`.
 */
async function admitted(
  spec: ContainerSpec,
  ctx: CheckContext,
): Promise<ReadonlySet<string> | undefined> {
  if (spec.createdBy === undefined || !ctx.created) return undefined;
  return ctx.created.ids('container', spec.createdBy, callSignal(ctx));
}

/**
 * The container the check looks at, and how many match. By `name`: that one (count 0 or 1).
 * Else every container, in any state, that matches `ancestor` and `label` (both when both are
 * given), among those `createdBy` admits when it is given; the newest is the one looked at.
 */
async function find(spec: ContainerSpec, ctx: CheckContext): Promise<Found> {
  const scope = await admitted(spec, ctx);
  if (spec.name !== undefined) {
    const info = await inspect(ctx, spec.name);
    // The Engine also resolves id prefixes; only the name itself (or the full id) counts.
    const named = info && (info.Name === `/${spec.name}` || info.Id === spec.name);
    const ours = named && (scope === undefined || scope.has(info.Id));
    return ours ? { info, count: 1 } : { count: 0 };
  }
  const filters: Record<string, string[]> = {};
  if (spec.ancestor !== undefined) filters.ancestor = [spec.ancestor];
  if (spec.label !== undefined) filters.label = [spec.label];
  const all = await ctx.docker.listContainers({
    all: true,
    filters,
    abortSignal: callSignal(ctx),
  });
  const list = scope === undefined ? all : all.filter((c) => scope.has(c.Id));
  const newest = [...list].sort((a, b) => b.Created - a.Created)[0];
  // Removed between the list and the inspect: seen as missing on this attempt.
  const info = newest ? await inspect(ctx, newest.Id) : undefined;
  return { info, count: list.length };
}

function hostAddress(ip: string | undefined, port: string | undefined): string {
  const host = ip === undefined || ip === '' ? '0.0.0.0' : ip.includes(':') ? `[${ip}]` : ip;
  return `${host}:${port ?? ''}`;
}

type Bindings = Record<string, { HostIp?: string; HostPort?: string }[] | null | undefined>;

/** Published ports: the live bindings when running, else what the container was created with. */
function ports(info: Info): string[] {
  const live = (info.NetworkSettings?.Ports ?? {}) as Bindings;
  const configured = (info.HostConfig?.PortBindings ?? {}) as Bindings;
  const source = Object.values(live).some((b) => b && b.length > 0) ? live : configured;
  const out: string[] = [];
  for (const [port, bindings] of Object.entries(source)) {
    for (const b of bindings ?? []) out.push(`${port}->${hostAddress(b.HostIp, b.HostPort)}`);
  }
  return out.sort();
}

function mounts(info: Info): string[] {
  return (info.Mounts ?? []).map((mount) => {
    const source = mount.Type === 'volume' ? (mount.Name ?? mount.Source) : mount.Source;
    return `${mount.Type}:${source}->${mount.Destination}`;
  });
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') return [value];
  return [];
}

/** The command line of PID 1 inside the container, from the Engine's `top`. */
async function pid1(ctx: CheckContext, info: Info): Promise<string | undefined> {
  if (!info.State.Running) return undefined;
  const top = (await ctx.docker.getContainer(info.Id).top({ abortSignal: callSignal(ctx) })) as {
    Titles?: string[];
    Processes?: string[][];
  };
  const titles = top.Titles ?? [];
  const pidAt = titles.indexOf('PID');
  const cmdAt = titles.findIndex((t) => t === 'CMD' || t === 'COMMAND');
  const rows = top.Processes ?? [];
  // The Engine lists host PIDs: the container's PID 1 is State.Pid on the host.
  const row = rows.find((r) => Number(r[pidAt]) === info.State.Pid) ?? rows[0];
  return row && cmdAt >= 0 ? row[cmdAt] : undefined;
}

async function observe(spec: ContainerSpec, info: Info, ctx: CheckContext) {
  return {
    status: info.State.Status,
    running: info.State.Running,
    exitCode: info.State.ExitCode,
    image: info.Config.Image,
    command: list(info.Config.Cmd),
    entrypoint: list(info.Config.Entrypoint),
    ports: ports(info),
    mounts: mounts(info),
    env: info.Config.Env ?? [],
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}).sort(),
    restartPolicy: info.HostConfig?.RestartPolicy?.Name || 'no',
    memory: info.HostConfig?.Memory ?? 0,
    nanoCpus: info.HostConfig?.NanoCpus ?? 0,
    labels: info.Config.Labels ?? {},
    pid1: spec.pid1 !== undefined ? await pid1(ctx, info) : undefined,
    // Restarts by the restart policy (or the daemon); `docker start` by hand does not count.
    restartCount: info.RestartCount ?? 0,
    tty: info.Config.Tty ?? false,
    openStdin: info.Config.OpenStdin ?? false,
  };
}

/** Whether the container was created with a health check (its own or its image's). */
function hasHealthcheck(info: Info): boolean {
  const test = info.Config.Healthcheck?.Test ?? [];
  return test.length > 0 && test[0] !== 'NONE';
}

/**
 * What `health` is compared with: the status (`none` without a health check), the number of
 * failed probes in a row, and the last probe's output and exit code (nothing before a probe).
 */
function healthState(info: Info) {
  const health = info.State.Health;
  const last = health?.Log?.at(-1);
  return {
    status: health?.Status ?? 'none',
    failingStreak: health ? (health.FailingStreak ?? 0) : undefined,
    log: last ? clean(last.Output ?? '') : undefined,
    exitCode: last?.ExitCode,
  };
}

/**
 * `health: healthy` compares the status (field `health`); the detailed form compares each of
 * its keys (fields `health.status`, `health.log` ...), each with its own matcher.
 */
function healthMismatches(spec: ContainerSpec, info: Info, lang: Lang): Mismatch[] {
  if (spec.health === undefined) return [];
  const actual = healthState(info);
  if (!isHealthDetail(spec.health)) {
    return compareFields({ health: spec.health }, { health: actual.status }, ['health'], lang);
  }
  const detail: HealthDetail = spec.health;
  return compareFields(detail, actual, HEALTH_DETAIL_KEYS, lang).map((mismatch) => ({
    ...mismatch,
    field: `health.${mismatch.field}`,
    matcher: detail[mismatch.field as keyof HealthDetail],
  }));
}

function isHealthField(field: string | undefined): boolean {
  return field === 'health' || (field?.startsWith('health.') ?? false);
}

/**
 * The container's IP addresses, for `capture` (the lesson format's "Captured values"): by network
 * name, and `ipAddress`, the default bridge's (as `docker inspect` shows at the top) or else the
 * first network's.
 */
function addresses(info: Info): { ipAddress: string; ipAddresses: Record<string, string> } {
  const networks = (info.NetworkSettings?.Networks ?? {}) as Record<string, { IPAddress?: string }>;
  const ipAddresses = Object.fromEntries(
    Object.entries(networks)
      .filter(([, n]) => n.IPAddress)
      .map(([name, n]) => [name, n.IPAddress!]),
  );
  const first = Object.keys(ipAddresses).sort()[0];
  // @types/dockerode leaves out the top-level IPAddress the Engine still reports (default bridge).
  const top = (info.NetworkSettings as { IPAddress?: string } | undefined)?.IPAddress;
  const ipAddress = top || (first !== undefined ? ipAddresses[first]! : '');
  return { ipAddress, ipAddresses };
}

/** Why waiting cannot help: the container will not change state by itself. */
function terminal(spec: ContainerSpec, info: Info, lang: Lang): string | undefined {
  const m = messages(lang);
  const name = info.Name.replace(/^\//, '');
  // More containers may still appear: a count is never settled by one container's state.
  if (spec.count !== undefined) return undefined;
  if (info.State.Status === 'dead') return m.check.terminalDead(name);
  // An exited container that restarts is "restarting", and --rm ones are about to vanish.
  if (info.State.Status === 'exited' && !info.HostConfig?.AutoRemove) {
    return m.check.terminalExited(name, info.State.ExitCode ?? 0);
  }
  // `unhealthy` is not final: a health check that fails while a service warms up passes later.
  // No health check at all is: it is fixed when the container is created.
  if (
    spec.health !== undefined &&
    !hasHealthcheck(info) &&
    healthMismatches(spec, info, lang).length > 0
  ) {
    return m.check.terminalNoHealthcheck(name);
  }
  return undefined;
}

function wantsRunning(spec: ContainerSpec): boolean {
  return spec.running === true || (spec.status !== undefined && matches(spec.status, 'running'));
}

/**
 * The likeliest fix. A setting fixed at creation (env, ports, mounts…) that is wrong explains the
 * rest: a container missing its -e exits, and "docker start" would only start it wrong again.
 */
function fixFor(
  spec: ContainerSpec,
  info: Info,
  mismatches: readonly Mismatch[],
  lang: Lang,
): string {
  const first = mismatches.find((m) => CREATION_FIELDS.has(m.field)) ?? mismatches[0];
  const m = messages(lang);
  const name = info.Name.replace(/^\//, '');
  const field = first?.field;
  if (field === 'exists') return m.fix.containerRemove(name);
  if (field === 'count') return m.fix.containerCount;
  if (field && CREATION_FIELDS.has(field)) return m.fix.containerRecreate(name);
  if (isHealthField(field) && !hasHealthcheck(info)) return m.fix.containerNoHealthcheck(name);
  // Failing probes (unhealthy, or starting while they fail): what they print says why.
  if (isHealthField(field) && info.State.Health && info.State.Health.Status !== 'healthy') {
    return m.fix.containerUnhealthy(name);
  }
  if (wantsRunning(spec) && !info.State.Running) {
    return info.State.Status === 'exited' && info.State.ExitCode !== 0
      ? m.fix.containerExited(name)
      : m.fix.containerStart(name);
  }
  if (info.State.Running && (spec.running === false || field === 'status')) {
    return m.fix.containerStop(name);
  }
  if (field === 'restartCount') return m.fix.containerRestarts(name);
  return m.fix.generic;
}

function missingFix(spec: ContainerSpec, lang: Lang): string {
  const m = messages(lang);
  if (spec.ancestor !== undefined) return m.fix.containerFromImage(spec.ancestor);
  return m.fix.containerMissing(spec.name);
}

async function evaluate(spec: ContainerSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  if (spec.createdBy !== undefined && !ctx.created) {
    // Nothing records what was created outside a lesson run: say so rather than guess. The
    // engine makes it the check's error ("could not evaluate: ..."), not the learner's failure.
    throw new DockerLabError({ what: messages(ctx.lang).check.createdByOutsideRun });
  }
  const { info, count } = await find(spec, ctx);
  const mismatches = compareFields(spec, { count }, ['count'], ctx.lang);

  if (!info) {
    // Missing: `exists: false` and `count` are judged; any other expectation needs it to exist.
    const others = spec.health !== undefined || FIELDS.some((f) => spec[f] !== undefined);
    const wanted = spec.exists ?? (others ? true : undefined);
    if (wanted === true) {
      mismatches.unshift({
        field: 'exists',
        expected: describeMatcher(true, ctx.lang),
        actual: false,
        matcher: true,
      });
    }
    const pass = mismatches.length === 0;
    return {
      ...base,
      pass,
      mismatches,
      ...(pass
        ? {}
        : { fix: wanted ? missingFix(spec, ctx.lang) : messages(ctx.lang).fix.containerCount }),
    };
  }

  if (spec.exists === false) {
    mismatches.unshift({
      field: 'exists',
      expected: describeMatcher(false, ctx.lang),
      actual: true,
      matcher: false,
    });
  }
  const observed = await observe(spec, info, ctx);
  mismatches.push(...compareFields(spec, observed, FIELDS, ctx.lang));
  mismatches.push(...healthMismatches(spec, info, ctx.lang));
  const pass = mismatches.length === 0;
  const observation: Observation = {
    ...base,
    pass,
    mismatches,
    observed: { ...observed, ...addresses(info), id: info.Id, name: info.Name.replace(/^\//, '') },
  };
  const why = terminal(spec, info, ctx.lang);
  if (why) observation.terminal = why;
  if (!pass) {
    observation.fix = fixFor(spec, info, mismatches, ctx.lang);
    observation.collectSnapshot = deferredSnapshot(ctx.docker, info.Id);
  }
  return observation;
}

export const containerKind: CheckKindStrategy<'container'> = {
  kind: 'container',
  subject,
  evaluate,
};
