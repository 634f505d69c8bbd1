import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import Dockerode from 'dockerode';
import { startLedger } from '../../src/docker/ledger.js';
import { requireDaemon } from '../helpers/daemon.js';
import { startDind } from '../helpers/dind.js';
import { ensureBusyboxImage } from '../helpers/images.js';

// Swarm mode would disturb everything else on the shared daemon: this runs on a daemon of its own.
test('a lesson that turns swarm mode on leaves it at cleanup, after removing its services', async (t) => {
  await requireDaemon();
  const image = await ensureBusyboxImage();
  const dind = await startDind();
  t.after(() => dind.remove());
  const env = { ...process.env, DOCKER_HOST: dind.dockerHost, DOCKER_CONTEXT: '' };
  const docker = (args: string[]) =>
    execFileSync('docker', args, { env, encoding: 'utf8', timeout: 60_000 });
  execFileSync(
    'sh',
    ['-c', `docker save ${image} | DOCKER_HOST=${dind.dockerHost} docker load -q`],
    { stdio: 'ignore' },
  );
  const engine = new Dockerode({ host: '127.0.0.1', port: dind.port });

  const ledger = await startLedger(engine);
  docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  docker([
    'service',
    'create',
    '--detach',
    '--name',
    'dl-swarm-web',
    '--replicas',
    '1',
    image,
    'sleep',
    '600',
  ]);
  const result = await ledger.cleanup();
  await ledger.stop();

  assert.deepEqual(result.failed, []);
  assert.deepEqual(
    result.removed
      .filter((r) => r.type === 'service' || r.type === 'swarm')
      .map((r) => `${r.type} ${r.name}`),
    ['service dl-swarm-web', 'swarm swarm mode'],
  );
  assert.equal(docker(['info', '--format', '{{.Swarm.LocalNodeState}}']).trim(), 'inactive');
  // Leaving removes the swarm's networks a moment later; cleanup waits for that.
  assert.equal(docker(['network', 'ls', '-q', '--filter', 'scope=swarm']).trim(), '');
});

test('a lesson that leaves its swarm itself still takes the docker_gwbridge its swarm made, on a daemon that never had one', async (t) => {
  await requireDaemon();
  const dind = await startDind();
  t.after(() => dind.remove());
  const env = { ...process.env, DOCKER_HOST: dind.dockerHost, DOCKER_CONTEXT: '' };
  const docker = (args: string[]) =>
    execFileSync('docker', args, { env, encoding: 'utf8', timeout: 60_000 });
  const networks = () =>
    docker(['network', 'ls', '--format', '{{.Name}}']).split('\n').filter(Boolean).sort();
  const before = networks();
  assert.ok(!before.includes('docker_gwbridge'), 'a fresh daemon has no docker_gwbridge');
  const engine = new Dockerode({ host: '127.0.0.1', port: dind.port });
  const ledger = await startLedger(engine);
  const image = await ensureBusyboxImage();
  execFileSync(
    'sh',
    ['-c', `docker save ${image} | DOCKER_HOST=${dind.dockerHost} docker load -q`],
    {
      stdio: 'ignore',
    },
  );
  docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  // The bridge appears when the first task joins the swarm's networks.
  docker(['service', 'create', '--detach', '--name', 'dl-gw', image, 'sleep', '600']);
  for (let i = 0; i < 100 && !networks().includes('docker_gwbridge'); i++)
    await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(networks().includes('docker_gwbridge'), 'the swarm made docker_gwbridge');
  docker(['service', 'rm', 'dl-gw']);
  docker(['swarm', 'leave', '--force']);
  const result = await ledger.cleanup();
  await ledger.stop();
  assert.deepEqual(result.failed, []);
  assert.deepEqual(networks(), before, 'the daemon ends with the networks it began with');
});
