/**
 * Everything `docker-lab doctor` finds out, as data: one item per question, each ok / warn /
 * fail / skip with a one-line summary and, when not ok, what to do. Rendering is elsewhere.
 * The course can run when no item failed: an unreachable registry is only a warning, because
 * offline stand-in images exist.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, hostname as osHostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER_IMAGE, HelperImageMissing } from '../docker/helper.js';
import { daemonSharing } from '../run/daemon-bridge.js';
import { findCompose } from '../run/compose-flavor.js';
import {
  describeEndpoint,
  dockerChildEnv,
  resolveEndpoint,
  nodeEndpointFs,
  type Endpoint,
  type EndpointFs,
  type StrategyOutcome,
} from '../docker/endpoint.js';
import {
  connectEngine,
  dockerInfo,
  MAX_API_VERSION,
  type DockerInfo,
  type Engine,
  type ServerVersion,
} from '../docker/client.js';
import { DockerAccessError, type PlatformFix } from '../docker/errors.js';
import { formatBytes, probeCommand, probeDisk, probePorts, probeRegistry } from './probes.js';

export type ItemStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type ItemId =
  | 'endpoint'
  | 'daemon'
  | 'cli'
  | 'storage'
  | 'cgroup'
  | 'architecture'
  | 'disk'
  | 'sharing'
  | 'ports'
  | 'compose'
  | 'registry';

export interface DoctorItem {
  id: ItemId;
  status: ItemStatus;
  summary: string;
  fix?: string[];
  platformFix?: PlatformFix;
}

export interface DoctorReport {
  /** The course can run: no item failed. */
  ok: boolean;
  endpoint?: Omit<Endpoint, 'env'> & { env: Record<string, string> };
  resolution: StrategyOutcome[];
  server?: ServerVersion;
  apiVersion?: string;
  items: DoctorItem[];
}

/** Host ports the course publishes: MySQL, registry, adminer/web, portainer (http, https). */
export const COURSE_PORTS = [3306, 5000, 8080, 9000, 9443] as const;

/** Below this much free space in the daemon's data root, warn: the course pulls/builds ~3 GB. */
const LOW_DISK_BYTES = 5e9;
const CRITICAL_DISK_BYTES = 5e8;

export interface DiagnoseOptions {
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  fs?: EndpointFs;
  home?: string;
  /** This machine's host name (to tell whether the daemon runs here). */
  hostname?: string;
  platform?: NodeJS.Platform;
  /** Deadline for reaching the daemon. */
  connectTimeoutMs?: number;
}

