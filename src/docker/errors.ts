/**
 * The one place that turns "could not talk to the daemon" into words for people: what
 * happened, where (endpoint and where it came from), and what to do, per platform where the
 * fix differs. No stack traces: callers print `message`.
 */
import { DockerLabError } from '../errors.js';
import { describeEndpoint, type Endpoint, type EndpointConfigProblem } from './endpoint.js';
import { codeOf, messageOf, statusOf } from './engine-error.js';

export type AccessProblemCode =
  | 'config' // the endpoint configuration itself is unusable (bad DOCKER_HOST, missing context, TLS files)
  | 'no-socket' // ENOENT: nothing at the socket path
  | 'daemon-stopped' // the socket file exists, nobody accepts
  | 'permission-denied' // EACCES on the socket
  | 'refused' // tcp: connection refused
  | 'timeout' // no answer within the deadline
  | 'host-unknown' // tcp: the name does not resolve
  | 'needs-tls' // plain HTTP sent to a TLS port
  | 'no-tls' // TLS sent to a plain HTTP port
  | 'tls' // certificate or handshake failure
  | 'not-docker' // something answered, but not a Docker daemon
  | 'api-unsupported'; // the daemon's API range and ours do not meet

export interface PlatformFix {
  linux: string[];
  macos: string[];
  windows: string[];
}

export type Platform = 'linux' | 'macos' | 'windows';

export function currentPlatform(platform: NodeJS.Platform = process.platform): Platform {
  return platform === 'darwin' ? 'macos' : platform === 'win32' ? 'windows' : 'linux';
}

/**
 * Docker is unreachable or unusable: an error for people (printed as its message alone, never
 * with a stack or a "this is a bug" note: it is not a bug), exit code 1.
 */
export class DockerAccessError extends DockerLabError {
  override name = 'DockerAccessError';
  constructor(
    readonly code: AccessProblemCode,
    /** What happened, one sentence with the endpoint and its source. */
    readonly summary: string,
    /** What to do, whatever the platform. */
    fix: string[],
    /** What to do on each platform, when that differs. */
    readonly platformFix?: PlatformFix,
    platform: Platform = currentPlatform(),
  ) {
    super({ what: summary, fix: [...fix, ...(platformFix?.[platform] ?? [])] }, 1);
    this.generalFix = fix;
  }
  /** The fix lines that hold on every platform. */
  readonly generalFix: string[];
}

/** The endpoint configuration is unusable (resolution failed). */
export function configError(problem: EndpointConfigProblem): DockerAccessError {
  return new DockerAccessError('config', problem.message, problem.fix);
}

/** Facts about the failed call that the error object alone does not carry. */
export interface FailureContext {
  /** Our own deadline fired (not the user's Ctrl-C). */
  timedOut?: boolean;
  timeoutMs?: number;
  /** Numeric uid of this process, for the permission message. */
  uid?: number;
}

const START_DAEMON: PlatformFix = {
  linux: [
    'Linux: start the daemon with "sudo systemctl start docker" (no systemd: "sudo dockerd &"); if Docker is not installed, install your distribution\'s docker.io package or follow https://docs.docker.com/engine/install/. Rootless Docker: "systemctl --user start docker".',
  ],
  macos: [
    'macOS: start Docker Desktop (or "colima start", or OrbStack) and wait until it reports that the engine is running.',
  ],
  windows: [
    "Windows: start Docker Desktop (WSL 2 backend) and run docker-lab inside WSL with Docker Desktop's WSL integration turned on for your distribution.",
  ],
};

const FIX_PERMISSION: PlatformFix = {
  linux: [
    'Linux: add your user to the docker group with "sudo usermod -aG docker $USER", then log out and back in (or run "newgrp docker") so the new group applies. Membership of the docker group is equivalent to root; rootless Docker avoids that: https://docs.docker.com/engine/security/rootless/',
  ],
  macos: [
    'macOS: the Docker Desktop socket belongs to the user who started Docker Desktop; run docker-lab as that user, or restart Docker Desktop.',
  ],
  windows: [
    "Windows (WSL): turn on Docker Desktop's WSL integration for this distribution, then restart the WSL shell.",
  ],
};

function elsewhereHint(endpoint: Endpoint): string[] {
  switch (endpoint.source) {
    case 'DOCKER_HOST':
      return [
        `If your daemon listens somewhere else, correct DOCKER_HOST (now "${endpoint.env.DOCKER_HOST}"), or unset it to use the local socket.`,
      ];
    case 'DOCKER_CONTEXT':
      return [
        `If the context "${endpoint.contextName}" is stale, set DOCKER_CONTEXT to another one (docker context ls) or unset it.`,
      ];
    case 'context':
      return [
        `If the context "${endpoint.contextName}" is stale, switch with "docker context use default" (docker context ls lists them).`,
      ];
    default:
      return [];
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_OSSL_PEM_NO_START_LINE',
]);

/**
 * A connection-level failure as a DockerAccessError, or undefined when the error is something
 * else (a 404 for a missing container, say), which callers handle themselves.
 */
