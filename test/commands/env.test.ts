import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { envLines, sandboxFor } from '../../src/commands/env.js';
import { connectFromEnv } from '../../src/docker/client.js';
import { Sandbox, type FoundSandbox } from '../../src/sandbox/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { daemonListing } from '../helpers/listing.js';
import { ensureSandboxImage, sandboxObjects, TEST_ENGINE } from '../helpers/sandbox.js';

const found = (purpose: string, port: number): FoundSandbox => ({
  id: purpose,
  purpose,
  engine: '26.1',
  dockerHost: `tcp://127.0.0.1:${port}`,
  loopback: '127.0.0.1',
  nodes: [],
});

describe('docker-lab env: the lines', () => {
  test('sh sets DOCKER_HOST and unsets what would choose another daemon', () => {
    assert.deepEqual(envLines('tcp://127.0.0.1:32768', 'sh'), {
      set: [
        'export DOCKER_HOST=tcp://127.0.0.1:32768',
        'unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_TLS',
      ],
      nodes: [],
      back: ['unset DOCKER_HOST'],
    });
  });

  test('fish, in its own words', () => {
    assert.deepEqual(envLines('tcp://127.0.0.1:32768', 'fish'), {
      set: [
        'set -gx DOCKER_HOST tcp://127.0.0.1:32768',
        'set -e DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_TLS',
      ],
      nodes: [],
      back: ['set -e DOCKER_HOST'],
    });
  });

  test("a lesson's own sandbox first, else the TUI's course sandbox, else none", () => {
    const all = [found('course', 1), found('mysql', 2)];
    assert.equal(sandboxFor(all, 'mysql')?.dockerHost, 'tcp://127.0.0.1:2');
    assert.equal(sandboxFor(all, 'basics')?.dockerHost, 'tcp://127.0.0.1:1');
    assert.equal(sandboxFor([found('mysql', 2)], 'basics'), undefined);
  });
});

describe('docker-lab env against a running sandbox', () => {
  let sandbox: Sandbox | undefined;
  let listed: Record<string, string[]>;
  const purpose = `env-test-${process.pid}`;

  before(async () => {
    await requireDaemon();
    await ensureSandboxImage();
    listed = daemonListing();
    const outer = await connectFromEnv(process.env);
    sandbox = await Sandbox.start({ outer, engine: TEST_ENGINE, purpose });
  });

  after(async () => {
    await sandbox?.remove();
    assert.deepEqual(sandboxObjects(sandbox?.id), []);
    assert.deepEqual(daemonListing(), listed);
  });

  test('prints the lines that reach it, and docker then talks to the sandbox', async () => {
    const run = await runCli(['env', purpose, '--shell', 'sh', '--lang', 'en']);
    assert.equal(run.code, 0, run.stderr);
    const line = run.stdout.split('\n').find((l) => l.startsWith('export DOCKER_HOST='));
    assert.equal(line, `export DOCKER_HOST=${sandbox!.primary.dockerHost}`);
    assert.match(
      run.stdout,
      new RegExp(`^# The Docker ${TEST_ENGINE} sandbox of ${purpose}:`, 'm'),
    );
    const name = execFileSync('docker', ['info', '--format', '{{.Name}}'], {
      env: { ...process.env, DOCKER_HOST: sandbox!.primary.dockerHost },
      encoding: 'utf8',
    }).trim();
    assert.equal(name, 'sandbox-0');
  });

  test('with no sandbox for the lesson: says so and how to start one, exit 1', async () => {
    const run = await runCli(['env', `no-such-${process.pid}`, '--lang', 'en']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /No sandbox is running for no-such-/);
    assert.match(run.stderr, /docker-lab no-such-\d+ --sandbox/);
  });
});
