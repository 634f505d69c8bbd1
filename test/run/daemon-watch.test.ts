/**
 * The daemon goes away in the middle of a lesson. docker-lab talks to this machine's daemon
 * through a TCP relay the test can cut and restore, the way a daemon that is killed and started
 * again looks from the client's side (its containers are still there afterwards).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { daemonListing } from '../helpers/listing.js';

const LESSON = 'fixtures/lessons/faults/daemon-gone.md';
const NAME = 'dl-daemon-gone';

/** A relay on 127.0.0.1:port to the local daemon's socket; `cut()` closes it and every connection. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const daemon = createConnection('/var/run/docker.sock');
      for (const socket of [client, daemon]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(daemon).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.server?.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

let state: string;
before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
  state = mkdtempSync(join(tmpdir(), 'docker-lab-state-'));
});
after(() => {
  rmSync(state, { recursive: true, force: true });
  execFileSync('docker', ['rm', '-f', NAME], { stdio: 'ignore' });
});

test('the daemon killed mid-step: one sentence within seconds, exit 1, and the next run removes what was left', async () => {
  const listed = daemonListing();
  const relay = new Relay();
  await relay.open();
  const env = { DOCKER_HOST: `tcp://127.0.0.1:${relay.port}`, XDG_STATE_HOME: state };
  const running = runCli(['verify', '--reporter', 'json', LESSON], env, 120_000);
  // The container is there, the step's `sleep 8` runs: the daemon goes away now.
  for (let i = 0; i < 100; i++) {
    const ps = execFileSync('docker', ['ps', '-q', '--filter', `name=^${NAME}$`], {
      encoding: 'utf8',
    });
    if (ps.trim()) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cutAt = Date.now();
  relay.cut();
  const run = await running;
  const seconds = (Date.now() - cutAt) / 1000;
  assert.equal(run.code, 1);
  assert.ok(seconds < 6, `verify ended ${seconds} s after the daemon went away`);
  const report = JSON.parse(run.stdout).lessons[0];
  assert.equal(report.daemonLost, true);
  assert.match(
    report.reason,
    new RegExp(
      `^The Docker daemon went away during step "Start a container, then wait" of daemon-gone\\. Cannot reach the Docker daemon at tcp://127\\.0\\.0\\.1:${relay.port} \\(from DOCKER_HOST\\): connection refused`,
    ),
  );
  assert.match(report.reason, /your progress is kept/);
  assert.match(report.reason, /Start the daemon again/);
  assert.doesNotMatch(run.stderr, /this is a bug/);
  assert.equal(
    execFileSync('sh', ['-c', 'pgrep -f "^sleep 8$" || true'], { encoding: 'utf8' }).trim(),
    '',
    "the step's command was ended",
  );
  // The ledger on disk names the container the lesson made; it is still on the daemon.
  assert.equal(
    execFileSync('docker', ['inspect', '-f', '{{.State.Running}}', NAME], {
      encoding: 'utf8',
    }).trim(),
    'true',
  );

  // The daemon is back (same address): the next run names the leftover and removes it first.
  await relay.open(relay.port);
  try {
    const again = await runCli(['verify', LESSON], env, 120_000);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(
      again.stdout,
      /^removed what an interrupted run left: container dl-daemon-gone \(left by an interrupted run of daemon-gone, en, started \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/m,
    );
  } finally {
    relay.cut();
  }
  assert.deepEqual(
    readdirSync(join(state, 'docker-lab', 'runs')).flatMap((d) =>
      readdirSync(join(state, 'docker-lab', 'runs', d)),
    ),
    [],
  );
  assert.deepEqual(daemonListing(), listed);
});
