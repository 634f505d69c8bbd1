/**
 * Which Docker daemon to talk to, decided once, the way the `docker` CLI decides it:
 * DOCKER_HOST, then DOCKER_CONTEXT, then the CLI's current context, then the default, rootless
 * and Docker Desktop sockets. The result carries the environment every `docker` child must get,
 * so dockerode and the CLI can never talk to two different daemons.
 *
 * Pure logic: environment, home directory and file system are passed in (see `nodeEndpointFs`
 * for the real ones), so every case is testable with fakes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type EndpointSource =
  | 'DOCKER_HOST'
  | 'DOCKER_CONTEXT'
  | 'context'
  | 'default-socket'
  | 'rootless-socket'
  | 'desktop-socket';

export interface EndpointTls {
  /** false: encrypted but the server certificate is not checked (DOCKER_TLS / SkipTLSVerify). */
  verify: boolean;
  /** Directory holding ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH for the CLI). */
  certPath: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface Endpoint {
  kind: 'unix' | 'tcp';
  socketPath?: string;
  host?: string;
  port?: number;
  tls?: EndpointTls;
  source: EndpointSource;
  /** The context the endpoint came from (source DOCKER_CONTEXT or context). */
  contextName?: string;
  /** Where published ports are reachable: the host of a tcp endpoint, else the loopback address. */
  daemonHost: string;
  /** The endpoint as a DOCKER_HOST URL, e.g. unix:///var/run/docker.sock, tcp://10.0.0.5:2376. */
  url: string;
  /** Variables to set for every `docker` child; apply with `dockerChildEnv`. */
  env: Record<string, string>;
}

/** One strategy's verdict, for `docker-lab doctor`: used, skipped (and why), or failed (and why). */
export interface StrategyOutcome {
  source: EndpointSource;
  status: 'used' | 'skipped' | 'failed';
  detail: string;
}

/** A strategy applied but its configuration is unusable (the CLI would refuse it too). */
export interface EndpointConfigProblem {
  source: EndpointSource;
  contextName?: string;
  /** What is wrong, as a sentence. */
  message: string;
  /** What to do, one action per line. */
  fix: string[];
}

export type Resolution =
  | { ok: true; endpoint: Endpoint; trail: StrategyOutcome[] }
  | { ok: false; problem: EndpointConfigProblem; trail: StrategyOutcome[] };

/** The file system as endpoint resolution needs it; injectable for tests. */
export interface EndpointFs {
  /** File contents, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /** True when something (file, socket, directory) exists at path. */
  exists(path: string): boolean;
}

export interface ResolveInput {
  env: Record<string, string | undefined>;
  fs: EndpointFs;
  /** The user's home directory (~). */
  home: string;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const LOOPBACK = '127.0.0.1';

/** Variables that choose a daemon; stripped from the base environment of every `docker` child. */
export const ENDPOINT_ENV_VARS = [
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_TLS',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
] as const;

export const nodeEndpointFs: EndpointFs = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(path) {
    try {
      statSync(path);
      return true;
    } catch {
      return existsSync(path);
    }
  },
};

/** Resolve with the real environment, home directory and file system. */
export function resolveEndpointFromProcess(
  env: Record<string, string | undefined> = process.env,
): Resolution {
  return resolveEndpoint({ env, fs: nodeEndpointFs, home: env.HOME || homedir() });
}

/** The full environment for a `docker` child: base minus daemon-choosing variables, plus ours. */
export function dockerChildEnv(
  endpoint: Endpoint,
  base: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !(ENDPOINT_ENV_VARS as readonly string[]).includes(key)) {
      env[key] = value;
    }
  }
  return { ...env, ...endpoint.env };
}

/** A short description for people: "unix:///var/run/docker.sock (from DOCKER_HOST)". */
export function describeEndpoint(endpoint: Endpoint): string {
  return `${endpoint.url} (${describeSource(endpoint.source, endpoint.contextName)})`;
}

