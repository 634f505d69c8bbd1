/**
 * The resource ledger against the real daemon: cleanup removes exactly what a lesson created
 * and never touches what the learner had before.
 *
 * Other test files share this daemon concurrently, so every object here carries a random
 * suffix, the ledger only accepts events naming it, and assertions look only at those objects.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { startLedger, type EngineEvent, type Ledger } from '../../src/docker/ledger.js';

const exec = promisify(execFile);
const SOCKET = '/var/run/docker.sock';

/** Runs the docker CLI like a learner would; rejects on a non-zero exit. */
async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args, {
    timeout: 120_000,
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
  return stdout.trim();
}

/** Runs a command expected to fail; returns its exit code. */
async function dockerFails(...args: string[]): Promise<number> {
  try {
    await docker(...args);
  } catch (error) {
    return Number((error as { code?: unknown }).code);
  }
  throw new Error(`expected "docker ${args.join(' ')}" to fail`);
}

async function exists(
  kind: 'container' | 'image' | 'volume' | 'network',
  name: string,
): Promise<boolean> {
  try {
    await docker(kind, 'inspect', name);
    return true;
  } catch {
    return false;
  }
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Only events that name this test's objects: other tests create things on the same daemon. */
function mentions(suffix: string) {
  return (event: EngineEvent): boolean =>
    event.id.includes(suffix) ||
    Object.values(event.attributes).some((value) => value.includes(suffix));
}

/** Removes everything carrying the suffix, whatever happened in the test. */
async function removeEverything(suffix: string): Promise<void> {
  const quiet = (promise: Promise<unknown>): Promise<unknown> => promise.catch(() => undefined);
  const containers = lines(await docker('ps', '-aq', '--filter', `name=${suffix}`));
  if (containers.length) await quiet(docker('rm', '-fv', ...containers));
  const images = lines(await docker('images', '--format', '{{.Repository}}:{{.Tag}}')).filter(
    (ref) => ref.includes(suffix),
  );
  const labelled = lines(
    await docker('images', '-aq', '--no-trunc', '--filter', `label=lesson=${suffix}`),
  );
  for (const image of [...images, ...new Set(labelled)]) await quiet(docker('rmi', '-f', image));
  const volumes = lines(await docker('volume', 'ls', '-q', '--filter', `name=${suffix}`));
  if (volumes.length) await quiet(docker('volume', 'rm', '-f', ...volumes));
  const networks = lines(await docker('network', 'ls', '-q', '--filter', `name=${suffix}`));
  if (networks.length) await quiet(docker('network', 'rm', ...networks));
}

async function buildContext(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-lab-ledger-'));
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

async function setUp(
  t: TestContext,
): Promise<{ suffix: string; busybox: string; client: Dockerode }> {
  await requireDaemon();
  const busybox = await ensureBusyboxImage();
  const suffix = uniqueSuffix();
  const dirs: string[] = [];
  t.after(async () => {
    await removeEverything(suffix);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return { suffix, busybox, client: new Dockerode() };
}

/** What "untouched" means for the learner's objects: identity, state and tags. */
async function snapshot(names: {
  running: string;
  stopped: string;
  image: string;
  volume: string;
  network: string;
}): Promise<unknown> {
  const inspect = async (...args: string[]): Promise<unknown> => JSON.parse(await docker(...args));
  const container = async (name: string) => {
    const [info] = (await inspect('container', 'inspect', name)) as Array<{
      Id: string;
      State: { Status: string; StartedAt: string; ExitCode: number };
      RestartCount: number;
      Mounts: Array<{ Name?: string; Destination: string }>;
      NetworkSettings: { Networks: Record<string, unknown> };
    }>;
    return {
      id: info!.Id,
      status: info!.State.Status,
      startedAt: info!.State.StartedAt,
      exitCode: info!.State.ExitCode,
      restarts: info!.RestartCount,
      mounts: info!.Mounts.map((mount) => `${mount.Name}:${mount.Destination}`).sort(),
      networks: Object.keys(info!.NetworkSettings.Networks).sort(),
    };
  };
  const [image] = (await inspect('image', 'inspect', names.image)) as Array<{
    Id: string;
    RepoTags: string[];
  }>;
  const [volume] = (await inspect('volume', 'inspect', names.volume)) as Array<{
    Name: string;
    CreatedAt: string;
  }>;
  const [network] = (await inspect('network', 'inspect', names.network)) as Array<{ Id: string }>;
  return {
    running: await container(names.running),
    stopped: await container(names.stopped),
    image: { id: image!.Id, tags: [...image!.RepoTags].sort() },
    volume: { name: volume!.Name, createdAt: volume!.CreatedAt },
    network: network!.Id,
  };
}

test('cleanup removes exactly what the lesson created and leaves the learner’s things as they were', async (t) => {
  const { suffix, busybox, client } = await setUp(t);
  const learner = {
    image: `learner-${suffix}/app:1`,
    imageAlias: `learner-${suffix}/app:stable`,
    volume: `learner-${suffix}-data`,
    network: `learner-${suffix}-net`,
    running: `learner-${suffix}-web`,
    stopped: `learner-${suffix}-old`,
  };

  // The learner's own things, made before the lesson starts.
  const learnerContext = await buildContext(
    `FROM ${busybox}\nLABEL learner=${suffix}\nRUN echo ${suffix} > /mine\n`,
  );
  t.after(() => rm(learnerContext, { recursive: true, force: true }));
  await docker('build', '-q', '-t', learner.image, learnerContext);
  await docker('tag', learner.image, learner.imageAlias);
  await docker('volume', 'create', learner.volume);
  await docker('network', 'create', learner.network);
  await docker(
    'run',
    '-d',
    '--name',
    learner.running,
    '--network',
    learner.network,
    '-v',
    `${learner.volume}:/data`,
    learner.image,
    'sleep',
    '3600',
  );
  await docker('run', '--name', learner.stopped, '-v', '/anonymous', learner.image, 'true');
  const before = await snapshot(learner);

  const ledger = await startLedger(client, { accept: mentions(suffix) });
  t.after(() => ledger.stop());

  // The lesson, as a learner would type it.
  const lesson = (name: string): string => `lesson-${suffix}-${name}`;
  await docker('volume', 'create', lesson('vol'));
  await docker('network', 'create', lesson('net'));
  await docker(
    'run',
    '-d',
    '--name',
    lesson('web'),
    '--network',
    lesson('net'),
    '-v',
    `${lesson('vol')}:/data`,
    '-v',
    '/scratch',
    busybox,
    'sleep',
    '3600',
  );
  const anonymous = await docker(
    'inspect',
    '--format',
    '{{range .Mounts}}{{if eq .Destination "/scratch"}}{{.Name}}{{end}}{{end}}',
    lesson('web'),
  );
  assert.equal(
    await dockerFails('run', '--name', lesson('broken'), busybox, '/no/such/command'),
    127,
  );
  await docker('create', '--name', lesson('short-lived'), busybox, 'true');
  await docker('rm', lesson('short-lived'));
  await docker('volume', 'create', lesson('tmp'));
  await docker('volume', 'rm', lesson('tmp'));
  await docker('network', 'connect', lesson('net'), learner.running);
  await docker('tag', learner.image, `lesson-${suffix}/retag:1`);

  const lessonContext = await buildContext(
    `FROM ${learner.image}\nLABEL lesson=${suffix}\nRUN echo built > /built\nRUN echo twice >> /built\n`,
  );
  const untaggedContext = await buildContext(
    `FROM ${busybox}\nLABEL lesson=${suffix}\nRUN echo untagged > /u\n`,
  );
  t.after(() => rm(lessonContext, { recursive: true, force: true }));
  t.after(() => rm(untaggedContext, { recursive: true, force: true }));
  await docker('build', '-q', '-t', `lesson-${suffix}/app:1`, lessonContext);
  await docker('tag', `lesson-${suffix}/app:1`, `lesson-${suffix}/app:2`);
  const untagged = await docker('build', '-q', untaggedContext);
  await docker('commit', lesson('web'), `lesson-${suffix}/snapshot:1`);

  await ledger.catchUp();
  const created = ledger.created().map((resource) => `${resource.type} ${resource.name}`);
  for (const expected of [
    `volume ${lesson('vol')}`,
    `network ${lesson('net')}`,
    `container ${lesson('web')}`,
    `container ${lesson('broken')}`,
    `image lesson-${suffix}/retag:1`,
    `image lesson-${suffix}/app:1`,
    `image lesson-${suffix}/snapshot:1`,
  ]) {
    assert.ok(created.includes(expected), `created() lists ${expected}: ${created.join(', ')}`);
  }
  assert.ok(
    !created.includes(`container ${lesson('short-lived')}`),
    'what the lesson removed itself is not listed',
  );
  assert.ok(
    !created.some((entry) => entry.includes('learner-')),
    `no learner object listed: ${created.join(', ')}`,
  );

  const result = await ledger.cleanup();
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.kept, []);

  // (a) The learner's things: same ids, same state, same tags; the network the lesson plugged
  // into the learner's container is unplugged again.
  assert.deepEqual(await snapshot(learner), before);

  // (b) Nothing of the lesson's is left.
  assert.deepEqual(lines(await docker('ps', '-aq', '--filter', `name=lesson-${suffix}`)), []);
  assert.deepEqual(
    lines(await docker('volume', 'ls', '-q', '--filter', `name=lesson-${suffix}`)),
    [],
  );
  assert.deepEqual(
    lines(await docker('network', 'ls', '-q', '--filter', `name=lesson-${suffix}`)),
    [],
  );
  const refs = lines(await docker('images', '--format', '{{.Repository}}:{{.Tag}}'));
  assert.deepEqual(
    refs.filter((ref) => ref.startsWith(`lesson-${suffix}`)),
    [],
  );
  // Built images and the legacy builder's intermediate layers all carry the lesson's label.
  assert.deepEqual(lines(await docker('images', '-aq', '--filter', `label=lesson=${suffix}`)), []);
  assert.equal(await exists('image', untagged), false, 'the untagged build is removed');
  assert.equal(
    await exists('volume', anonymous),
    false,
    'the lesson container’s anonymous volume is removed',
  );
});

test('a learner’s tag that the lesson moved to a new image is put back', async (t) => {
  const { suffix, busybox, client } = await setUp(t);
  const tag = `learner-${suffix}/app:1`;
  const first = await buildContext(`FROM ${busybox}\nLABEL learner=${suffix}\nRUN echo one > /v\n`);
  const second = await buildContext(`FROM ${busybox}\nLABEL lesson=${suffix}\nRUN echo two > /v\n`);
  t.after(() => rm(first, { recursive: true, force: true }));
  t.after(() => rm(second, { recursive: true, force: true }));
  const learnerImage = await docker('build', '-q', '-t', tag, first);

  const ledger = await startLedger(client, { accept: mentions(suffix) });
  t.after(() => ledger.stop());
  const lessonImage = await docker('build', '-q', '-t', tag, second);
  assert.notEqual(lessonImage, learnerImage);

  const result = await ledger.cleanup();
  assert.deepEqual(result.failed, []);
  assert.deepEqual(
    result.restored.map((resource) => resource.name),
    [tag],
  );
  assert.equal(await docker('image', 'inspect', '--format', '{{.Id}}', tag), learnerImage);
  assert.equal(await exists('image', lessonImage), false);
});

test('cleanup catches what was created a moment before it, and a second cleanup does nothing', async (t) => {
  const { suffix, busybox, client } = await setUp(t);
  const ledger = await startLedger(client, { accept: mentions(suffix) });
  // Stop following first: only cleanup's own catch-up can find what comes next.
  await ledger.stop();
  await docker('volume', 'create', `late-${suffix}-vol`);
  await docker('create', '--name', `late-${suffix}-box`, busybox, 'true');

  const first = await ledger.cleanup();
  assert.deepEqual(first.failed, []);
  assert.deepEqual(first.removed.map((resource) => `${resource.type} ${resource.name}`).sort(), [
    `container late-${suffix}-box`,
    `volume late-${suffix}-vol`,
  ]);
  assert.equal(await exists('volume', `late-${suffix}-vol`), false);
  assert.equal(await exists('container', `late-${suffix}-box`), false);

  const second = await ledger.cleanup();
  assert.deepEqual(second, { removed: [], failed: [], kept: [], restored: [] });
});

/**
 * A pass-through to the daemon's socket that can go down like a restarting daemon: `down()`
 * cuts every open connection and refuses new ones until `up()`.
 */
async function droppableSocket(
  t: TestContext,
): Promise<{ path: string; down(): void; up(): void }> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-lab-proxy-'));
  const path = join(dir, 'docker.sock');
  const open = new Set<Socket>();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = createConnection(SOCKET);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const down = (): void => {
    refusing = true;
    for (const socket of open) socket.destroy();
  };
  t.after(async () => {
    down();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });
  return { path, down, up: () => (refusing = false) };
}

async function eventually(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a dropped event stream reconnects from its last event and misses nothing', async (t) => {
  const { suffix } = await setUp(t);
  const proxy = await droppableSocket(t);
  const errors: unknown[] = [];
  const ledger: Ledger = await startLedger(new Dockerode({ socketPath: proxy.path }), {
    accept: mentions(suffix),
    onError: (error) => errors.push(error),
  });
  t.after(() => ledger.stop());
  await docker('volume', 'create', `drop-${suffix}-a`);
  await eventually(() => ledger.created().some((resource) => resource.name === `drop-${suffix}-a`));

  proxy.down();
  // Created while the ledger cannot reach the daemon: the reconnect must replay it.
  await docker('volume', 'create', `drop-${suffix}-b`);
  await eventually(() => errors.length >= 2); // the drop, then at least one refused reconnect
  assert.ok(!ledger.created().some((resource) => resource.name === `drop-${suffix}-b`));
  proxy.up();
  await eventually(() => ledger.created().some((resource) => resource.name === `drop-${suffix}-b`));
  assert.ok(ledger.connections() >= 2, 'the stream was reconnected');

  const result = await ledger.cleanup();
  assert.deepEqual(result.removed.map((resource) => resource.name).sort(), [
    `drop-${suffix}-a`,
    `drop-${suffix}-b`,
  ]);
});
