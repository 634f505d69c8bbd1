/**
 * The `compose` and `service` check kinds. Compose projects are made by the real docker-compose
 * (v1 here), so the labels the check reads are the ones compose writes. Swarm services run on a
 * second daemon in a container (Docker-in-Docker): `docker swarm init` on the shared daemon
 * would disturb the other tests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { requireDaemon } from '../../helpers/daemon.js';
import { startDind, type Dind } from '../../helpers/dind.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../../helpers/images.js';
import {
  checkContext,
  removeAll,
  uniqueName,
  waitFor,
  verdict,
} from '../../helpers/kind-context.js';
import { composeKind, PROJECT_LABEL } from '../../../src/checks/kinds/compose.js';
import { serviceKind } from '../../../src/checks/kinds/service.js';

const run = promisify(execFile);
const docker = new Dockerode();
const ctx = () => checkContext(docker);

describe('compose', () => {
  const project = uniqueName('dltestcompose');
  let dir = '';

  before(async () => {
    await requireDaemon();
    await ensureBusyboxImage();
    dir = await mkdtemp(join(tmpdir(), 'dl-test-compose-'));
    await writeFile(
      join(dir, 'docker-compose.yml'),
      [
        "version: '3'",
        'services:',
        '  web:',
        `    image: ${BUSYBOX_IMAGE}`,
        '    command: ["sleep", "600"]',
        '    labels: { docker-lab.test: "true" }',
        '  job:',
        `    image: ${BUSYBOX_IMAGE}`,
        '    command: ["sh", "-c", "exit 3"]',
        '    labels: { docker-lab.test: "true" }',
        '',
      ].join('\n'),
    );
    await run('docker-compose', ['-p', project, 'up', '-d'], { cwd: dir, timeout: 120_000 });
    // `job` exits at once; wait until it has, so `running` is settled.
    for (let i = 0; i < 50; i++) {
      const all = await docker.listContainers({
        filters: { label: [`${PROJECT_LABEL}=${project}`] },
      });
      if (all.length === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(async () => {
    const all = await docker.listContainers({
      all: true,
      filters: { label: [`${PROJECT_LABEL}=${project}`] },
    });
    await removeAll(docker, { containers: all.map((c) => c.Id), networks: [`${project}_default`] });
    await rm(dir, { recursive: true, force: true });
  });

  test('lists the project’s services and the running ones, from compose’s labels', async () => {
    const observation = await composeKind.evaluate(
      { project, services: ['job', 'web'], running: ['web'] },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `compose project ${project}`,
      pass: true,
      mismatches: [],
    });
  });

  test('a service’s state', async () => {
    const web = await composeKind.evaluate({ project, service: 'web', state: 'running' }, ctx());
    assert.equal(web.pass, true, JSON.stringify(web));
    assert.equal(web.subject, `compose project ${project}, service web`);

    const job = await composeKind.evaluate({ project, service: 'job', state: 'running' }, ctx());
    assert.deepEqual(job.mismatches, [
      { field: 'state', expected: 'equals "running"', actual: 'exited' },
    ]);
    assert.equal(job.fix, 'See why it is not running: docker compose logs job');
    const snapshot = await job.collectSnapshot?.(AbortSignal.timeout(10_000));
    assert.equal(snapshot?.status, 'exited');
    assert.equal(snapshot?.exitCode, 3);
  });

  test('reports what differs; a service without containers has no state', async () => {
    const observation = await composeKind.evaluate(
      {
        project,
        services: { contains: 'db' },
        running: { containsElement: 'job' },
        service: 'db',
        state: 'running',
      },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'services', expected: 'contains "db"', actual: ['job', 'web'] },
      { field: 'running', expected: 'has an element that (equals "job")', actual: ['web'] },
      { field: 'state', expected: 'equals "running"', actual: 'no container' },
    ]);
  });

  test('a project that was never started has no services', async () => {
    const missing = uniqueName('dltestnoproject');
    const observation = await composeKind.evaluate(
      { project: missing, services: { length: { gte: 1 } } },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `compose project ${missing}`,
      pass: false,
      mismatches: [{ field: 'services', expected: 'has a length that (>= 1)', actual: [] }],
      fix: 'Start the project: docker compose up -d (in the directory of its compose file)',
    });
  });
});

describe('service (swarm, on a daemon in a container)', { timeout: 240_000 }, () => {
  let dind: Dind | undefined;
  let inner: Dockerode;
  const innerCtx = () => checkContext(inner);

  before(async () => {
    await requireDaemon();
    await ensureBusyboxImage();
    dind = await startDind();
    inner = new Dockerode({ host: '127.0.0.1', port: dind.port });
    // Nothing can be pulled: the inner daemon gets the test image from the outer one.
    const tar = await docker.getImage(BUSYBOX_IMAGE).get();
    const load = await inner.loadImage(tar);
    await new Promise((resolve, reject) =>
      inner.modem.followProgress(load, (e) => (e ? reject(e) : resolve(null))),
    );
  });
  after(() => dind?.remove());

  test('without a swarm there is no service, and the fix says to init one', async () => {
    const observation = await serviceKind.evaluate({ name: 'web', exists: true }, innerCtx());
    assert.deepEqual(verdict(observation), {
      subject: 'swarm service web',
      pass: false,
      mismatches: [{ field: 'exists', expected: 'equals true', actual: false }],
      fix: 'This daemon is not a swarm manager: run docker swarm init first',
    });
  });

  describe('with a swarm', () => {
    before(async () => {
      await inner.swarmInit({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '127.0.0.1' });
      await inner.createService({
        Name: 'web',
        TaskTemplate: { ContainerSpec: { Image: BUSYBOX_IMAGE, Command: ['sleep', '600'] } },
        Mode: { Replicated: { Replicas: 2 } },
        EndpointSpec: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080 }] },
      });
      await inner.createService({
        Name: 'agent',
        TaskTemplate: { ContainerSpec: { Image: BUSYBOX_IMAGE, Command: ['sleep', '600'] } },
        Mode: { Global: {} },
      });
    });

    test('waits until the desired replicas run; image, mode and ports as people write them', async () => {
      const result = await waitFor(
        serviceKind,
        {
          name: 'web',
          exists: true,
          replicas: 2,
          running: 2,
          image: BUSYBOX_IMAGE,
          mode: 'replicated',
          ports: ['8080->80/tcp'],
        },
        innerCtx(),
        60_000,
        250,
      );
      assert.equal(result.pass, true, JSON.stringify(result.observation));
      assert.ok(result.attempts > 1, 'tasks start after the service is created');
    });

    test('a global service has no replica count', async () => {
      const result = await waitFor(
        serviceKind,
        { name: 'agent', mode: 'global', running: 1, replicas: null },
        innerCtx(),
        60_000,
        250,
      );
      assert.equal(result.pass, true, JSON.stringify(result.observation));
    });

    test('reports each field that differs', async () => {
      const observation = await serviceKind.evaluate(
        {
          name: 'web',
          replicas: 3,
          running: { gte: 3 },
          image: 'nginx:latest',
          mode: 'global',
          ports: [],
        },
        innerCtx(),
      );
      assert.deepEqual(observation.mismatches, [
        { field: 'replicas', expected: 'equals 3', actual: 2 },
        { field: 'running', expected: '>= 3', actual: 2 },
        { field: 'image', expected: 'equals "nginx:latest"', actual: BUSYBOX_IMAGE },
        { field: 'mode', expected: 'equals "global"', actual: 'replicated' },
        { field: 'ports', expected: 'equals []', actual: ['8080->80/tcp'] },
      ]);
      assert.equal(
        observation.fix,
        'See why its tasks are not running: docker service ps web --no-trunc',
      );
    });

    test('a missing service fails `exists`; `exists: false` passes', async () => {
      const observation = await serviceKind.evaluate({ name: 'db', replicas: 1 }, innerCtx());
      assert.deepEqual(verdict(observation), {
        subject: 'swarm service db',
        pass: false,
        mismatches: [{ field: 'exists', expected: 'equals true', actual: false }],
        fix: 'Create it: docker service create --name db IMAGE',
      });
      assert.equal(
        (await serviceKind.evaluate({ name: 'db', exists: false }, innerCtx())).pass,
        true,
      );
    });
  });
});