export function describeSource(source: EndpointSource, contextName?: string): string {
  switch (source) {
    case 'DOCKER_HOST':
      return 'from DOCKER_HOST';
    case 'DOCKER_CONTEXT':
      return `from DOCKER_CONTEXT, context "${contextName ?? ''}"`;
    case 'context':
      return `from the docker CLI's current context "${contextName ?? ''}"`;
    case 'default-socket':
      return 'the default socket';
    case 'rootless-socket':
      return 'the rootless Docker socket';
    case 'desktop-socket':
      return 'the Docker Desktop socket';
  }
}

/** The docker CLI's configuration directory: $DOCKER_CONFIG or ~/.docker. */
export function dockerConfigDir(input: Pick<ResolveInput, 'env' | 'home'>): string {
  return input.env.DOCKER_CONFIG || join(input.home, '.docker');
}

/** Where the CLI keeps a context's metadata: contexts/meta/<sha256(name)>/meta.json. */
export function contextMetaPath(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'meta', sha256(name), 'meta.json');
}

/** Where the CLI keeps a context's TLS material for the docker endpoint. */
export function contextTlsDir(configDir: string, name: string): string {
  return join(configDir, 'contexts', 'tls', sha256(name), 'docker');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type StrategyResult =
  | { status: 'used'; endpoint: Endpoint; detail: string }
  | { status: 'skipped'; detail: string }
  | { status: 'failed'; problem: EndpointConfigProblem };

type Strategy = { source: EndpointSource; run: (input: ResolveInput) => StrategyResult };

/** The order the docker CLI uses, followed by the sockets a local install may have put down. */
export const STRATEGIES: readonly Strategy[] = [
  { source: 'DOCKER_HOST', run: fromDockerHost },
  { source: 'DOCKER_CONTEXT', run: fromDockerContextEnv },
  { source: 'context', run: fromCurrentContext },
  { source: 'default-socket', run: (input) => fromSocket(input, 'default-socket') },
  { source: 'rootless-socket', run: (input) => fromSocket(input, 'rootless-socket') },
  { source: 'desktop-socket', run: (input) => fromSocket(input, 'desktop-socket') },
];

export function resolveEndpoint(input: ResolveInput): Resolution {
  const trail: StrategyOutcome[] = [];
  for (const strategy of STRATEGIES) {
    const result = strategy.run(input);
    if (result.status === 'used') {
      trail.push({ source: strategy.source, status: 'used', detail: result.detail });
      return { ok: true, endpoint: result.endpoint, trail };
    }
    if (result.status === 'failed') {
      trail.push({ source: strategy.source, status: 'failed', detail: result.problem.message });
      return { ok: false, problem: result.problem, trail };
    }
    trail.push({ source: strategy.source, status: 'skipped', detail: result.detail });
  }
  // No socket exists anywhere: use the default one, as the CLI does; connecting to it then
  // fails with "no such socket", which is the precise diagnosis (no daemon installed/running).
  const endpoint = unixEndpoint(DEFAULT_SOCKET, 'default-socket');
  trail.push({
    source: 'default-socket',
    status: 'used',
    detail: `no socket found anywhere; falling back to ${DEFAULT_SOCKET} like the docker CLI`,
  });
  return { ok: true, endpoint, trail };
}

function fromDockerHost(input: ResolveInput): StrategyResult {
  const value = input.env.DOCKER_HOST?.trim();
  if (!value) return { status: 'skipped', detail: 'DOCKER_HOST is not set' };
  return fromHostUrl(
    value,
    input,
    { source: 'DOCKER_HOST', tls: tlsFromEnv(input) },
    'DOCKER_HOST',
  );
}

function fromDockerContextEnv(input: ResolveInput): StrategyResult {
  const name = input.env.DOCKER_CONTEXT?.trim();
  if (!name) return { status: 'skipped', detail: 'DOCKER_CONTEXT is not set' };
  if (name === 'default') {
    return { status: 'skipped', detail: 'DOCKER_CONTEXT is "default": the local sockets apply' };
  }
  return fromContext(name, 'DOCKER_CONTEXT', input);
}

function fromCurrentContext(input: ResolveInput): StrategyResult {
  const configDir = dockerConfigDir(input);
  const configPath = join(configDir, 'config.json');
  const text = input.fs.readText(configPath);
  if (text === undefined)
    return {
      status: 'skipped',
      detail: `no docker CLI configuration at ${configPath}, so no current context`,
    };
  let name: unknown;
  try {
    name = (JSON.parse(text) as { currentContext?: unknown }).currentContext;
  } catch (error) {
    return {
      status: 'failed',
      problem: {
        source: 'context',
        message: `${configPath} is not valid JSON (${(error as Error).message}), so the docker CLI cannot read it either.`,
        fix: [`Fix or remove ${configPath}.`],
      },
    };
  }
  if (typeof name !== 'string' || name === '') {
    return { status: 'skipped', detail: `${configPath} names no current context` };
  }
  if (name === 'default') {
    return {
      status: 'skipped',
      detail: 'the current context is "default": the local sockets apply',
    };
  }
  return fromContext(name, 'context', input);
}

interface ContextMeta {
  Name?: unknown;
  Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
}

function fromContext(
  name: string,
  source: 'DOCKER_CONTEXT' | 'context',
  input: ResolveInput,
): StrategyResult {
  const configDir = dockerConfigDir(input);
  const metaPath = contextMetaPath(configDir, name);
  const origin =
    source === 'DOCKER_CONTEXT'
      ? 'DOCKER_CONTEXT'
      : `currentContext in ${join(configDir, 'config.json')}`;
  const failed = (message: string, fix: string[]): StrategyResult => ({
    status: 'failed',
    problem: { source, contextName: name, message, fix },
  });
  const text = input.fs.readText(metaPath);
  if (text === undefined) {
    return failed(
      `The docker context "${name}" (named by ${origin}) does not exist: there is no ${metaPath}.`,
      [
        'List the contexts with: docker context ls',
        source === 'DOCKER_CONTEXT'
          ? 'Set DOCKER_CONTEXT to one of them, or unset it.'
          : 'Switch to one of them with: docker context use <name>',
      ],
    );
  }
  let meta: ContextMeta;
  try {
    meta = JSON.parse(text) as ContextMeta;
  } catch (error) {
    return failed(
      `The metadata of docker context "${name}" (${metaPath}) is not valid JSON: ${(error as Error).message}.`,
      [
        `Recreate the context: docker context rm ${name} && docker context create ${name} --docker host=...`,
      ],
    );
  }
  const host = meta.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || host === '') {
    // The CLI treats a context without a docker host as the default local socket.
    const endpoint = unixEndpoint(DEFAULT_SOCKET, source, name);
    return {
      status: 'used',
      endpoint,
      detail: `context "${name}" names no docker host, so ${endpoint.url} applies`,
    };
  }
  const skipVerify = meta.Endpoints?.docker?.SkipTLSVerify === true;
  const tlsDir = contextTlsDir(configDir, name);
  const tls = tlsFromDir(input, tlsDir, !skipVerify);
  return fromHostUrl(
    host,
    input,
    { source, contextName: name, tls: tls ?? undefined },
    `context "${name}"`,
  );
}

