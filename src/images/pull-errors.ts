/**
 * Why a pull failed, in words for people, and what to do: the daemon's message is precise but
 * cryptic ("dial tcp: lookup registry-1.docker.io ... no such host"). Pure: message in,
 * explanation out.
 */
import { splitReference } from './catalog.js';

export type PullProblem =
  | 'no-network' // the daemon cannot reach the registry at all
  | 'rate-limit' // Docker Hub's pull limit
  | 'unknown-image' // no such repository or tag (or private)
  | 'wrong-arch' // the image has no build for this machine's architecture
  | 'unauthorized' // the registry wants a login
  | 'interrupted' // the connection broke during the download
  | 'disk' // the daemon's disk is full
  | 'other';

export interface PullFailure {
  problem: PullProblem;
  /** What happened, one paragraph, with the daemon's own words at the end. */
  summary: string;
  fix: string[];
  /** Problems every further pull would hit too: stop after the first. */
  fatal: boolean;
}

/** `registry-1.docker.io` for Docker Hub names, else the registry the reference names. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const explicit =
    ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return explicit ? first : 'registry-1.docker.io';
}

function hubTagsUrl(repository: string): string {
  return repository.includes('/')
    ? `https://hub.docker.com/r/${repository}/tags`
    : `https://hub.docker.com/_/${repository}/tags`;
}

function loginCommand(registry: string): string {
  return registry === 'registry-1.docker.io' ? 'docker login' : `docker login ${registry}`;
}

const PATTERNS: Array<[PullProblem, RegExp]> = [
  ['rate-limit', /toomanyrequests|rate limit|too many requests/i],
  [
    'wrong-arch',
    /no matching manifest for|does not match the specified platform|no match for platform/i,
  ],
  ['disk', /no space left on device/i],
  [
    'unknown-image',
    /manifest unknown|manifest for \S+ not found|repository does not exist|pull access denied|name unknown|not found: manifest/i,
  ],
  ['unauthorized', /unauthorized|authentication required|denied: requested access/i],
  [
    'interrupted',
    /connection reset by peer|unexpected EOF|broken pipe|stream error|http2: |unexpected end/i,
  ],
  [
    'no-network',
    /no such host|dial tcp|i\/o timeout|network is unreachable|connection refused|TLS handshake timeout|Client\.Timeout|context deadline exceeded|server misbehaving|proxyconnect|no route to host|temporary failure in name resolution/i,
  ],
];

export function classifyPullProblem(message: string, statusCode?: number): PullProblem {
  if (statusCode === 429) return 'rate-limit';
  for (const [problem, pattern] of PATTERNS) if (pattern.test(message)) return problem;
  return 'other';
}

const MIRROR_FIX =
  'Use a registry mirror: in /etc/docker/daemon.json (Docker Desktop: Settings > Docker Engine) set ' +
  '{"registry-mirrors": ["https://your-mirror.example"]}, restart the daemon ' +
  '(sudo systemctl restart docker), then run "docker-lab images pull" again.';
const PROXY_FIX =
  'Behind an HTTP proxy: the daemon (not your shell) needs HTTP_PROXY/HTTPS_PROXY, e.g. in a ' +
  'systemd drop-in for docker.service: https://docs.docker.com/engine/daemon/proxy/';
const STANDINS_FIX =
  'Work offline: "docker-lab images build-standins" builds Debian-based stand-ins for the ' +
  "course's images from Debian's packages (no registry needed; Linux with mmdebstrap).";
const BUNDLE_FIX =
  'Or bring the images: on a connected machine run "docker-lab images export course.tar", ' +
  'copy the file, and here run "docker-lab images import course.tar".';

/** Explains a failed pull of `ref` on a daemon of architecture `arch` (e.g. "amd64"). */
export function explainPullFailure(
  ref: string,
  message: string,
  options: { statusCode?: number; arch?: string } = {},
): PullFailure {
  const problem = classifyPullProblem(message, options.statusCode);
  const registry = registryOf(ref);
  const daemonSays = `(the daemon said: ${message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim()})`;
  const { repository, tag } = splitReference(ref);
  switch (problem) {
    case 'no-network':
      return {
        problem,
        fatal: true,
        summary: `Cannot pull ${ref}: the Docker daemon cannot reach the registry ${registry} (no network, DNS, firewall or proxy) ${daemonSays}.`,
        fix: [MIRROR_FIX, PROXY_FIX, STANDINS_FIX, BUNDLE_FIX],
      };
    case 'rate-limit':
      return {
        problem,
        fatal: true,
        summary: `Cannot pull ${ref}: ${registry} refuses more pulls from this address for now (rate limit) ${daemonSays}.`,
        fix: [
          'Log in ("docker login"): Docker Hub allows a signed-in user more pulls; or wait (the limit counts over six hours).',
          MIRROR_FIX,
          STANDINS_FIX,
          BUNDLE_FIX,
        ],
      };
    case 'unknown-image':
      return {
        problem,
        fatal: false,
        summary: `Cannot pull ${ref}: ${registry} has no ${repository} with the tag "${tag}" (or it is private) ${daemonSays}.`,
        fix: [
          `Check the spelling of the name and tag; old tags get retired (mysql:5.7 is gone, use mysql:8.4).${registry === 'registry-1.docker.io' ? ` The tags: ${hubTagsUrl(repository)}` : ''}`,
          `A private repository needs "${loginCommand(registry)}" first.`,
        ],
      };
    case 'wrong-arch':
      return {
        problem,
        fatal: false,
        summary: `Cannot pull ${ref}: it has no build for this machine's architecture${options.arch ? ` (${options.arch})` : ''} ${daemonSays}.`,
        fix: [
          'Choose a tag that is built for it (mysql:8.4 has arm64 builds; mysql:5.7 never had).',
          'Or run the other architecture under emulation: docker pull --platform linux/amd64 (slow; needs binfmt/QEMU).',
          "Stand-ins are built for this machine's own architecture: docker-lab images build-standins",
        ],
      };
    case 'unauthorized':
      return {
        problem,
        fatal: false,
        summary: `Cannot pull ${ref}: ${registry} wants you to log in ${daemonSays}.`,
        fix: [`Log in with "${loginCommand(registry)}" and run this again.`],
      };
    case 'interrupted':
      return {
        problem,
        fatal: false,
        summary: `The download of ${ref} broke off ${daemonSays}.`,
        fix: [
          'Run "docker-lab images pull" again: layers already downloaded are kept.',
          'If it keeps breaking, the network is unreliable: a registry mirror or the offline options help.',
          STANDINS_FIX,
        ],
      };
    case 'disk':
      return {
        problem,
        fatal: true,
        summary: `Cannot pull ${ref}: the Docker daemon's disk is full ${daemonSays}.`,
        fix: [
          'See what uses the space with "docker system df", then remove images and containers of your own that you no longer need.',
        ],
      };
    default:
      return {
        problem,
        fatal: false,
        summary: `Cannot pull ${ref} ${daemonSays}.`,
        fix: [STANDINS_FIX, BUNDLE_FIX],
      };
  }
}