export async function diagnose(options: DiagnoseOptions): Promise<DoctorReport> {
  const { env, signal } = options;
  const resolution = resolveEndpoint({
    env,
    fs: options.fs ?? nodeEndpointFs,
    home: options.home ?? (env.HOME || homedir()),
  });
  const items: DoctorItem[] = [];
  const finish = (extra: Partial<DoctorReport> = {}): DoctorReport => ({
    ok: items.every((item) => item.status !== 'fail'),
    resolution: resolution.trail,
    ...extra,
    items,
  });

  if (!resolution.ok) {
    items.push({
      id: 'endpoint',
      status: 'fail',
      summary: resolution.problem.message,
      fix: resolution.problem.fix,
    });
    skipRest(items, 'no usable endpoint');
    return finish();
  }
  const endpoint = resolution.endpoint;
  items.push({ id: 'endpoint', status: 'ok', summary: describeEndpoint(endpoint) });

  let engine: Engine;
  try {
    engine = await connectEngine(endpoint, {
      ...(signal ? { signal } : {}),
      ...(options.connectTimeoutMs ? { timeoutMs: options.connectTimeoutMs } : {}),
    });
  } catch (error) {
    if (!(error instanceof DockerAccessError)) throw error;
    items.push({
      id: 'daemon',
      status: 'fail',
      summary: error.summary,
      fix: error.generalFix,
      ...(error.platformFix ? { platformFix: error.platformFix } : {}),
    });
    skipRest(items, 'the daemon is unreachable');
    return finish({ endpoint });
  }

  let info: DockerInfo;
  try {
    info = await engine.call((abortSignal) => dockerInfo(engine.docker, abortSignal));
  } catch (error) {
    const access = error instanceof DockerAccessError ? error : undefined;
    items.push({
      id: 'daemon',
      status: 'fail',
      summary:
        access?.summary ??
        `The daemon at ${endpoint.url} answered /version but not /info: ${(error as Error).message}`,
      ...(access ? { fix: access.generalFix } : {}),
    });
    skipRest(items, 'the daemon does not answer /info');
    return finish({ endpoint, server: engine.server, apiVersion: engine.apiVersion });
  }

  items.push(daemonItem(engine, info));
  const childEnv = dockerChildEnv(endpoint, env);
  const local = isLocalDaemon(
    info,
    options.hostname ?? osHostname(),
    options.platform ?? process.platform,
  );

  const sharing = await sharingItem(engine);
  const [cli, compose, ports, disk, registry] = await Promise.all([
    cliItem(childEnv, info, signal),
    composeItem(childEnv, signal),
    portsItem(engine, endpoint, sharing.bridged),
    diskItem(info, local),
    registryItem(info, env, signal),
  ]);
  items.push(
    cli,
    storageItem(info),
    cgroupItem(info),
    architectureItem(info),
    disk,
    sharing.item,
    ports,
    compose,
    registry,
  );
  return finish({ endpoint, server: engine.server, apiVersion: engine.apiVersion });
}

const LATER_ITEMS: ItemId[] = [
  'daemon',
  'cli',
  'storage',
  'cgroup',
  'architecture',
  'disk',
  'sharing',
  'ports',
  'compose',
  'registry',
];

function skipRest(items: DoctorItem[], reason: string): void {
  for (const id of LATER_ITEMS) {
    if (!items.some((item) => item.id === id))
      items.push({ id, status: 'skip', summary: `not checked: ${reason}` });
  }
}

/** The daemon runs on this machine (so its data root and our ports are ours to inspect). */
function isLocalDaemon(info: DockerInfo, hostname: string, platform: NodeJS.Platform): boolean {
  return platform === 'linux' && info.Name === hostname;
}

function daemonItem(engine: Engine, info: DockerInfo): DoctorItem {
  const { server } = engine;
  const api =
    engine.apiVersion === server.apiVersion
      ? `Engine API ${server.apiVersion}`
      : `Engine API ${server.apiVersion} (docker-lab speaks up to ${MAX_API_VERSION} and uses ${engine.apiVersion})`;
  const summary = `Docker Engine ${server.version} on ${server.os}/${server.arch}, ${api}`;
  if (info.OSType && info.OSType !== 'linux') {
    return {
      id: 'daemon',
      status: 'fail',
      summary: `${summary}: it runs ${info.OSType} containers and the course needs Linux containers`,
      fix: [
        'Docker Desktop: right-click the whale icon and choose "Switch to Linux containers...".',
      ],
    };
  }
  return { id: 'daemon', status: 'ok', summary };
}

