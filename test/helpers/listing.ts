import { execFileSync } from 'node:child_process';

/** What the tests themselves start (a DinD, a job container): not part of any daemon's state. */
const TEST_LABEL = 'label=docker-lab.test=true';

/**
 * Everything on a daemon, by id: what "the daemon is left as it was" compares. The tests' own
 * DinD and job containers, their anonymous volumes and networks, are left out: another test
 * file may start one meanwhile.
 */
export function daemonListing(env: NodeJS.ProcessEnv = process.env): Record<string, string[]> {
  const list = (args: string[]) =>
    execFileSync('docker', args, { env, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  const testContainers = list(['ps', '-aq', '--no-trunc', '--filter', TEST_LABEL]);
  const testVolumes = new Set(
    testContainers.length === 0
      ? []
      : list(['inspect', '-f', '{{range .Mounts}}{{println .Name}}{{end}}', ...testContainers]),
  );
  const testNetworks = new Set(list(['network', 'ls', '-q', '--no-trunc', '--filter', TEST_LABEL]));
  return {
    containers: list(['ps', '-aq', '--no-trunc']).filter((id) => !testContainers.includes(id)),
    images: list(['images', '-aq', '--no-trunc']),
    volumes: list(['volume', 'ls', '-q']).filter((name) => !testVolumes.has(name)),
    networks: list(['network', 'ls', '-q', '--no-trunc']).filter((id) => !testNetworks.has(id)),
    swarm: list(['info', '--format', '{{.Swarm.LocalNodeState}}']),
  };
}
