/**
 * The check engine with its first kinds (output, daemon, container, image) against the real
 * daemon: passing, failing with the exact report a learner reads, waiting for a state that
 * arrives later, negation, early stops on terminal states, and cancellation.
 *
 * Other test files share this daemon concurrently: every object here has a random suffix and
 * is removed in t.after; nothing asserts on global counts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { runCheck } from '../../src/checks/engine.js';
import { formatFailure } from '../../src/checks/report.js';
import type { CheckResult } from '../../src/checks/types.js';
import { makeCheck, makeContext } from '../helpers/check-context.js';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureBusyboxImage } from '../helpers/images.js';

const exec = promisify(execFile);

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args, {
    timeout: 120_000,
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
  return stdout.trim();
}

function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/** A container name removed (with its anonymous volumes) when the test ends. */
function containerName(t: TestContext, prefix = 'dl-core'): string {
  const name = unique(prefix);
  t.after(() => docker('rm', '-f', '-v', name).catch(() => undefined));
  return name;
}

/** The report as a learner reads it, with the elapsed time fixed so the text is stable. */
function report(result: CheckResult, lang: 'en' | 'zh-CN' = 'en', elapsedMs = 42): string {
  return formatFailure({ ...result, elapsedMs }, { lang });
}

const ctx = makeContext();
const zh = makeContext({ lang: 'zh-CN' });

test.before(async () => {
  await requireDaemon();
  await ensureBusyboxImage();
});

// ---------------------------------------------------------------------------------------------
// container

test('container: every field of a running container, read in its documented shape', async (t) => {
  const image = await ensureBusyboxImage();
  const name = containerName(t);
  const volume = unique('dl-core-vol');
  t.after(() => docker('volume', 'rm', '-f', volume).catch(() => undefined));
  const bind = await mkdtemp(join(tmpdir(), 'dl-core-bind-'));
  t.after(() => rm(bind, { recursive: true, force: true }));
  await docker(
    'run', '-d', '--name', name,
    '-e', 'GREETING=hi',
    '-p', '127.0.0.1::80',
    '-v', `${volume}:/data`,
    '-v', `${bind}:/mnt/host`,
    '--memory', '64m',
    '--cpus', '0.5',
    '--restart', 'unless-stopped',
    '--label', 'course=docker-lab',
    image, 'sleep', '300',
  ); // prettier-ignore

  const result = await runCheck(
    makeCheck({
      id: 'everything',
      container: {
        name,
        exists: true,
        count: 1,
        status: 'running',
        running: true,
        exitCode: 0,
        health: 'none',
        image,
        command: ['sleep', '300'],
        entrypoint: [],
        ports: { containsElement: { matches: '^80/tcp->127\\.0\\.0\\.1:\\d+$' } },
        mounts: {
          all: [{ contains: `volume:${volume}->/data` }, { contains: `bind:${bind}->/mnt/host` }],
        },
        env: { contains: 'GREETING=hi' },
        networks: ['bridge'],
        restartPolicy: 'unless-stopped',
        memory: 67108864,
        nanoCpus: 500000000,
        labels: { equals: { course: 'docker-lab', 'docker-lab.test': 'true' } },
        pid1: 'sleep 300',
      },
    }),
    ctx,
  );
  assert.equal(result.error, undefined);
  assert.deepEqual(result.observation.mismatches, []);
  assert.equal(result.pass, true);
  assert.equal(result.attempts, 1);
});

test('container: a missing container fails with what to do, in English and Chinese', async () => {
  const name = unique('dl-core-missing');
  const check = makeCheck({ id: 'web-up', container: { name, running: true } });
  const result = await runCheck(check, ctx);
  assert.equal(result.pass, false);
  assert.equal(
    report(result),
    [
      `✗ web-up: container ${name}`,
      '  exists: expected equals true, found false',
      '  tried once (42 ms)',
      `  likeliest fix: create it: docker run -d --name ${name} IMAGE`,
    ].join('\n'),
  );
  assert.equal(
    report(await runCheck(check, zh), 'zh-CN'),
    [
      `✗ web-up：容器 ${name}`,
      '  exists：期望 等于 true，实际为 false',
      '  尝试 1 次（42 毫秒）',
      `  最可能的解决办法：先创建它：docker run -d --name ${name} 镜像`,
    ].join('\n'),
  );
});

