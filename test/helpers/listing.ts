import { execFileSync } from 'node:child_process';

/** Everything on a daemon, by id: what "the daemon is left as it was" compares. */
export function daemonListing(env: NodeJS.ProcessEnv = process.env): Record<string, string[]> {
  const list = (args: string[]) =>
    execFileSync('docker', args, { env, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  return {
    containers: list(['ps', '-aq', '--no-trunc']),
    images: list(['images', '-aq', '--no-trunc']),
    volumes: list(['volume', 'ls', '-q']),
    networks: list(['network', 'ls', '-q', '--no-trunc']),
  };
}