async function cliItem(
  env: Record<string, string>,
  info: DockerInfo,
  signal?: AbortSignal,
): Promise<DoctorItem> {
  const [version, id] = await Promise.all([
    probeCommand('docker', ['version', '--format', '{{.Client.Version}}'], env, 10_000, signal),
    probeCommand('docker', ['info', '--format', '{{.ID}}'], env, 10_000, signal),
  ]);
  if (!version.found) {
    return {
      id: 'cli',
      status: 'fail',
      summary: 'the docker command is not installed, and the lessons run docker commands',
      platformFix: {
        linux: [
          'Linux: install the docker CLI (Debian/Ubuntu: sudo apt-get install docker.io; or https://docs.docker.com/engine/install/).',
        ],
        macos: ['macOS: install Docker Desktop, which puts docker in your PATH.'],
        windows: ['Windows: install Docker Desktop and turn on its WSL integration.'],
      },
    };
  }
  // `docker version` prints the client version even when the server part fails.
  const clientVersion = version.ok ? version.stdout : undefined;
  if (!id.found || !id.ok) {
    return {
      id: 'cli',
      status: 'fail',
      summary: `docker ${clientVersion ?? ''}`.trim() + ` cannot use the daemon: ${id.reason}`,
      fix: [
        'Run "docker info" with the same DOCKER_HOST to see the full error; an old docker CLI may need an upgrade.',
      ],
    };
  }
  if (info.ID && id.stdout !== info.ID) {
    return {
      id: 'cli',
      status: 'fail',
      summary:
        `docker ${clientVersion ?? ''} talks to another daemon (ID ${id.stdout}, expected ${info.ID})`.replace(
          '  ',
          ' ',
        ),
      fix: ['Check for a docker wrapper script or alias that sets its own --host or --context.'],
    };
  }
  return {
    id: 'cli',
    status: 'ok',
    summary: `docker ${clientVersion ?? '(version unknown)'}, talking to the same daemon`,
  };
}

function storageItem(info: DockerInfo): DoctorItem {
  const driver = info.Driver ?? 'unknown';
  if (driver === 'vfs') {
    return {
      id: 'storage',
      status: 'warn',
      summary: 'vfs: works, but copies every layer in full (slow, uses much disk)',
      fix: [
        'Use overlay2: set "storage-driver": "overlay2" in /etc/docker/daemon.json and restart the daemon (existing images must be pulled again).',
      ],
    };
  }
  if (driver === 'devicemapper' || driver === 'aufs') {
    return {
      id: 'storage',
      status: 'warn',
      summary: `${driver}: deprecated and removed from current Docker releases`,
      fix: [
        'Use overlay2: set "storage-driver": "overlay2" in /etc/docker/daemon.json and restart the daemon.',
      ],
    };
  }
  return { id: 'storage', status: 'ok', summary: driver };
}

function cgroupItem(info: DockerInfo): DoctorItem {
  const version = info.CgroupVersion ? `v${info.CgroupVersion}` : 'version unknown';
  const summary = `${version}${info.CgroupDriver ? ` (${info.CgroupDriver} driver)` : ''}`;
  if (info.MemoryLimit === false) {
    return {
      id: 'cgroup',
      status: 'warn',
      summary: `${summary}: memory limits are not supported, so --memory has no effect`,
      fix: [
        'Enable the memory cgroup controller (kernel parameter cgroup_enable=memory) and reboot.',
      ],
    };
  }
  return { id: 'cgroup', status: 'ok', summary };
}

function architectureItem(info: DockerInfo): DoctorItem {
  const arch = info.Architecture ?? 'unknown';
  if (['x86_64', 'amd64', 'aarch64', 'arm64'].includes(arch))
    return { id: 'architecture', status: 'ok', summary: arch };
  return {
    id: 'architecture',
    status: 'warn',
    summary: `${arch}: some of the course's images (MySQL, portainer) have no build for it`,
    fix: ['Use offline stand-ins built from your distribution: docker-lab images build-standins'],
  };
}

async function diskItem(info: DockerInfo, local: boolean): Promise<DoctorItem> {
  const root = info.DockerRootDir;
  if (!root)
    return {
      id: 'disk',
      status: 'skip',
      summary: 'unknown: the daemon does not report its data root',
    };
  if (!local)
    return {
      id: 'disk',
      status: 'skip',
      summary: `unknown: ${root} is on the daemon's machine, not this one`,
    };
  const disk = await probeDisk(root);
  if (!disk.ok) return { id: 'disk', status: 'skip', summary: `unknown: ${disk.reason}` };
  const summary = `${formatBytes(disk.freeBytes)} free in ${root}`;
  const fix = [
    'Free space: "docker system df" shows what Docker uses; remove what you no longer need, scoped (docker image rm NAME).',
  ];
  if (disk.freeBytes < CRITICAL_DISK_BYTES)
    return {
      id: 'disk',
      status: 'fail',
      summary: `${summary}: too little for the course's images`,
      fix,
    };
  if (disk.freeBytes < LOW_DISK_BYTES)
    return { id: 'disk', status: 'warn', summary: `${summary}: the course needs about 5 GB`, fix };
  return { id: 'disk', status: 'ok', summary };
}