test('container: exists false, and not: true, pass for a container that is not there', async () => {
  const name = unique('dl-core-absent');
  const absent = await runCheck(makeCheck({ id: 'gone', container: { name, exists: false } }), ctx);
  assert.equal(absent.pass, true);
  const negated = await runCheck(
    makeCheck({ id: 'gone', container: { name, exists: true }, not: true }),
    ctx,
  );
  assert.equal(negated.pass, true);
});

test('container: an exited container stops the wait early, and the report shows its logs', async (t) => {
  const image = await ensureBusyboxImage();
  const name = containerName(t);
  await docker(
    'run',
    '--name',
    name,
    image,
    'sh',
    '-c',
    'echo starting; echo cannot bind; exit 3',
  ).catch(() => undefined);
  const result = await runCheck(
    makeCheck({ id: 'db-running', container: { name, running: true }, timeout: '10s' }),
    ctx,
  );
  assert.equal(result.pass, false);
  assert.equal(result.attempts, 1);
  assert.ok(result.elapsedMs < 2000, `stopped early, after ${result.elapsedMs} ms`);
  assert.equal(
    report(result),
    [
      `✗ db-running: container ${name}`,
      '  running: expected equals true, found false',
      '  tried once (42 ms) (timeout 10 s)',
      `  stopped waiting early: container ${name} exited with code 3 and will not start again by itself`,
      `  container ${name} (${image}): exited, exit code 3`,
      '    last 2 log lines:',
      '    | starting',
      '    | cannot bind',
      `  likeliest fix: read why it stopped with docker logs ${name}, correct that, then docker start ${name}`,
    ].join('\n'),
  );

  const negated = await runCheck(
    makeCheck({ id: 'stopped', container: { name, running: true }, not: true, timeout: '10s' }),
    ctx,
  );
  assert.equal(negated.pass, true, 'the terminal state is exactly what a negated check wants');
  assert.equal(negated.attempts, 1);
});

test('container: waits for a container that starts 1.5 s later', async (t) => {
  const image = await ensureBusyboxImage();
  const name = containerName(t);
  await docker('create', '--name', name, image, 'sleep', '300');
  const starting = new Promise<void>((resolve, reject) => {
    setTimeout(() => docker('start', name).then(() => resolve(), reject), 1500);
  });
  const result = await runCheck(
    makeCheck({
      id: 'started',
      container: { name, running: true },
      timeout: '10s',
      interval: '200ms',
    }),
    ctx,
  );
  await starting;
  assert.equal(result.pass, true);
  assert.ok(result.attempts > 1, `${result.attempts} attempts`);
  assert.ok(result.elapsedMs >= 1400 && result.elapsedMs < 10_000, `${result.elapsedMs} ms`);
});

test('container: not: true waits for a running container to stop, and reports when it does not', async (t) => {
  const image = await ensureBusyboxImage();
  const name = containerName(t);
  await docker('run', '-d', '--name', name, image, 'sleep', '300');
  const result = await runCheck(
    makeCheck({
      id: 'stopped',
      container: { name, running: true },
      not: true,
      timeout: '600ms',
      interval: '100ms',
    }),
    ctx,
  );
  assert.equal(result.pass, false);
  assert.ok(result.attempts > 1);
  assert.ok(result.elapsedMs >= 590);
  assert.equal(
    report(result),
    [
      `✗ stopped: container ${name}`,
      '  this check is negated (not: true), but every expectation held',
      `  tried ${result.attempts} times in 42 ms (timeout 600 ms)`,
      '  likeliest fix: this check must not hold: undo what made it true',
    ].join('\n'),
  );
});