interface Origin {
  source: EndpointSource;
  contextName?: string;
  tls?: TlsRequest | undefined;
}

/** TLS as configured, before checking that its files exist. */
interface TlsRequest {
  verify: boolean;
  certPath: string;
  /** Whether the setting insists on TLS even without files (DOCKER_TLS_VERIFY, DOCKER_TLS). */
  explicit: boolean;
}

function tlsFromEnv(input: ResolveInput): TlsRequest | undefined {
  // Like the CLI: any non-empty value switches TLS on (even "0").
  const verify = Boolean(input.env.DOCKER_TLS_VERIFY);
  const tls = Boolean(input.env.DOCKER_TLS);
  if (!verify && !tls) return undefined;
  return { verify, certPath: input.env.DOCKER_CERT_PATH || dockerConfigDir(input), explicit: true };
}

function tlsFromDir(input: ResolveInput, dir: string, verify: boolean): TlsRequest | null {
  const any = ['ca.pem', 'cert.pem', 'key.pem'].some((file) => input.fs.exists(join(dir, file)));
  return any ? { verify, certPath: dir, explicit: false } : null;
}

function fromHostUrl(
  raw: string,
  input: ResolveInput,
  origin: Origin,
  label: string,
): StrategyResult {
  const failed = (message: string, fix: string[]): StrategyResult => ({
    status: 'failed',
    problem: {
      source: origin.source,
      ...(origin.contextName ? { contextName: origin.contextName } : {}),
      message,
      fix,
    },
  });
  const schemeAt = raw.indexOf('://');
  const scheme = schemeAt < 0 ? 'tcp' : raw.slice(0, schemeAt).toLowerCase();
  const rest = schemeAt < 0 ? raw : raw.slice(schemeAt + 3);
  const where = `${label} is "${raw}"`;

  if (scheme === 'unix') {
    const socketPath = rest || DEFAULT_SOCKET;
    const endpoint = unixEndpoint(socketPath, origin.source, origin.contextName);
    return { status: 'used', endpoint, detail: `${label} names ${endpoint.url}` };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(`tcp://${rest}`);
    } catch {
      return failed(`${where}, which is not a valid address.`, [
        'Use the form tcp://HOST:PORT (for example tcp://127.0.0.1:2375) or unix:///path/to/docker.sock.',
      ]);
    }
    if (!url.hostname) {
      return failed(`${where}, which names no host.`, [
        'Use the form tcp://HOST:PORT, for example tcp://127.0.0.1:2375.',
      ]);
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    // The CLI's default port is 2375 whatever the TLS setting.
    const port = url.port ? Number(url.port) : 2375;
    let tls: EndpointTls | undefined;
    if (origin.tls) {
      const checked = checkTlsFiles(input, origin.tls);
      if ('missing' in checked) {
        const setting =
          origin.source === 'DOCKER_HOST' ? 'DOCKER_CERT_PATH' : `the TLS material of ${label}`;
        return failed(
          `TLS is on for ${raw} (${origin.source === 'DOCKER_HOST' ? (input.env.DOCKER_TLS_VERIFY ? 'DOCKER_TLS_VERIFY is set' : 'DOCKER_TLS is set') : label}) but ${checked.missing.join(', ')} ${checked.missing.length === 1 ? 'is' : 'are'} missing in ${origin.tls.certPath} (${setting}).`,
          [
            `Put the daemon's ca.pem (and your cert.pem and key.pem) in ${origin.tls.certPath}, or point DOCKER_CERT_PATH at the directory that has them.`,
            'If the daemon does not use TLS, unset DOCKER_TLS_VERIFY and DOCKER_TLS.',
          ],
        );
      }
      tls = checked;
    }
    const endpoint = tcpEndpoint(host, port, tls, origin.source, origin.contextName);
    return {
      status: 'used',
      endpoint,
      detail: `${label} names ${endpoint.url}${tls ? (tls.verify ? ' with TLS' : ' with TLS (server not verified)') : ''}`,
    };
  }
  if (scheme === 'ssh') {
    return failed(`${where}: ssh:// endpoints are not supported by docker-lab.`, [
      'Forward the remote socket and point DOCKER_HOST at it, e.g.: ssh -NL /tmp/remote-docker.sock:/var/run/docker.sock user@host & then DOCKER_HOST=unix:///tmp/remote-docker.sock',
    ]);
  }
  if (scheme === 'npipe') {
    return failed(`${where}: Windows named pipes are not supported by docker-lab.`, [
      "Run docker-lab inside WSL 2 with Docker Desktop's WSL integration turned on, or expose the daemon on tcp://localhost:2375 and set DOCKER_HOST to it.",
    ]);
  }
  return failed(`${where}, whose scheme "${scheme}://" is unknown.`, [
    'Use unix:///path/to/docker.sock or tcp://HOST:PORT.',
  ]);
}

