/**
 * The offline stand-ins behave as the lessons need: built from nothing by the product's own
 * code path when missing, reused when current, never built over a real image, and each one
 * doing what the real image does for the course (greeting, MySQL over a published port with
 * data in a volume, a registry that takes a push and serves a pull, Adminer over HTTP).
 *
 * Every container, volume and extra tag here is named with a per-run suffix and removed after.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { connectFromEnv, type Engine } from '../../src/docker/client.js';
import type { Feedback } from '../../src/images/feedback.js';
import { recipesDir } from '../../src/images/paths.js';
import { LABEL_RECIPE_HASH, LABEL_STANDIN_FOR } from '../../src/images/recipe.js';
import { gatherNeeds } from '../../src/images/needs.js';
import { buildStandIns } from '../../src/images/standins.js';
import { inspectImage } from '../../src/images/status.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';
import { ensureStandIns } from '../helpers/standins.js';

const exec = promisify(execFile);
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const LABEL = 'docker-lab.test=true';
const COURSE = ['hello-world', 'ubuntu', 'busybox', 'mysql:8.4', 'registry:2', 'adminer'];

const containers: string[] = [];
const volumes: string[] = [];
const tags: string[] = [];

async function docker(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await exec('docker', args, {
    timeout: 120_000,
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

async function dockerResult(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('docker', args, {
      timeout: 120_000,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: Number(e.code ?? 1), stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `docker run -d` with our label and a name that is removed after the tests. */
async function runDetached(name: string, args: string[]): Promise<string> {
  const full = `dl-test-${name}-${RUN}`;
  containers.push(full);
  await docker(['run', '-d', '--name', full, '--label', LABEL, ...args]);
  return full;
}

async function hostPort(container: string, port: string): Promise<number> {
  const mapping = (await docker(['port', container, port])).split('\n')[0] ?? '';
  return Number(mapping.slice(mapping.lastIndexOf(':') + 1));
}

async function until<T>(
  what: string,
  ms: number,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${ms / 1000} s${last ? ` (${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const quiet: Feedback = {
  tty: false,
  line: () => undefined,
  live: () => undefined,
  clear: () => undefined,
};
let engine: Engine;

before(async () => {
  await requireDaemon();
  engine = await connectFromEnv(process.env);
  await ensureStandIns(COURSE);
});

after(async () => {
  for (const name of containers) await dockerResult(['rm', '-f', '-v', name]);
  for (const name of volumes) await dockerResult(['volume', 'rm', name]);
  for (const tag of tags) await dockerResult(['image', 'rm', tag]);
});

describe('building', () => {
  test('each stand-in is tagged as the real reference and labelled with what it stands in for', async () => {
    for (const ref of [
      'hello-world:latest',
      'ubuntu:latest',
      'busybox:latest',
      'mysql:8.4',
      'registry:2',
      'adminer:latest',
    ]) {
      const image = await inspectImage(engine, ref);
      assert.ok(image, `${ref} is missing`);
      assert.equal(image.labels[LABEL_STANDIN_FOR], ref);
      assert.match(image.labels[LABEL_RECIPE_HASH] ?? '', /^[0-9a-f]{64}$/);
    }
  });

  test("no stand-in carries apt's caches (as Debian's own images do not): an install layer holds what it installed", async () => {
    for (const ref of ['ubuntu:latest', 'mysql:8.4', 'registry:2', 'adminer:latest']) {
      const out = await docker([
        'run',
        '--rm',
        '--label',
        LABEL,
        '--entrypoint',
        'sh',
        ref,
        '-c',
        'ls /var/cache/apt/*.bin /var/cache/apt/archives/*.deb 2>/dev/null; true',
      ]);
      assert.equal(out, '', `${ref} keeps apt's caches`);
    }
  });

  test('a second run reuses every current stand-in, in seconds', async () => {
    const started = Date.now();
    const summary = await buildStandIns({
      engine,
      env: process.env,
      needs: gatherNeeds([{ id: 't', images: COURSE }], { withCatalog: false }),
      feedback: quiet,
    });
    assert.deepEqual(
      summary.results.map((result) => result.outcome),
      COURSE.map(() => 'reused'),
    );
    assert.equal(summary.base, undefined, 'the base is not even looked at');
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  test('a real image (no stand-in label) is left alone; an outdated stand-in is rebuilt', async () => {
    const real = `docker-lab-test/real-${RUN}:1`;
    const outdated = `docker-lab-test/outdated-${RUN}:1`;
    tags.push(real, outdated);
    // A "real" image: the busybox test image under a name the catalogue's recipe would serve.
    await docker(['tag', await ensureBusyboxImage(), real]);
    const realId = (await inspectImage(engine, real))!.id;
    // An old stand-in: the right label, the wrong recipe hash.
    const ctx = await mkdtemp(join(tmpdir(), 'docker-lab-outdated-'));
    try {
      await writeFile(
        join(ctx, 'Dockerfile'),
        `FROM scratch\nLABEL ${LABEL_STANDIN_FOR}=${outdated} ${LABEL_RECIPE_HASH}=old\n`,
      );
      await docker(['build', '-q', '-t', outdated, ctx], { DOCKER_BUILDKIT: '0' });
    } finally {
      await rm(ctx, { recursive: true, force: true });
    }
    const entry = {
      kind: 'stand-in' as const,
      repository: 'x',
      tags: ['1'],
      recipe: 'debian',
      description: 'test',
    };
    const summary = await buildStandIns({
      engine,
      env: process.env,
      needs: [
        { ref: real, lessons: [], entry },
        { ref: outdated, lessons: [], entry },
      ],
      feedback: quiet,
    });
    assert.deepEqual(
      summary.results.map((result) => [result.ref, result.outcome]),
      [
        [real, 'real'],
        [outdated, 'rebuilt'],
      ],
    );
    assert.equal((await inspectImage(engine, real))!.id, realId);
    const rebuilt = await inspectImage(engine, outdated);
    assert.equal(rebuilt!.labels[LABEL_STANDIN_FOR], outdated);
    assert.notEqual(rebuilt!.labels[LABEL_RECIPE_HASH], 'old');
  });
});

