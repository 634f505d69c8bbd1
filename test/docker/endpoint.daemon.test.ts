import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { requireDaemon } from '../helpers/daemon.js';
import { startDind } from '../helpers/dind.js';
import {
  dockerChildEnv,
  resolveEndpointFromProcess,
  type Endpoint,
} from '../../src/docker/endpoint.js';
import { connectEngine, connectFromEnv, dockerInfo } from '../../src/docker/client.js';
import { DockerAccessError } from '../../src/docker/errors.js';
import { main as doctor } from '../../src/commands/doctor.js';
import { runDoctor } from '../helpers/run-doctor.js';

function cli(args: string[], env: Record<string, string>): string {
  return execFileSync('docker', args, {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  }).trim();
}

function resolved(env: Record<string, string | undefined>): Endpoint {
  const resolution = resolveEndpointFromProcess(env);
  assert.ok(resolution.ok, resolution.ok ? '' : resolution.problem.message);
  return resolution.endpoint;
}

test('the local daemon is reached with the API version negotiated down to what it speaks', async () => {
  await requireDaemon();
  const engine = await connectFromEnv({
    ...process.env,
    DOCKER_HOST: undefined,
    DOCKER_CONTEXT: undefined,
  });
  const cliVersion = cli(
    ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'],
    dockerChildEnv(engine.endpoint),
  );
  assert.equal(`${engine.server.version} ${engine.server.apiVersion}`, cliVersion);
  assert.equal(engine.apiVersion, '1.41');
  const info = await engine.call((signal) => dockerInfo(engine.docker, signal));
  assert.equal(info.ServerVersion, engine.server.version);
});

test('a daemon that accepts but never answers fails at the deadline with "no answer"', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docker-lab-hang-'));
  const socketPath = join(dir, 'hang.sock');
  const server: Server = createServer(() => {
    /* accept and say nothing */
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const endpoint = resolved({ DOCKER_HOST: `unix://${socketPath}` });
  const started = Date.now();
  await assert.rejects(connectEngine(endpoint, { timeoutMs: 300 }), (error: unknown) => {
    assert.ok(error instanceof DockerAccessError);
    assert.equal(error.code, 'timeout');
    assert.equal(
      error.summary,
      `Cannot reach the Docker daemon at unix://${socketPath} (from DOCKER_HOST): no answer within 0.3 s.`,
    );
    return true;
  });
  assert.ok(Date.now() - started < 3_000, 'the deadline must cut the call short');
});

test('Ctrl-C (the parent signal) aborts a pending connection', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docker-lab-hang-'));
  const socketPath = join(dir, 'hang.sock');
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const controller = new AbortController();
  const pending = connectEngine(resolved({ DOCKER_HOST: `unix://${socketPath}` }), {
    timeoutMs: 30_000,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(pending, (error: unknown) => {
    assert.equal((error as Error).name, 'AbortError');
    return true;
  });
});

test('through a tcp DOCKER_HOST to Docker-in-Docker, dockerode and the docker CLI reach the same inner daemon', async (t) => {
  await requireDaemon();
  const dind = await startDind();
  t.after(() => dind.remove());

  const endpoint = resolved({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DOCKER_HOST: dind.dockerHost,
  });
  assert.equal(endpoint.kind, 'tcp');
  assert.equal(endpoint.daemonHost, '127.0.0.1');
  assert.deepEqual(endpoint.env, { DOCKER_HOST: dind.dockerHost });

  const engine = await connectEngine(endpoint);
  const volume = `docker-lab-test-proof-${process.pid}`;
  // The CLI creates, with a stray DOCKER_CONTEXT in the base env that must not win.
  cli(
    ['volume', 'create', '--label', 'docker-lab.test=true', volume],
    dockerChildEnv(endpoint, { ...process.env, DOCKER_CONTEXT: 'default' }),
  );

  const inner = await engine.call((abortSignal) =>
    engine.docker.listVolumes({ abortSignal } as object),
  );
  assert.ok(
    inner.Volumes.some((v) => v.Name === volume),
    'dockerode sees the volume the CLI created',
  );

  const outer = new Docker({ socketPath: '/var/run/docker.sock' });
  const outerVolumes = await outer.listVolumes();
  assert.equal(
    outerVolumes.Volumes.some((v) => v.Name === volume),
    false,
    'the outer daemon does not have it',
  );

  const innerInfo = await engine.call((signal) => dockerInfo(engine.docker, signal));
  assert.notEqual(innerInfo.ID, (await outer.info()).ID);

  // And the doctor, pointed at it, says where it is and that its disk is not ours to measure.
  const result = await runDoctor(doctor, ['--json'], { DOCKER_HOST: dind.dockerHost });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.endpoint.url, dind.dockerHost);
  assert.equal(report.endpoint.daemonHost, '127.0.0.1');
  const disk = report.items.find((item: { id: string }) => item.id === 'disk');
  assert.deepEqual(disk, {
    id: 'disk',
    status: 'skip',
    summary: "unknown: /var/lib/docker is on the daemon's machine, not this one",
  });
  const cliItem = report.items.find((item: { id: string }) => item.id === 'cli');
  assert.equal(cliItem.status, 'ok');
});