test('container: by ancestor or label the newest is examined, and count counts them all', async (t) => {
  const image = await ensureBusyboxImage();
  const tag = `${unique('dl-core-ancestor')}:1`;
  await docker('tag', image, tag);
  t.after(() => docker('rmi', tag).catch(() => undefined));
  const label = `docker-lab.core-test=${unique('run')}`;
  const names: string[] = [];
  for (const n of ['1', '2']) {
    const name = containerName(t);
    names.push(name);
    await docker('create', '--name', name, '--label', label, '-e', `N=${n}`, tag, 'true');
    // Created is in whole seconds: the second container must be visibly newer.
    if (n === '1') await new Promise((resolve) => setTimeout(resolve, 1100));
  }
  const byAncestor = await runCheck(
    makeCheck({
      id: 'from-image',
      container: { ancestor: tag, count: 2, env: { contains: 'N=2' }, status: 'created' },
    }),
    ctx,
  );
  assert.deepEqual(byAncestor.observation.mismatches, []);
  const byLabel = await runCheck(
    makeCheck({ id: 'labelled', container: { label, count: { gte: 3 } } }),
    ctx,
  );
  assert.equal(byLabel.pass, false);
  assert.equal(
    report(byLabel),
    [
      `✗ labelled: newest container labelled ${label}`,
      '  count: expected >= 3, found 2',
      '  tried once (42 ms)',
      `  container ${names[1]} (${tag}): created`,
      '    no log output',
      '  likeliest fix: run or remove containers until the count is right',
    ].join('\n'),
  );
  const none = await runCheck(
    makeCheck({ id: 'none', container: { ancestor: `${unique('dl-core-none')}:1`, count: 0 } }),
    ctx,
  );
  assert.equal(none.pass, true);
});

test('container: a setting fixed at creation suggests recreating the container', async (t) => {
  const image = await ensureBusyboxImage();
  const name = containerName(t);
  await docker('create', '--name', name, '-p', '127.0.0.1:18080:80', image, 'sleep', '300');
  const result = await runCheck(
    makeCheck({ id: 'published', container: { name, ports: ['80/tcp->0.0.0.0:8080'] } }),
    ctx,
  );
  assert.equal(
    report(result),
    [
      `✗ published: container ${name}`,
      '  ports: expected equals ["80/tcp->0.0.0.0:8080"], found ["80/tcp->127.0.0.1:18080"]',
      '  tried once (42 ms)',
      `  container ${name} (${image}): created`,
      '    no log output',
      `  likeliest fix: these settings are fixed when a container is created: remove it (docker rm -f ${name}) and run it again with the right options`,
    ].join('\n'),
  );
});

test('container: aborting stops a check waiting for a container that never comes', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const result = await runCheck(
    makeCheck({
      id: 'never',
      container: { name: unique('dl-core-never'), running: true },
      timeout: '30s',
    }),
    makeContext({ signal: controller.signal }),
  );
  assert.equal(result.aborted, true);
  assert.equal(result.pass, false);
  assert.ok(result.elapsedMs < 2000, `${result.elapsedMs} ms`);
});

test('an unreachable daemon is an error for people, not a throw', async () => {
  const nowhere = new Dockerode({ socketPath: '/nonexistent/docker.sock' });
  const result = await runCheck(
    makeCheck({ id: 'web', container: { name: 'web', running: true }, timeout: '5s' }),
    makeContext({ docker: nowhere }),
  );
  assert.equal(result.pass, false);
  assert.equal(
    result.error,
    'cannot reach the Docker daemon (connect ENOENT /nonexistent/docker.sock); docker-lab doctor tells why',
  );
  assert.equal(
    report(result),
    [
      '✗ web: container web',
      '  could not evaluate: cannot reach the Docker daemon (connect ENOENT /nonexistent/docker.sock); docker-lab doctor tells why',
    ].join('\n'),
  );
});

// ---------------------------------------------------------------------------------------------
// daemon

test('daemon: reachable, versions, storage driver, cgroup version, platform, swarm, mirrors', async () => {
  const [driver, cgroup, swarm] = (
    await docker('info', '--format', '{{.Driver}} {{.CgroupVersion}} {{.Swarm.LocalNodeState}}')
  ).split(' ');
  const [version, api, os, arch] = (
    await docker(
      'version',
      '--format',
      '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}} {{.Server.Arch}}',
    )
  ).split(' ');
  const result = await runCheck(
    makeCheck({
      id: 'daemon',
      daemon: {
        reachable: true,
        serverVersion: version!,
        apiVersion: api!,
        storageDriver: driver!,
        cgroupVersion: cgroup || '1',
        os: os!,
        architecture: arch!,
        swarm: swarm!,
        registryMirrors: { not: { contains: 'https://nowhere.invalid' } },
      },
      before: 'pass',
    }),
    ctx,
  );
  assert.deepEqual(result.observation.mismatches, []);
  assert.equal(result.pass, true);
});