describe('hello-world', () => {
  test("prints the real greeting, naming this machine's architecture, and exits 0", async () => {
    const { code, stdout } = await dockerResult(['run', '--rm', '--label', LABEL, 'hello-world']);
    assert.equal(code, 0);
    const arch =
      engine.server.arch === 'amd64' || engine.server.arch === 'arm64' ? engine.server.arch : /.+/;
    const expected = await readFile(join(recipesDir(), 'hello-world', 'greeting.txt'), 'utf8');
    if (typeof arch === 'string') assert.equal(stdout, expected.replace('@ARCH@', arch));
    assert.match(
      stdout,
      /^\nHello from Docker!\nThis message shows that your installation appears to be working correctly\.\n/,
    );
  });
});

describe('ubuntu and busybox', () => {
  test('ubuntu has bash, ps, top and ip, and apt-get installs more; net-tools is not there yet', async () => {
    const out = await docker([
      'run',
      '--rm',
      '--label',
      LABEL,
      'ubuntu',
      'bash',
      '-c',
      'command -v bash ps top ip apt-get; command -v ifconfig || echo no-ifconfig',
    ]);
    assert.deepEqual(out.split('\n'), [
      '/usr/bin/bash',
      '/usr/bin/ps',
      '/usr/bin/top',
      '/usr/sbin/ip',
      '/usr/bin/apt-get',
      'no-ifconfig',
    ]);
  });

  test('busybox has sh, ps and friends as applets in /bin, and is tiny', async () => {
    const out = await docker([
      'run',
      '--rm',
      '--label',
      LABEL,
      'busybox',
      'sh',
      '-c',
      'echo $$; ls /bin/ps /bin/wget /bin/top',
    ]);
    assert.deepEqual(out.split('\n'), ['1', '/bin/ps', '/bin/top', '/bin/wget']);
    assert.ok((await inspectImage(engine, 'busybox'))!.size < 5_000_000);
  });
});

