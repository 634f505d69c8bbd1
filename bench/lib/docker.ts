/**
 * The benchmarks' own Docker objects. The daemon is shared with other people's tests: every
 * object a benchmark makes is named with a prefix unique to the run (`dl-bench-...`), and
 * everything with that prefix is removed at the end, on failure and on Ctrl-C too. Nothing else
 * on the daemon is touched (no prune).
 */
import { execFileSync } from 'node:child_process';

export function docker(...args: string[]): string {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** `dl-bench-WHAT-` and a random part: no one else's object has this prefix. */
export function uniquePrefix(what: string): string {
  return `dl-bench-${what}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/** The objects whose name starts with `prefix`, as `type name` (none when all is clean). */
export function objectsNamed(prefix: string): string[] {
  const starts = (name: string): boolean => name.replace(/^\//, '').startsWith(prefix);
  // The Engine's name filters match anywhere in the name: keep those that start with it.
  const containers = lines(
    docker('ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}'),
  ).filter(starts);
  const networks = lines(
    docker('network', 'ls', '--filter', `name=${prefix}`, '--format', '{{.Name}}'),
  ).filter(starts);
  const volumes = lines(
    docker('volume', 'ls', '--filter', `name=${prefix}`, '--format', '{{.Name}}'),
  ).filter(starts);
  const images = lines(docker('images', '--format', '{{.Repository}}:{{.Tag}}')).filter(starts);
  return [
    ...containers.map((n) => `container ${n}`),
    ...networks.map((n) => `network ${n}`),
    ...volumes.map((n) => `volume ${n}`),
    ...images.map((n) => `image ${n}`),
  ];
}

/** Removes every object named with `prefix`, containers first; what fails is returned. */
export function removeNamed(prefix: string): string[] {
  const failed: string[] = [];
  const found = objectsNamed(prefix);
  const of = (type: string): string[] =>
    found.filter((o) => o.startsWith(`${type} `)).map((o) => o.slice(type.length + 1));
  const remove = (args: string[], names: string[]): void => {
    if (names.length === 0) return;
    try {
      docker(...args, ...names);
    } catch (error) {
      failed.push(`${args.join(' ')} ${names.join(' ')}: ${(error as Error).message}`);
    }
  };
  remove(['rm', '-f', '-v'], of('container'));
  remove(['network', 'rm'], of('network'));
  remove(['volume', 'rm', '-f'], of('volume'));
  remove(['rmi'], of('image'));
  return failed;
}
