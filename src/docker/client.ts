/**
 * A dockerode client for one Endpoint, at an API version both sides speak, with a deadline
 * on every call. Old daemons here speak 1.41; new ones reject clients below their minimum
 * (1.44 for Engine 25+), so the version is negotiated once, from the daemon's /version.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import Docker from 'dockerode';
import { resolveEndpointFromProcess, type Endpoint } from './endpoint.js';
import { CALL_TIMEOUT_MS, deadline, timedOut } from './deadline.js';
import { statusOf } from './engine-error.js';
import { classifyEngineError, configError, DockerAccessError, notDockerError } from './errors.js';

/** The newest Engine API docker-lab knows; a newer daemon is spoken to at this version. */
export const MAX_API_VERSION = '1.47';
/** The oldest Engine API docker-lab works with (Docker 19.03). */
export const MIN_API_VERSION = '1.40';
/** Default deadline of the first contact (version negotiation). */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface ServerVersion {
  /** Docker Engine version, e.g. "20.10.24+dfsg1". */
  version: string;
  apiVersion: string;
  minApiVersion: string;
  os: string;
  arch: string;
  kernelVersion?: string;
}

export interface Engine {
  endpoint: Endpoint;
  /** dockerode pinned to the negotiated API version. */
  docker: Docker;
  /** The negotiated API version, e.g. "1.41". */
  apiVersion: string;
  server: ServerVersion;
  /** An AbortSignal that fires after `ms` or when the engine's parent signal fires. */
  deadline(ms?: number): AbortSignal;
  /**
   * Runs one Engine call with a deadline: `fn` gets the signal to pass as `abortSignal`.
   * Connection-level failures become DockerAccessError; other errors pass through unchanged.
   */
  call<T>(fn: (abortSignal: AbortSignal) => Promise<T>, ms?: number): Promise<T>;
}

export interface ConnectOptions {
  /** Deadline of the version negotiation (default 5 s). */
  timeoutMs?: number;
  /** Aborts everything (Ctrl-C). */
  signal?: AbortSignal;
  /** Cap on the API version (default MAX_API_VERSION). */
  maxApiVersion?: string;
}

/** "1.41" vs "1.9": numeric, part by part. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export type Negotiation = { ok: true; version: string } | { ok: false; reason: string };

/**
 * min(ours, daemon's), never below the daemon's minimum. A daemon older than MIN_API_VERSION
 * is refused: checks rely on fields those APIs lack.
 */
export function negotiateApiVersion(
  daemon: { apiVersion: string; minApiVersion?: string },
  ours: { min: string; max: string } = { min: MIN_API_VERSION, max: MAX_API_VERSION },
): Negotiation {
  if (compareApiVersions(daemon.apiVersion, ours.min) < 0) {
    return {
      ok: false,
      reason: `the daemon speaks Engine API ${daemon.apiVersion} at most and docker-lab needs ${ours.min} or newer (Docker 19.03+)`,
    };
  }
  let version = compareApiVersions(daemon.apiVersion, ours.max) < 0 ? daemon.apiVersion : ours.max;
  if (daemon.minApiVersion && compareApiVersions(version, daemon.minApiVersion) < 0) {
    version = daemon.minApiVersion;
  }
  return { ok: true, version };
}

/**
 * A dockerode client for the endpoint. Every connection option is given explicitly: docker-modem
 * also reads process.env.DOCKER_HOST and would otherwise mix it into ours.
 */
export function createDockerode(endpoint: Endpoint, apiVersion?: string): Docker {
  const version = apiVersion ? { version: `v${apiVersion}` } : {};
  if (endpoint.kind === 'unix') {
    return new Docker({
      socketPath: endpoint.socketPath,
      host: undefined,
      port: undefined,
      protocol: undefined,
      ca: undefined,
      cert: undefined,
      key: undefined,
      ...version,
    } as unknown as Docker.DockerOptions);
  }
  const tls = endpoint.tls;
  const read = (file?: string): Buffer | undefined => (file ? readFileSync(file) : undefined);
  const ca = read(tls?.caFile);
  const cert = read(tls?.certFile);
  const key = read(tls?.keyFile);
  return new Docker({
    socketPath: undefined,
    host: endpoint.host,
    port: endpoint.port,
    protocol: tls ? 'https' : 'http',
    ca,
    cert,
    key,
    pathPrefix: '/',
    // Without verification, the agent carries the option (docker-modem does not pass it on).
    ...(tls && !tls.verify
      ? { agent: new HttpsAgent({ rejectUnauthorized: false, ca, cert, key }) }
      : {}),
    ...version,
  } as unknown as Docker.DockerOptions);
}

/**
 * dockerode's info/version/ping accept { abortSignal } at run time, but @types/dockerode only
 * declares the argument-less forms; these typed wrappers keep the casts in one place.
 */
type WithOpts = {
  [K in 'info' | 'version' | 'ping']: (opts: { abortSignal?: AbortSignal }) => Promise<unknown>;
};