function checkTlsFiles(input: ResolveInput, tls: TlsRequest): EndpointTls | { missing: string[] } {
  const file = (name: string): string | undefined => {
    const path = join(tls.certPath, name);
    return input.fs.exists(path) ? path : undefined;
  };
  const caFile = file('ca.pem');
  const certFile = file('cert.pem');
  const keyFile = file('key.pem');
  const missing: string[] = [];
  // Verifying needs the CA; a client certificate needs both halves.
  if (tls.verify && !caFile) missing.push('ca.pem');
  if (certFile && !keyFile) missing.push('key.pem');
  if (keyFile && !certFile) missing.push('cert.pem');
  if (tls.explicit && tls.verify && !certFile && !keyFile && !caFile) {
    missing.splice(0, missing.length, 'ca.pem', 'cert.pem', 'key.pem');
  }
  if (missing.length > 0) return { missing };
  return {
    verify: tls.verify,
    certPath: tls.certPath,
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
  };
}

function socketCandidate(
  input: ResolveInput,
  source: 'default-socket' | 'rootless-socket' | 'desktop-socket',
): { paths: string[]; unset?: string } {
  switch (source) {
    case 'default-socket':
      return { paths: [DEFAULT_SOCKET] };
    case 'rootless-socket': {
      const runtime = input.env.XDG_RUNTIME_DIR;
      if (!runtime)
        return {
          paths: [],
          unset: 'XDG_RUNTIME_DIR is not set, so there is no rootless socket to try',
        };
      return { paths: [join(runtime, 'docker.sock')] };
    }
    case 'desktop-socket':
      return {
        paths: [
          join(input.home, '.docker', 'run', 'docker.sock'),
          join(input.home, '.docker', 'desktop', 'docker.sock'),
        ],
      };
  }
}