describe('mysql', () => {
  const password = "my-secret-'pw";
  const client = (port: number, sql: string, database = '') =>
    dockerResult([
      'run',
      '--rm',
      '--label',
      LABEL,
      '--network',
      'host',
      'mysql:8.4',
      'mysql',
      '-h127.0.0.1',
      `-P${port}`,
      '-uroot',
      `-p${password}`,
      '-N',
      '-e',
      sql,
      ...(database ? [database] : []),
    ]);

  test('without a password it refuses to start, saying which variables to set', async () => {
    const { code, stderr } = await dockerResult(['run', '--rm', '--label', LABEL, 'mysql:8.4']);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /\[ERROR\] \[Entrypoint\]: Database is uninitialized and password option is not specified/,
    );
    assert.match(stderr, /- MYSQL_ROOT_PASSWORD/);
  });

  test('accepts select 1 over its published port and keeps data in a volume across container removal', async () => {
    const volume = `dl-test-mysql-${RUN}`;
    volumes.push(volume);
    await docker(['volume', 'create', '--label', LABEL, volume]);
    const first = await runDetached('mysql-a', [
      '-p',
      '127.0.0.1::3306',
      '-e',
      `MYSQL_ROOT_PASSWORD=${password}`,
      '-e',
      'MYSQL_DATABASE=shop',
      '-v',
      `${volume}:/var/lib/mysql`,
      'mysql:8.4',
    ]);
    const port = await hostPort(first, '3306/tcp');
    const one = await until('mysql answers select 1', 90_000, async () => {
      const result = await client(port, 'select 1');
      return result.code === 0 ? result.stdout.trim() : undefined;
    });
    assert.equal(one, '1');
    const logs = await dockerResult(['logs', first]);
    assert.match(logs.stdout + logs.stderr, /ready for connections/);
    const write = await client(
      port,
      "create table t (v varchar(20)); insert into t values ('kept')",
      'shop',
    );
    assert.equal(write.code, 0, write.stderr);
    await docker(['rm', '-f', first]);

    // A new container on the same volume: no init (the data is there), same password.
    const second = await runDetached('mysql-b', [
      '-p',
      '127.0.0.1::3306',
      '-v',
      `${volume}:/var/lib/mysql`,
      'mysql:8.4',
    ]);
    const port2 = await hostPort(second, '3306/tcp');
    const row = await until('the second server answers', 90_000, async () => {
      const result = await client(port2, 'select v from t', 'shop');
      return result.code === 0 ? result.stdout.trim() : undefined;
    });
    assert.equal(row, 'kept');
  });
});

describe('registry:2', () => {
  test('accepts a push and serves a pull', async () => {
    const registry = await runDetached('registry', ['-p', '127.0.0.1::5000', 'registry:2']);
    const port = await hostPort(registry, '5000/tcp');
    await until('the registry answers', 30_000, async () =>
      (await fetch(`http://127.0.0.1:${port}/v2/`)).ok ? true : undefined,
    );
    const name = `127.0.0.1:${port}/dl-test/bb-${RUN}:1`;
    tags.push(name);
    await docker(['tag', 'busybox', name]);
    await docker(['push', name]);
    const catalog = (await (await fetch(`http://127.0.0.1:${port}/v2/_catalog`)).json()) as {
      repositories: string[];
    };
    assert.ok(catalog.repositories.includes(`dl-test/bb-${RUN}`));
    await docker(['image', 'rm', name]);
    await docker(['pull', name]);
    assert.equal(
      (await inspectImage(engine, name))?.id,
      (await inspectImage(engine, 'busybox'))?.id,
    );
  });

  test('with REGISTRY_AUTH=htpasswd it wants a login, then takes the push', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-lab-registry-auth-'));
    const config = join(dir, 'docker-config'); // never the user's own ~/.docker
    try {
      const htpasswd = await docker([
        'run',
        '--rm',
        '--label',
        LABEL,
        '--entrypoint',
        'htpasswd',
        'registry:2',
        '-Bbn',
        'dl-user',
        'dl-secret',
      ]);
      await mkdir(join(dir, 'auth'));
      await writeFile(join(dir, 'auth', 'htpasswd'), `${htpasswd}\n`);
      const registry = await runDetached('registry-auth', [
        '-p',
        '127.0.0.1::5000',
        '-v',
        `${join(dir, 'auth')}:/auth:ro`,
        '-e',
        'REGISTRY_AUTH=htpasswd',
        '-e',
        'REGISTRY_AUTH_HTPASSWD_REALM=dl-lab realm',
        '-e',
        'REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd',
        'registry:2',
      ]);
      const port = await hostPort(registry, '5000/tcp');
      const status = await until(
        'the registry answers',
        30_000,
        async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status,
      );
      assert.equal(status, 401);
      const name = `127.0.0.1:${port}/dl-test/auth-${RUN}:1`;
      tags.push(name);
      await docker(['tag', 'busybox', name]);
      const env = { DOCKER_CONFIG: config };
      const refused = await dockerResult(['push', name], env);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr + refused.stdout, /no basic auth credentials|unauthorized/);
      const login = await exec(
        'sh',
        ['-c', `echo dl-secret | docker login 127.0.0.1:${port} -u dl-user --password-stdin`],
        { env: { ...process.env, ...env } },
      );
      assert.match(login.stdout, /Login Succeeded/);
      assert.equal((await dockerResult(['push', name], env)).code, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('adminer', () => {
  test('answers HTTP on port 8080 with its login page', async () => {
    const adminer = await runDetached('adminer', ['-p', '127.0.0.1::8080', 'adminer']);
    const port = await hostPort(adminer, '8080/tcp');
    const body = await until('adminer answers', 30_000, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      return response.status === 200 ? response.text() : undefined;
    });
    assert.match(body, /<title>Login - Adminer/);
  });
});
