/**
 * The `volume`, `network` and `file` check kinds against the real daemon and file system.
 * Other test files share the daemon: every object has a random name and is removed afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { requireDaemon } from '../../helpers/daemon.js';
import { ensureBusyboxImage } from '../../helpers/images.js';
import {
  checkContext,
  removeAll,
  TEST_LABELS,
  uniqueName,
  verdict,
} from '../../helpers/kind-context.js';
import { volumeKind } from '../../../src/checks/kinds/volume.js';
import { networkKind } from '../../../src/checks/kinds/network.js';
import { fileKind } from '../../../src/checks/kinds/file.js';

const docker = new Dockerode();
const ctx = () => checkContext(docker);

describe('volume', () => {
  const volume = uniqueName('dl-test-vol');
  const user = uniqueName('dl-test-vol-user');
  const bystander = uniqueName('dl-test-vol-bind');

  before(async () => {
    await requireDaemon();
    const image = await ensureBusyboxImage();
    await docker.createVolume({ Name: volume, Labels: { ...TEST_LABELS, role: 'db' } });
    // Created, never started: a stopped container still holds its volume.
    await docker.createContainer({
      name: user,
      Image: image,
      Labels: TEST_LABELS,
      HostConfig: { Binds: [`${volume}:/data`] },
    });
    // Its mount destination is spelled like the volume: the Engine's filter would count it.
    await docker.createContainer({
      name: bystander,
      Image: image,
      Labels: TEST_LABELS,
      HostConfig: { Tmpfs: { [`/${volume}`]: '' } },
    });
  });
  after(() => removeAll(docker, { containers: [user, bystander], volumes: [volume] }));

  test('passes when the volume exists with the driver, labels and containers expected', async () => {
    const observation = await volumeKind.evaluate(
      {
        name: volume,
        exists: true,
        driver: 'local',
        labels: { equals: { ...TEST_LABELS, role: 'db' } },
        usedBy: [user],
      },
      ctx(),
    );
    const { observed, ...rest } = observation;
    assert.deepEqual(rest, { subject: `volume ${volume}`, pass: true, mismatches: [] });
    // What a `capture` can take from it: its name as its id, where its data lives.
    assert.deepEqual(
      { ...observed, mountpoint: typeof observed?.mountpoint },
      {
        id: volume,
        mountpoint: 'string',
        driver: 'local',
        labels: { ...TEST_LABELS, role: 'db' },
        usedBy: [user],
      },
    );
  });

  test('reports each field that differs, with what it found', async () => {
    const observation = await volumeKind.evaluate(
      { name: volume, driver: 'nfs', labels: { equals: { role: 'cache' } }, usedBy: { length: 0 } },
      ctx(),
    );
    assert.equal(observation.pass, false);
    assert.deepEqual(observation.mismatches, [
      { field: 'driver', expected: 'equals "nfs"', actual: 'local' },
      {
        field: 'labels',
        expected: 'equals {"role":"cache"}',
        actual: { ...TEST_LABELS, role: 'db' },
      },
      { field: 'usedBy', expected: 'has a length that (equals 0)', actual: [user] },
    ]);
    assert.equal(observation.fix, `Mount it in a container: docker run -v ${volume}:/path ...`);
  });

  test('a missing volume fails `exists` and says how to create it', async () => {
    const missing = uniqueName('dl-test-novol');
    const observation = await volumeKind.evaluate({ name: missing, driver: 'local' }, ctx());
    assert.deepEqual(verdict(observation), {
      subject: `volume ${missing}`,
      pass: false,
      mismatches: [{ field: 'exists', expected: 'equals true', actual: false }],
      fix: `Create it: docker volume create ${missing}`,
    });
  });

  test('`exists: false` passes for a missing volume and fails for a present one', async () => {
    const missing = uniqueName('dl-test-novol');
    assert.equal((await volumeKind.evaluate({ name: missing, exists: false }, ctx())).pass, true);
    const present = await volumeKind.evaluate({ name: volume, exists: false }, ctx());
    assert.deepEqual(present.mismatches, [
      { field: 'exists', expected: 'equals false', actual: true },
    ]);
  });

  test('speaks the learner’s language', async () => {
    const missing = uniqueName('dl-test-novol');
    const observation = await volumeKind.evaluate(
      { name: missing, exists: true },
      checkContext(docker, { lang: 'zh-CN' }),
    );
    assert.equal(observation.subject, `数据卷 ${missing}`);
    assert.equal(observation.mismatches[0]?.expected, '等于 true');
    assert.equal(observation.fix, `创建它：docker volume create ${missing}`);
  });
});

describe('network', () => {
  const network = uniqueName('dl-test-net');
  const member = uniqueName('dl-test-net-member');
  let subnet = '';
  let networkId = '';

  before(async () => {
    await requireDaemon();
    const image = await ensureBusyboxImage();
    // A random /24 in 10.234.0.0/16; another test may hold one, so try a few.
    for (let attempt = 0; ; attempt++) {
      subnet = `10.234.${Math.floor(Math.random() * 256)}.0/24`;
      try {
        const created = await docker.createNetwork({
          Name: network,
          Driver: 'bridge',
          Internal: true,
          Labels: TEST_LABELS,
          IPAM: { Config: [{ Subnet: subnet }] },
        });
        networkId = created.id;
        break;
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
    await docker.createContainer({
      name: member,
      Image: image,
      Labels: TEST_LABELS,
      HostConfig: { NetworkMode: network },
    });
  });
  after(() => removeAll(docker, { containers: [member], networks: [network] }));

  test('passes with driver, attached containers (stopped ones too), internal and subnet', async () => {
    const observation = await networkKind.evaluate(
      {
        name: network,
        exists: true,
        driver: 'bridge',
        containers: [member],
        internal: true,
        subnet,
      },
      ctx(),
    );
    const { observed, ...rest } = observation;
    assert.deepEqual(rest, { subject: `network ${network}`, pass: true, mismatches: [] });
    // What a `capture` can take from it.
    assert.match(String(observed?.id), /^[0-9a-f]{64}$/);
    assert.deepEqual(
      { ...observed, id: undefined },
      { id: undefined, driver: 'bridge', internal: true, subnet, containers: [member] },
    );
  });

  test('reports each field that differs', async () => {
    const observation = await networkKind.evaluate(
      {
        name: network,
        driver: 'overlay',
        containers: { contains: 'dl-web' },
        internal: false,
        subnet: { startsWith: '192.168.' },
      },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'driver', expected: 'equals "overlay"', actual: 'bridge' },
      { field: 'containers', expected: 'contains "dl-web"', actual: [member] },
      { field: 'internal', expected: 'equals false', actual: true },
      { field: 'subnet', expected: 'starts with "192.168."', actual: subnet },
    ]);
    assert.equal(
      observation.fix,
      `Attach the container: docker network connect ${network} CONTAINER`,
    );
  });

  test('a missing network fails `exists` and says how to create it', async () => {
    const missing = uniqueName('dl-test-nonet');
    const observation = await networkKind.evaluate({ name: missing, driver: 'bridge' }, ctx());
    assert.deepEqual(verdict(observation), {
      subject: `network ${missing}`,
      pass: false,
      mismatches: [{ field: 'exists', expected: 'equals true', actual: false }],
      fix: `Create it: docker network create ${missing}`,
    });
  });

  test('a name is not matched against the beginning of some network id', async () => {
    const prefix = networkId.slice(0, 8);
    const observation = await networkKind.evaluate({ name: prefix, exists: false }, ctx());
    assert.equal(observation.pass, true);
  });
});

describe('file', () => {
  let workdir = '';

  before(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'dl-test-file-'));
    await writeFile(join(workdir, 'index.html'), '<h1>Hello</h1>\n');
    await chmod(join(workdir, 'index.html'), 0o640);
    await mkdir(join(workdir, 'site'));
  });
  after(() => rm(workdir, { recursive: true, force: true }));

  const at = () => checkContext(docker, { workdir });

  test('reads paths relative to the lesson’s working directory', async () => {
    const observation = await fileKind.evaluate(
      { path: 'index.html', exists: true, content: { contains: 'Hello' }, mode: '0640' },
      at(),
    );
    assert.deepEqual(verdict(observation), {
      subject: 'file index.html',
      pass: true,
      mismatches: [],
    });
  });

  test('absolute paths are taken as they are', async () => {
    const observation = await fileKind.evaluate(
      { path: join(workdir, 'index.html'), content: '<h1>Hello</h1>\n' },
      checkContext(docker, { workdir: '/' }),
    );
    assert.equal(observation.pass, true);
  });

  test('reports content and mode that differ, and how to fix the mode', async () => {
    const observation = await fileKind.evaluate(
      { path: 'index.html', content: { contains: 'Bye' }, mode: '0644' },
      at(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'content', expected: 'contains "Bye"', actual: '<h1>Hello</h1>\n' },
      { field: 'mode', expected: 'equals "0644"', actual: '0640' },
    ]);
    const modeOnly = await fileKind.evaluate({ path: 'index.html', mode: '0644' }, at());
    assert.equal(modeOnly.fix, 'Change its mode: chmod 0644 index.html');
  });

  test('a missing file fails `exists`; `exists: false` passes', async () => {
    const observation = await fileKind.evaluate({ path: 'nope.txt', content: 'x' }, at());
    assert.deepEqual(verdict(observation), {
      subject: 'file nope.txt',
      pass: false,
      mismatches: [{ field: 'exists', expected: 'equals true', actual: false }],
      fix: 'Create the file nope.txt',
    });
    assert.equal((await fileKind.evaluate({ path: 'nope.txt', exists: false }, at())).pass, true);
  });

  test('a directory exists but has no content', async () => {
    const observation = await fileKind.evaluate({ path: 'site', exists: true, content: '' }, at());
    assert.deepEqual(observation.mismatches, [
      { field: 'content', expected: 'equals ""', actual: null },
    ]);
  });
});