function fromSocket(
  input: ResolveInput,
  kind: 'default-socket' | 'rootless-socket' | 'desktop-socket',
): StrategyResult {
  const candidate = socketCandidate(input, kind);
  if (candidate.unset) return { status: 'skipped', detail: candidate.unset };
  const what = describeSource(kind);
  for (const path of candidate.paths) {
    if (input.fs.exists(path)) {
      return {
        status: 'used',
        endpoint: unixEndpoint(path, kind),
        detail: `${what} ${path} exists`,
      };
    }
  }
  return {
    status: 'skipped',
    detail: `no ${what.replace(/^the /, '')} at ${candidate.paths.join(' or ')}`,
  };
}

function unixEndpoint(socketPath: string, source: EndpointSource, contextName?: string): Endpoint {
  const url = `unix://${socketPath}`;
  return {
    kind: 'unix',
    socketPath,
    source,
    ...(contextName ? { contextName } : {}),
    daemonHost: LOOPBACK,
    url,
    env: { DOCKER_HOST: url },
  };
}

function tcpEndpoint(
  host: string,
  port: number,
  tls: EndpointTls | undefined,
  source: EndpointSource,
  contextName?: string,
): Endpoint {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const url = `tcp://${hostPart}:${port}`;
  const env: Record<string, string> = { DOCKER_HOST: url };
  if (tls) {
    if (tls.verify) env.DOCKER_TLS_VERIFY = '1';
    else env.DOCKER_TLS = '1';
    env.DOCKER_CERT_PATH = tls.certPath;
  }
  return {
    kind: 'tcp',
    host,
    port,
    ...(tls ? { tls } : {}),
    source,
    ...(contextName ? { contextName } : {}),
    daemonHost: isLoopbackName(host) ? LOOPBACK : host,
    url,
    env,
  };
}

/** "localhost" may resolve to ::1 first while Docker publishes on 127.0.0.1: use the address. */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '0.0.0.0';
}