export function dockerInfo(docker: Docker, abortSignal: AbortSignal): Promise<DockerInfo> {
  return (docker as unknown as WithOpts).info({ abortSignal }) as Promise<DockerInfo>;
}

export function dockerVersion(docker: Docker, abortSignal: AbortSignal): Promise<VersionReply> {
  return (docker as unknown as WithOpts).version({ abortSignal }) as Promise<VersionReply>;
}

export function dockerPing(docker: Docker, abortSignal: AbortSignal): Promise<unknown> {
  return (docker as unknown as WithOpts).ping({ abortSignal });
}

/** The parts of GET /info docker-lab reads (all optional: old daemons lack some). */
export interface DockerInfo {
  ID?: string;
  Name?: string;
  ServerVersion?: string;
  Driver?: string;
  DockerRootDir?: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  Architecture?: string;
  OSType?: string;
  OperatingSystem?: string;
  IndexServerAddress?: string;
  RegistryConfig?: { Mirrors?: string[]; IndexConfigs?: Record<string, { Mirrors?: string[] }> };
  HttpProxy?: string;
  HttpsProxy?: string;
  Swarm?: { LocalNodeState?: string };
  [key: string]: unknown;
}

/** GET /version as it comes: whatever answers may not be a Docker daemon, so nothing is sure. */
export interface VersionReply {
  Version?: unknown;
  ApiVersion?: unknown;
  MinAPIVersion?: unknown;
  Os?: unknown;
  Arch?: unknown;
  KernelVersion?: unknown;
}

/** Talk to the daemon once, negotiate the API version and return a pinned client. */
export async function connectEngine(
  endpoint: Endpoint,
  options: ConnectOptions = {},
): Promise<Engine> {
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS;
  const probe = createDockerode(endpoint);
  const signal = deadline(options.signal, timeoutMs);
  let raw: VersionReply | undefined;
  try {
    // /version without a version prefix answers on every daemon, old or new.
    raw = await dockerVersion(probe, signal);
  } catch (error) {
    throw (
      classifyEngineError(error, endpoint, { timedOut: timedOut(signal), timeoutMs }) ??
      unexpected(endpoint, error)
    );
  }
  if (
    !raw ||
    typeof raw !== 'object' ||
    typeof raw.ApiVersion !== 'string' ||
    typeof raw.Version !== 'string'
  ) {
    throw notDockerError(endpoint, 'its /version answer has no ApiVersion');
  }
  const server: ServerVersion = {
    version: raw.Version,
    apiVersion: raw.ApiVersion,
    minApiVersion: typeof raw.MinAPIVersion === 'string' ? raw.MinAPIVersion : '1.12',
    os: typeof raw.Os === 'string' ? raw.Os : 'unknown',
    arch: typeof raw.Arch === 'string' ? raw.Arch : 'unknown',
    ...(typeof raw.KernelVersion === 'string' ? { kernelVersion: raw.KernelVersion } : {}),
  };
  const negotiated = negotiateApiVersion(
    { apiVersion: server.apiVersion, minApiVersion: server.minApiVersion },
    { min: MIN_API_VERSION, max: options.maxApiVersion ?? MAX_API_VERSION },
  );
  if (!negotiated.ok) {
    throw new DockerAccessError(
      'api-unsupported',
      `Cannot use the Docker daemon at ${endpoint.url}: ${negotiated.reason} (it runs Docker ${server.version}).`,
      ['Upgrade Docker Engine: https://docs.docker.com/engine/install/'],
    );
  }
  const docker = createDockerode(endpoint, negotiated.version);
  return {
    endpoint,
    docker,
    apiVersion: negotiated.version,
    server,
    deadline: (ms = CALL_TIMEOUT_MS) => deadline(options.signal, ms),
    async call<T>(fn: (abortSignal: AbortSignal) => Promise<T>, ms = CALL_TIMEOUT_MS): Promise<T> {
      const signal = deadline(options.signal, ms);
      try {
        return await fn(signal);
      } catch (error) {
        throw (
          classifyEngineError(error, endpoint, { timedOut: timedOut(signal), timeoutMs: ms }) ??
          error
        );
      }
    },
  };
}

/** Resolve the endpoint from the environment (once) and connect; every failure is a DockerAccessError. */
export async function connectFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: ConnectOptions = {},
): Promise<Engine> {
  const resolution = resolveEndpointFromProcess(env);
  if (!resolution.ok) throw configError(resolution.problem);
  return connectEngine(resolution.endpoint, options);
}

function unexpected(endpoint: Endpoint, error: unknown): Error {
  const status = statusOf(error);
  if (status !== undefined) return notDockerError(endpoint, `GET /version answered HTTP ${status}`);
  if ((error as { name?: string } | null)?.name === 'AbortError') return error as Error;
  return notDockerError(endpoint, error instanceof Error ? error.message : String(error));
}