test('daemon: a different setting fails with the daemon configuration as the fix', async () => {
  const driver = await docker('info', '--format', '{{.Driver}}');
  const result = await runCheck(
    makeCheck({ id: 'driver', daemon: { storageDriver: 'zfs-nope' } }),
    ctx,
  );
  assert.equal(
    report(result),
    [
      '✗ driver: the Docker daemon',
      `  storageDriver: expected equals "zfs-nope", found ${JSON.stringify(driver)}`,
      '  tried once (42 ms)',
      "  likeliest fix: this is the daemon's configuration (daemon.json, or Docker Desktop's settings): change it and restart the daemon",
    ].join('\n'),
  );
});

test('daemon: reachable false holds only when no daemon answers', async () => {
  const nowhere = makeContext({
    docker: new Dockerode({ socketPath: '/nonexistent/docker.sock' }),
  });
  const down = makeCheck({ id: 'down', daemon: { reachable: false } });
  assert.equal((await runCheck(down, nowhere)).pass, true);
  assert.equal((await runCheck(down, ctx)).pass, false);

  const up = await runCheck(makeCheck({ id: 'up', daemon: { reachable: true } }), nowhere);
  assert.equal(up.error, undefined, 'not reaching the daemon is what this kind observes');
  assert.equal(
    report(up),
    [
      '✗ up: the Docker daemon',
      '  reachable: expected equals true, found false',
      '  tried once (42 ms)',
      '  likeliest fix: start the Docker daemon (connect ENOENT /nonexistent/docker.sock); docker-lab doctor says what is wrong',
    ].join('\n'),
  );
});

// ---------------------------------------------------------------------------------------------
// image

test('image: the configuration of a built image', async (t) => {
  const base = await ensureBusyboxImage();
  const tag = `${unique('dl-core-image')}:1`;
  const context = await mkdtemp(join(tmpdir(), 'dl-core-build-'));
  t.after(() => rm(context, { recursive: true, force: true }));
  t.after(() => docker('rmi', tag).catch(() => undefined));
  await writeFile(
    join(context, 'Dockerfile'),
    [
      `FROM ${base}`,
      'ENV APP_MODE=lab',
      'EXPOSE 3306 8080/udp',
      'WORKDIR /app',
      'USER nobody',
      'LABEL stage=test',
      'ENTRYPOINT ["top", "-b"]',
      'CMD ["-c"]',
    ].join('\n'),
  );
  await docker('build', '-q', '-t', tag, context);
  const arch = await docker('version', '--format', '{{.Server.Arch}}');
  const result = await runCheck(
    makeCheck({
      id: 'built',
      image: {
        name: tag,
        exists: true,
        entrypoint: ['top', '-b'],
        cmd: ['-c'],
        env: { contains: 'APP_MODE=lab' },
        exposedPorts: ['3306/tcp', '8080/udp'],
        labels: { equals: { 'docker-lab.test': 'true', stage: 'test' } },
        workdir: '/app',
        user: 'nobody',
        layers: { gte: 2 },
        history: { containsElement: { contains: 'ENTRYPOINT ["top" "-b"]' } },
        size: { gt: 0 },
        architecture: arch,
      },
    }),
    ctx,
  );
  assert.deepEqual(result.observation.mismatches, []);
  assert.equal(result.pass, true);

  const wrong = await runCheck(
    makeCheck({ id: 'entry', image: { name: tag, entrypoint: ['top'], user: 'nobody' } }),
    ctx,
  );
  assert.equal(
    report(wrong),
    [
      `✗ entry: image ${tag}`,
      '  entrypoint: expected equals ["top"], found ["top","-b"]',
      '  tried once (42 ms)',
      `  likeliest fix: change the Dockerfile and rebuild: docker build -t ${tag} .`,
    ].join('\n'),
  );
});