/**
 * Where a lesson's files and published ports are, found out as a lesson run finds it (a helper
 * container looks for a file written here), so doctor and the runner never disagree.
 */
async function sharingItem(engine: Engine): Promise<{ item: DoctorItem; bridged: boolean }> {
  const { url, daemonHost } = engine.endpoint;
  const folder = await mkdtemp(join(tmpdir(), 'docker-lab-doctor-'));
  try {
    const sharing = await daemonSharing(engine, folder, { 'org.docker-lab.doctor': 'true' });
    const summary = {
      'local-socket':
        "a daemon on this machine (unix socket): lessons' folders and published ports are this machine's",
      'shares-files': `the daemon at ${url} sees this machine's files: lessons' folders are shared; published ports live on ${daemonHost}`,
      bridged: `the daemon at ${url} shares no folder with this machine: docker-lab keeps each lesson's working directory at the same path on the daemon's host and forwards the ports a lesson publishes to 127.0.0.1 here, through a ${HELPER_IMAGE} helper container`,
    }[sharing];
    return { item: { id: 'sharing', status: 'ok', summary }, bridged: sharing === 'bridged' };
  } catch (error) {
    return {
      item: {
        id: 'sharing',
        status: 'warn',
        summary:
          error instanceof HelperImageMissing
            ? `the daemon at ${url} shares no socket with this machine, and ${HELPER_IMAGE} is not on it: docker-lab cannot tell whether it shares files, and lessons cannot start there`
            : `could not find out whether the daemon at ${url} shares this machine's files: ${(error as Error).message}`,
        ...(error instanceof HelperImageMissing
          ? {
              fix: [
                `Put ${HELPER_IMAGE} on that daemon: docker-lab images pull, or offline docker-lab images build-standins (or images export here and images import there), with the same DOCKER_HOST.`,
              ],
            }
          : {}),
      },
      bridged: false,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function portsItem(
  engine: Engine,
  endpoint: Endpoint,
  bridged: boolean,
): Promise<DoctorItem> {
  // Bridged, the lesson's ports are forwarded here: this machine's loopback is where they must be free.
  if (endpoint.daemonHost !== '127.0.0.1' && !bridged) {
    return {
      id: 'ports',
      status: 'skip',
      summary: `not checked: published ports live on ${endpoint.daemonHost}, not on this machine`,
    };
  }
  const probes = await probePorts(COURSE_PORTS);
  const busy = probes.filter((probe) => !probe.free);
  if (busy.length === 0)
    return { id: 'ports', status: 'ok', summary: `${COURSE_PORTS.join(', ')} free on 127.0.0.1` };
  const owners = await publishedBy(engine);
  const described = busy.map((probe) => {
    const owner = owners.get(probe.port);
    if (owner) return `${probe.port} (published by container ${owner})`;
    return probe.code === 'EADDRINUSE'
      ? `${probe.port} (another program)`
      : `${probe.port} (${probe.code})`;
  });
  return {
    id: 'ports',
    status: 'warn',
    summary: `in use on 127.0.0.1: ${described.join(', ')}; lessons that publish ${busy.length === 1 ? 'it' : 'them'} will fail`,
    fix: [
      'Stop what uses the port (a container: docker stop NAME; a program: "sudo ss -ltnp" shows which), or publish the lesson\'s service on another host port.',
    ],
  };
}

/** Host port -> container name, for running containers that publish ports. */
async function publishedBy(engine: Engine): Promise<Map<number, string>> {
  const owners = new Map<number, string>();
  try {
    const containers = await engine.call((abortSignal) =>
      engine.docker.listContainers({ abortSignal } as object),
    );
    for (const container of containers) {
      for (const port of container.Ports ?? []) {
        if (port.PublicPort)
          owners.set(port.PublicPort, (container.Names?.[0] ?? container.Id).replace(/^\//, ''));
      }
    }
  } catch {
    // The owner is a nicety; the port being busy is the finding.
  }
  return owners;
}

async function composeItem(env: Record<string, string>, signal?: AbortSignal): Promise<DoctorItem> {
  const found = await findCompose(env, { timeoutMs: 5_000, ...(signal ? { signal } : {}) });
  if (found.flavor === 'v2')
    return { id: 'compose', status: 'ok', summary: `docker compose ${found.version} (v2)` };
  if (found.flavor === 'v1') {
    return {
      id: 'compose',
      status: 'ok',
      summary: `docker-compose ${found.version} (v1: lessons show and run docker-compose; v2 "docker compose" is current)`,
    };
  }
  return {
    id: 'compose',
    status: 'warn',
    summary:
      'neither "docker compose" (v2) nor "docker-compose" (v1) is installed: the compose lessons cannot run',
    platformFix: {
      linux: [
        "Linux: install the compose plugin (Docker's apt repository: sudo apt-get install docker-compose-plugin) or your distribution's docker-compose package.",
      ],
      macos: ['macOS: Docker Desktop includes "docker compose"; update it if it is missing.'],
      windows: ['Windows: Docker Desktop includes "docker compose"; update it if it is missing.'],
    },
  };
}

/** The daemon pulls from its mirrors first, then from the index's registry. */
export function registryTargets(
  info: DockerInfo,
  env: Record<string, string | undefined>,
): string[] {
  const override = env.DOCKER_LAB_REGISTRY_PROBE?.trim();
  if (override)
    return override
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean);
  const mirrors = [
    ...(info.RegistryConfig?.Mirrors ?? []),
    ...(info.RegistryConfig?.IndexConfigs?.['docker.io']?.Mirrors ?? []),
  ];
  const index = info.IndexServerAddress ?? 'https://index.docker.io/v1/';
  // Docker Hub's index address is not where images come from: pulls go to registry-1.
  const registry = /index\.docker\.io/.test(index)
    ? 'https://registry-1.docker.io'
    : new URL(index).origin;
  return [...new Set([...mirrors, registry])];
}

async function registryItem(
  info: DockerInfo,
  env: Record<string, string | undefined>,
  signal?: AbortSignal,
): Promise<DoctorItem> {
  let targets: string[];
  try {
    targets = registryTargets(info, env);
  } catch {
    targets = ['https://registry-1.docker.io'];
  }
  const probes = await Promise.all(targets.map((url) => probeRegistry(url, 3_000, signal)));
  const reachable = probes.find((probe) => probe.reachable);
  if (reachable)
    return {
      id: 'registry',
      status: 'ok',
      summary: `${reachable.url} reachable: images can be pulled`,
    };
  const reasons = probes
    .map((probe) => `${probe.url}: ${probe.reachable ? 'ok' : probe.reason}`)
    .join('; ');
  const proxy = info.HttpsProxy
    ? ` (the daemon uses the proxy ${info.HttpsProxy}; docker-lab probed directly)`
    : '';
  return {
    id: 'registry',
    status: 'warn',
    summary: `no registry reachable, so images cannot be pulled (${reasons})${proxy}`,
    fix: [
      'Configure a mirror you can reach in /etc/docker/daemon.json, e.g. { "registry-mirrors": ["https://mirror.example.com"] }, then restart the daemon (Docker Desktop: Settings > Docker Engine).',
      'Or work offline: "docker-lab images build-standins" builds stand-ins for the course\'s images from your distribution\'s packages, and "docker-lab images import FILE" loads them from a tarball.',
    ],
  };
}
