import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { requireDaemon } from '../helpers/daemon.js';
import { daemonListing } from '../helpers/listing.js';
import { startDind } from '../helpers/dind.js';

/**
 * A lesson of several nodes (front matter `nodes: 3`): verify runs it in a sandbox of three
 * daemons on this one, without --sandbox, and leaves this daemon as it was. The lesson itself
 * proves that `node:` reaches each node: its worker checks must fail before the workers join
 * (verify's soundness), which they could not if they read the manager.
 */
const ENGINES = ['26.1', '20.10'] as const;

function hasImage(ref: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Containers, volumes and networks of sandboxes for `purpose`, or of any other purpose. */
function sandboxObjects(purpose?: string): Record<'containers' | 'volumes' | 'networks', string[]> {
  const filter = purpose ? `label=docker-lab.sandbox.for=${purpose}` : 'label=docker-lab.sandbox';
  const list = (args: string[]) =>
    execFileSync('docker', [...args, '--filter', filter], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
  const format = (id: string) => ['--format', `{{${id}}} {{.Label "docker-lab.sandbox.for"}}`];
  const keep = (lines: string[]) =>
    lines.filter((l) => (purpose ? true : !l.endsWith(' cluster'))).map((l) => l.split(' ')[0]!);
  return {
    containers: keep(list(['ps', '-a', '--no-trunc', ...format('.ID')])),
    volumes: keep(list(['volume', 'ls', ...format('.Name')])),
    networks: keep(list(['network', 'ls', '--no-trunc', ...format('.ID')])),
  };
}

before(async () => {
  await requireDaemon();
  for (const engine of ENGINES) {
    if (hasImage(`docker-lab/sandbox:${engine}`)) continue;
    const built = await runCli(['images', 'build-sandbox', '--engine', engine], {}, 900_000);
    assert.equal(built.code, 0, built.stdout + built.stderr);
  }
});

describe('docker-lab verify: the cluster lesson', () => {
  for (const [lang, engine] of [
    ['en', '26.1'],
    ['zh-CN', '20.10'],
  ] as const) {
    test(`lessons/${lang}/cluster.md passes on three Engine ${engine} nodes and leaves the daemon as it was`, async () => {
      const othersBefore = sandboxObjects();
      const listed = daemonListing();
      const run = await runCli(
        ['verify', `lessons/${lang}/cluster.md`, '--engine', engine, '--reporter', 'plain'],
        {},
        600_000,
      );
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`^${lang}/cluster runs on 3 nodes: in a sandbox`, 'm'));
      for (const step of ['init', 'join', 'nodes', 'overlay', 'service', 'mesh', 'drain', 'stack'])
        assert.match(run.stdout, new RegExp(`^ {2}PASS ${step}: `, 'm'), run.stdout);
      assert.match(run.stdout, /1 passed, 0 failed/);
      const after = daemonListing();
      // Ours carry docker-lab.sandbox.for=cluster: none may be left. Sandboxes other tests on this
      // shared daemon start meanwhile (another purpose) are theirs, and left out of the comparison.
      assert.deepEqual(sandboxObjects('cluster'), { containers: [], volumes: [], networks: [] });
      const othersAfter = sandboxObjects();
      const others = {
        containers: [...othersBefore.containers, ...othersAfter.containers],
        volumes: [...othersBefore.volumes, ...othersAfter.volumes],
        networks: [...othersBefore.networks, ...othersAfter.networks],
      };
      const mine = (listing: Record<string, string[]>) => ({
        containers: listing.containers!.filter((id) => !others.containers.includes(id)),
        volumes: listing.volumes!.filter((name) => !others.volumes.includes(name)),
        networks: listing.networks!.filter((id) => !others.networks.includes(id)),
        swarm: listing.swarm,
      });
      assert.deepEqual(mine(after), mine(listed));
    });
  }
});

describe('docker-lab verify: a cluster lesson on a daemon without a sandbox image', () => {
  test('is skipped, never run on that daemon, saying how to build the image', async (t) => {
    const dind = await startDind();
    t.after(() => dind.remove());
    const inner = { ...process.env, ...dind.env };
    const listed = daemonListing(inner);
    const run = await runCli(['verify', '--reporter', 'json', 'lessons/en/cluster.md'], dind.env);
    // Skipped lessons do not fail a run (docs/ci.md); --require-images is the strict mode.
    assert.equal(run.code, 0, run.stderr);
    const [lesson] = JSON.parse(run.stdout).lessons;
    assert.equal(lesson.status, 'skipped');
    assert.match(
      lesson.reason,
      /runs on 3 nodes, only in a sandbox, and no sandbox image is on this daemon \(docker-lab images build-sandbox builds it\)/,
    );
    assert.deepEqual(daemonListing(inner), listed, 'nothing ran on that daemon');
  });
});

describe('docker-lab lint: a check on a node', () => {
  test('a node the lesson does not have is an error at the check, with how many nodes it has', async () => {
    const run = await runCli(['lint', 'fixtures/lessons/cluster/unknown-node.md']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(
      run.stdout + run.stderr,
      /unknown-node\.md:\d+:\d+ +error +check "on-worker2" looks at node worker2, but this lesson has 2 nodes \(manager, worker1\)/,
    );
  });

  test('in a lesson of one daemon, a worker is an error that says to declare nodes', async () => {
    const run = await runCli(['lint', 'fixtures/lessons/cluster/one-node.md']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout + run.stderr, /add `nodes: 2` to the front matter/);
  });

  test('the cluster lesson and its twin, with nodes: 3 and checks on worker1 and worker2, lint clean', async () => {
    const run = await runCli(['lint', 'lessons/en/cluster.md', 'lessons/zh-CN/cluster.md']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });
});
