import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { requireDaemon } from '../helpers/daemon.js';
import { startDind } from '../helpers/dind.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { runDoctor } from '../helpers/run-doctor.js';
import { main as doctor } from '../../src/commands/doctor.js';

function serverVersion(): string {
  return execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
    encoding: 'utf8',
  }).trim();
}

/** The item lines of the human report, fixes (→) included, colour-free. */
function lines(stdout: string): string[] {
  return stdout.split('\n').map((line) => line.trimEnd());
}

test('with the daemon up, doctor exits 0 and reports the server version, the endpoint and every item', async () => {
  await requireDaemon();
  const result = await runDoctor(doctor, ['--json'], {});
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.server.version, serverVersion());
  assert.equal(report.apiVersion, '1.41');
  assert.equal(report.endpoint.url, 'unix:///var/run/docker.sock');
  assert.equal(report.endpoint.source, 'default-socket');
  assert.deepEqual(
    report.items.map((item: { id: string }) => item.id),
    [
      'endpoint',
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
    ],
  );
  const byId = Object.fromEntries(report.items.map((item: { id: string }) => [item.id, item]));
  assert.equal(
    byId.daemon.summary,
    `Docker Engine ${serverVersion()} on linux/amd64, Engine API 1.41`,
  );
  assert.equal(byId.storage.summary, 'overlay2');
  assert.equal(byId.cgroup.summary, 'v1 (cgroupfs driver)');
  assert.equal(byId.cli.status, 'ok');
  assert.equal(byId.disk.status, 'ok');
  assert.match(byId.disk.summary, /^\d+(\.\d)? GB free in \/var\/lib\/docker$/);
  assert.equal(byId.compose.status, 'ok');
  assert.equal(
    byId.sharing.summary,
    "a daemon on this machine (unix socket): lessons' folders and published ports are this machine's",
  );
});

test('a Docker-in-Docker over tcp is named as sharing no folder, with where its files and ports go, and only with the helper image', async (t) => {
  await requireDaemon();
  const dind = await startDind();
  t.after(() => dind.remove());
  const sharing = async () => {
    const result = await runDoctor(doctor, ['--json'], { DOCKER_HOST: dind.dockerHost });
    return JSON.parse(result.stdout).items.find((item: { id: string }) => item.id === 'sharing');
  };
  const without = await sharing();
  assert.equal(without.status, 'warn');
  assert.match(without.summary, /busybox:latest is not on it/);
  assert.match(without.fix[0], /images build-standins/);
  execFileSync(
    'sh',
    ['-c', `docker save busybox:latest | DOCKER_HOST=${dind.dockerHost} docker load -q`],
    { stdio: 'ignore' },
  );
  const bridged = await sharing();
  assert.equal(bridged.status, 'ok');
  assert.match(
    bridged.summary,
    /shares no folder with this machine: docker-lab keeps each lesson's working directory at the same path on the daemon's host and forwards the ports a lesson publishes to 127\.0\.0\.1 here/,
  );
  const left = execFileSync('docker', ['ps', '-aq'], {
    env: { ...process.env, DOCKER_HOST: dind.dockerHost },
    encoding: 'utf8',
  });
  assert.equal(left.trim(), '', 'the helper doctor started is gone');
});

test('an unreachable registry is a warning that explains mirrors and offline stand-ins, not a failure', async () => {
  await requireDaemon();
  const result = await runDoctor(doctor, [], {});
  assert.equal(result.code, 0, result.stdout);
  const out = lines(result.stdout);
  const at = out.findIndex((line) => line.startsWith('! registry'));
  assert.deepEqual(out.slice(at, at + 3), [
    '! registry        no registry reachable, so images cannot be pulled (https://127.0.0.1:1: connection refused)',
    '                  → Configure a mirror you can reach in /etc/docker/daemon.json, e.g. { "registry-mirrors": ["https://mirror.example.com"] }, then restart the daemon (Docker Desktop: Settings > Docker Engine).',
    '                  → Or work offline: "docker-lab images build-standins" builds stand-ins for the course\'s images from your distribution\'s packages, and "docker-lab images import FILE" loads them from a tarball.',
  ]);
  assert.equal(out.at(-2), 'The course can run (1 warning).');
});

test('course ports already in use are named, with the container that publishes one', async (t) => {
  await requireDaemon();
  const image = await ensureBusyboxImage();
  const name = `docker-lab-test-port-${process.pid}`;
  execFileSync(
    'docker',
    [
      'run',
      '-d',
      '--name',
      name,
      '--label',
      'docker-lab.test=true',
      '-p',
      '127.0.0.1:9000:80',
      image,
      'httpd',
      '-f',
      '-p',
      '80',
    ],
    { stdio: 'ignore' },
  );
  t.after(() => execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' }));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 9443, host: '127.0.0.1' }, resolve);
  });
  t.after(() => server.close());
  const result = await runDoctor(doctor, [], {});
  assert.equal(result.code, 0);
  assert.ok(
    lines(result.stdout).includes(
      `! ports           in use on 127.0.0.1: 9000 (published by container ${name}), 9443 (another program); lessons that publish them will fail`,
    ),
    result.stdout,
  );
});