test('image: a missing image fails with build or pull as the fix; exists false passes', async () => {
  const tag = `${unique('dl-core-noimage')}:1`;
  const missing = await runCheck(makeCheck({ id: 'img', image: { name: tag, cmd: ['sh'] } }), ctx);
  assert.equal(
    report(missing),
    [
      `✗ img: image ${tag}`,
      '  exists: expected equals true, found false',
      '  tried once (42 ms)',
      `  likeliest fix: build it (docker build -t ${tag} .) or pull it (docker pull ${tag})`,
    ].join('\n'),
  );
  const absent = await runCheck(makeCheck({ id: 'img', image: { name: tag, exists: false } }), ctx);
  assert.equal(absent.pass, true);
  const present = await runCheck(
    makeCheck({ id: 'img', image: { name: await ensureBusyboxImage(), exists: false } }),
    ctx,
  );
  assert.equal(present.pass, false);
});

// ---------------------------------------------------------------------------------------------
// output

const outputs = [
  { id: 'build', stdout: 'Step 1/1\n', stderr: '', exitCode: 0 },
  {
    id: 'run',
    stdout: '\x1b[32mHello from Docker!\x1b[0m\r\nThis message shows\r\n',
    stderr: 'warning: \x1b[1mold\x1b[0m\n',
    exitCode: 0,
  },
];

test('output: the last command by default, colours removed; a named command by id', async () => {
  const step = makeContext({ outputs });
  const last = await runCheck(
    makeCheck({
      id: 'greeted',
      output: {
        stdout: 'Hello from Docker!\nThis message shows\n',
        stderr: { contains: 'warning: old' },
        exitCode: 0,
      },
    }),
    step,
  );
  assert.deepEqual(last.observation.mismatches, []);
  const named = await runCheck(
    makeCheck({ id: 'built', output: { command: 'build', stdout: { startsWith: 'Step' } } }),
    step,
  );
  assert.equal(named.pass, true);
});

test('output: a text mismatch is shown as a line diff, without waiting', async () => {
  const result = await runCheck(
    makeCheck({
      id: 'greeted',
      output: { stdout: 'Hello from Docker!\nThis message shows that it works\n', exitCode: 1 },
      timeout: '10s',
    }),
    makeContext({ outputs }),
  );
  assert.equal(result.attempts, 1, 'a finished command cannot change its output');
  assert.equal(
    report(result),
    [
      "✗ greeted: output of the step's last command",
      '  stdout: expected equals "Hello from Docker!\\nThis message shows that it works\\n"',
      '    diff (- expected, + found):',
      '      Hello from Docker!',
      '    - This message shows that it works',
      '    + This message shows',
      '  exitCode: expected equals 1, found 0',
      '  tried once (42 ms) (timeout 10 s)',
      '  stopped waiting early: the command has finished, so its output cannot change',
      '  likeliest fix: the command failed: read its error output above, correct it and run it again',
    ].join('\n'),
  );
});

test('output: no such command in the step', async () => {
  const result = await runCheck(
    makeCheck({ id: 'pushed', output: { command: 'push', exitCode: 0 } }),
    makeContext({ outputs }),
  );
  assert.equal(
    report(result),
    [
      '✗ pushed: output of command "push"',
      '  exitCode: expected equals 0, found nothing',
      '  tried once (42 ms)',
      '  likeliest fix: no command with id "push" ran in this step; run it first',
    ].join('\n'),
  );
});

test('a step with several kinds, in one context', async () => {
  const ctx = makeContext({ outputs });
  const results = [];
  for (const check of [
    makeCheck({ id: 'a', daemon: { reachable: true } }),
    makeCheck({ id: 'b', output: { exitCode: 0 } }),
    makeCheck({ id: 'c', image: { name: await ensureBusyboxImage(), exists: true } }),
  ])
    results.push(await runCheck(check, ctx));
  assert.deepEqual(
    results.map((r) => [r.check.id, r.pass]),
    [
      ['a', true],
      ['b', true],
      ['c', true],
    ],
  );
});