export function classifyEngineError(
  error: unknown,
  endpoint: Endpoint,
  context: FailureContext = {},
): DockerAccessError | undefined {
  if (error instanceof DockerAccessError) return error;
  const where = `at ${describeEndpoint(endpoint)}`;
  const headline = (reason: string): string =>
    `Cannot reach the Docker daemon ${where}: ${reason}.`;
  const code = codeOf(error);
  const text = messageOf(error);
  const socket = endpoint.socketPath ?? '';
  const hostPort = `${endpoint.host}:${endpoint.port}`;

  if (context.timedOut || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    const seconds = context.timeoutMs ? ` within ${formatSeconds(context.timeoutMs)}` : '';
    return new DockerAccessError('timeout', headline(`no answer${seconds}`), [
      ...(endpoint.kind === 'tcp'
        ? [
            `Check that a Docker daemon listens on ${hostPort} and that no firewall drops the connection.`,
          ]
        : [
            'The daemon accepted the connection but did not answer: it may be starting, overloaded or hung; try again, then restart it.',
          ]),
      ...elsewhereHint(endpoint),
    ]);
  }
  if (endpoint.kind === 'unix') {
    if (code === 'ENOENT') {
      return new DockerAccessError(
        'no-socket',
        headline(
          `there is no socket at ${socket}, so no daemon is running there (or Docker is not installed)`,
        ),
        elsewhereHint(endpoint),
        START_DAEMON,
      );
    }
    if (code === 'ECONNREFUSED') {
      return new DockerAccessError(
        'daemon-stopped',
        headline(
          `the socket ${socket} exists but nothing answers on it: the daemon has stopped or crashed`,
        ),
        elsewhereHint(endpoint),
        START_DAEMON,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      const uid =
        context.uid ?? (typeof process.getuid === 'function' ? process.getuid() : undefined);
      return new DockerAccessError(
        'permission-denied',
        headline(
          `permission denied on ${socket}: this user${uid === undefined ? '' : ` (uid ${uid})`} may not use it`,
        ),
        elsewhereHint(endpoint),
        FIX_PERMISSION,
      );
    }
  } else {
    if (code === 'ECONNREFUSED') {
      return new DockerAccessError(
        'refused',
        headline(`connection refused: nothing listens on ${hostPort}`),
        [
          `Check the address and port: is a Docker daemon listening on ${hostPort}? A daemon serves TCP when started with "dockerd -H tcp://0.0.0.0:PORT"; for Docker-in-Docker, use the port its container publishes.`,
          ...elsewhereHint(endpoint),
        ],
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new DockerAccessError(
        'host-unknown',
        headline(`the host name "${endpoint.host}" does not resolve`),
        [
          `Check the spelling of "${endpoint.host}" and your DNS (in CI, the service's host name).`,
          ...elsewhereHint(endpoint),
        ],
      );
    }
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      return new DockerAccessError(
        'refused',
        headline(`the network cannot reach ${endpoint.host}`),
        ['Check the network route to the daemon (VPN, firewall).', ...elsewhereHint(endpoint)],
      );
    }
    if (
      code === 'EPROTO' ||
      code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
      /wrong version number/i.test(text)
    ) {
      return new DockerAccessError(
        'no-tls',
        headline('docker-lab spoke TLS but the daemon answers plain HTTP on this port'),
        ["Unset DOCKER_TLS_VERIFY and DOCKER_TLS (or use the daemon's TLS port, usually 2376)."],
      );
    }
    if ((code && TLS_CODES.has(code)) || /certificate|ssl|tls/i.test(text)) {
      return new DockerAccessError('tls', headline(`the TLS handshake failed (${code ?? text})`), [
        `Check that ${endpoint.tls?.certPath ?? 'DOCKER_CERT_PATH'} holds the CA that signed the daemon's certificate (ca.pem) and a client certificate it accepts (cert.pem, key.pem).`,
        'Certificates must name the host you connect to; regenerate them if the address changed.',
      ]);
    }
    if (code === 'ECONNRESET' && endpoint.tls) {
      return new DockerAccessError(
        'no-tls',
        headline(
          'the daemon closed the TLS connection: it probably does not speak TLS on this port',
        ),
        [
          'Unset DOCKER_TLS_VERIFY and DOCKER_TLS if the daemon listens without TLS, or use its TLS port (usually 2376).',
        ],
      );
    }
  }
  if (statusOf(error) === 400 && /HTTPS server/i.test(text)) {
    return new DockerAccessError(
      'needs-tls',
      headline('the daemon expects TLS on this port and docker-lab spoke plain HTTP'),
      [
        'Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the directory with ca.pem, cert.pem and key.pem.',
      ],
    );
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'HPE_INVALID_CONSTANT' ||
    code?.startsWith('HPE_')
  ) {
    return new DockerAccessError(
      'not-docker',
      headline(
        `the connection broke (${code}): what listens there does not behave like a Docker daemon`,
      ),
      elsewhereHint(endpoint),
    );
  }
  return undefined;
}

/** For a daemon that answered /version with something that is not Docker's answer. */
export function notDockerError(endpoint: Endpoint, detail: string): DockerAccessError {
  return new DockerAccessError(
    'not-docker',
    `Cannot use ${describeEndpoint(endpoint)}: what answers there is not a Docker daemon (${detail}).`,
    elsewhereHint(endpoint),
  );
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