test('with DOCKER_HOST naming a socket that does not exist, doctor says so precisely and exits 1', async () => {
  const result = await runDoctor(doctor, [], { DOCKER_HOST: 'unix:///tmp/nothing.sock' });
  assert.equal(result.code, 1);
  const out = lines(result.stdout);
  assert.equal(out[0], '✓ endpoint        unix:///tmp/nothing.sock (from DOCKER_HOST)');
  assert.equal(out[1], '                  used: DOCKER_HOST names unix:///tmp/nothing.sock');
  assert.equal(
    out[2],
    '✗ daemon          Cannot reach the Docker daemon at unix:///tmp/nothing.sock (from DOCKER_HOST): there is no socket at /tmp/nothing.sock, so no daemon is running there (or Docker is not installed).',
  );
  assert.equal(
    out[3],
    '                  → If your daemon listens somewhere else, correct DOCKER_HOST (now "unix:///tmp/nothing.sock"), or unset it to use the local socket.',
  );
  assert.match(out[4] ?? '', /^ {18}→ Linux: start the daemon with "sudo systemctl start docker"/);
  assert.match(out[5] ?? '', /^ {18}→ macOS: start Docker Desktop/);
  assert.match(out[6] ?? '', /^ {18}→ Windows: start Docker Desktop \(WSL 2 backend\)/);
  assert.equal(out[7], '- docker CLI      not checked: the daemon is unreachable');
  assert.equal(out.at(-2), 'The course cannot run: fix the 1 item marked ✗ above.');
});

test('with DOCKER_HOST naming a tcp port where nothing listens, doctor says connection refused and exits 1', async () => {
  const result = await runDoctor(doctor, ['--json'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout);
  assert.equal(report.ok, false);
  assert.equal(report.endpoint.daemonHost, '127.0.0.1');
  assert.deepEqual(report.items[1], {
    id: 'daemon',
    status: 'fail',
    summary:
      'Cannot reach the Docker daemon at tcp://127.0.0.1:1 (from DOCKER_HOST): connection refused: nothing listens on 127.0.0.1:1.',
    fix: [
      'Check the address and port: is a Docker daemon listening on 127.0.0.1:1? A daemon serves TCP when started with "dockerd -H tcp://0.0.0.0:PORT"; for Docker-in-Docker, use the port its container publishes.',
      'If your daemon listens somewhere else, correct DOCKER_HOST (now "tcp://127.0.0.1:1"), or unset it to use the local socket.',
    ],
  });
});

test('with a stopped daemon (its socket left behind, nobody listening), doctor says the daemon stopped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'docker-lab-stopped-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const socketPath = join(dir, 'docker.sock');
  // A process that listens and is killed outright leaves its socket file behind, like a crashed dockerd.
  try {
    execFileSync(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`,
      ],
      { stdio: 'ignore' },
    );
  } catch {
    // killed by SIGKILL on purpose
  }
  assert.ok(existsSync(socketPath));
  const result = await runDoctor(doctor, [], { DOCKER_HOST: `unix://${socketPath}` });
  assert.equal(result.code, 1);
  assert.equal(
    lines(result.stdout)[2],
    `✗ daemon          Cannot reach the Docker daemon at unix://${socketPath} (from DOCKER_HOST): the socket ${socketPath} exists but nothing answers on it: the daemon has stopped or crashed.`,
  );
});

test('a user who may not open the socket is told about the docker group, and doctor exits 1', async (t) => {
  await requireDaemon();
  const home = mkdtempSync(join(tmpdir(), 'docker-lab-nobody-'));
  chmodSync(home, 0o777);
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    NO_COLOR: '1',
    DOCKER_LAB_REGISTRY_PROBE: 'https://127.0.0.1:1',
  };
  const child = spawn(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      '--import',
      'tsx',
      'src/cli.ts',
      'doctor',
    ],
    { env, cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 1, stdout + stderr);
  const out = lines(stdout);
  const daemon = out.find((line) => line.startsWith('✗ daemon'));
  assert.equal(
    daemon,
    '✗ daemon          Cannot reach the Docker daemon at unix:///var/run/docker.sock (the default socket): permission denied on /var/run/docker.sock: this user (uid 65534) may not use it.',
  );
  assert.ok(
    out.includes(
      '                  → Linux: add your user to the docker group with "sudo usermod -aG docker $USER", then log out and back in (or run "newgrp docker") so the new group applies. Membership of the docker group is equivalent to root; rootless Docker avoids that: https://docs.docker.com/engine/security/rootless/',
    ),
    stdout,
  );
});

test('a DOCKER_CONTEXT that does not exist fails at the endpoint, naming the context', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'docker-lab-ctx-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const result = await runDoctor(doctor, ['--json'], {
    HOME: home,
    DOCKER_CONFIG: undefined,
    DOCKER_CONTEXT: 'nope',
  });
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout);
  assert.equal(report.items[0].status, 'fail');
  assert.match(
    report.items[0].summary,
    /^The docker context "nope" \(named by DOCKER_CONTEXT\) does not exist: there is no /,
  );
  assert.equal(report.items[1].status, 'skip');
});

test('an unknown option is a usage error with exit code 2', async () => {
  const result = await runDoctor(doctor, ['--jsno'], {});
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'docker-lab doctor: unknown option "--jsno".\nRun "docker-lab doctor --help" for the options.\n',
  );
});

test('colour appears only on a terminal and never with NO_COLOR', async () => {
  const { wantsColor } = await import('../../src/doctor/render.js');
  assert.equal(wantsColor({}, true), true);
  assert.equal(wantsColor({}, false), false);
  assert.equal(wantsColor({ NO_COLOR: '1' }, true), false);
  assert.equal(wantsColor({ FORCE_COLOR: '1' }, false), true);
  assert.equal(wantsColor({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
});
