import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nodesEnv } from '../../src/sandbox/sandbox.js';
import { envLines } from '../../src/commands/env.js';

describe('the variables of a cluster sandbox', () => {
  const nodes = [
    { node: 'manager', dockerHost: 'tcp://127.0.0.1:40001', address: '10.9.0.4' },
    { node: 'worker1', dockerHost: 'tcp://127.0.0.1:40002', address: '10.9.0.2' },
  ];

  test('each node gives its daemon as NAME and its address as NAME_IP', () => {
    assert.deepEqual(nodesEnv(nodes), {
      MANAGER: 'tcp://127.0.0.1:40001',
      MANAGER_IP: '10.9.0.4',
      WORKER1: 'tcp://127.0.0.1:40002',
      WORKER1_IP: '10.9.0.2',
    });
  });

  test('a sandbox of one node has none', () => {
    assert.deepEqual(nodesEnv(nodes.slice(0, 1)), {});
  });

  test('docker-lab env sets them after DOCKER_HOST and unsets them on the way back', () => {
    const sh = envLines('tcp://127.0.0.1:40001', 'sh', nodesEnv(nodes));
    assert.deepEqual(sh.nodes, [
      'export MANAGER=tcp://127.0.0.1:40001',
      'export MANAGER_IP=10.9.0.4',
      'export WORKER1=tcp://127.0.0.1:40002',
      'export WORKER1_IP=10.9.0.2',
    ]);
    assert.deepEqual(sh.back, ['unset DOCKER_HOST MANAGER MANAGER_IP WORKER1 WORKER1_IP']);
    const fish = envLines('tcp://127.0.0.1:40001', 'fish', nodesEnv(nodes));
    assert.equal(fish.nodes[1], 'set -gx MANAGER_IP 10.9.0.4');
    assert.deepEqual(fish.back, ['set -e DOCKER_HOST MANAGER MANAGER_IP WORKER1 WORKER1_IP']);
  });
});
