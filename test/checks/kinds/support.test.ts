/**
 * The pure parts of the check kinds: stream decoding, time windows, url and mode spelling, and
 * how compose and swarm answers become the fields a check compares.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Dockerode from 'dockerode';
import { clean, demux, raw } from '../../../src/checks/kinds/support.js';
import { sinceParam } from '../../../src/checks/kinds/logs.js';
import { argv } from '../../../src/checks/kinds/exec.js';
import { expandUrl } from '../../../src/checks/kinds/http.js';
import { nextLink, registryBase } from '../../../src/checks/kinds/registry.js';
import { modeString, resolvePath } from '../../../src/checks/kinds/file.js';
import { composeState } from '../../../src/checks/kinds/compose.js';
import { serviceFacts, type ServiceInfo } from '../../../src/checks/kinds/service.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('demux splits the Engine’s frames and keeps their order in `text`', () => {
  const buffer = Buffer.concat([frame(1, 'one\n'), frame(2, 'oops\n'), frame(1, 'two\n')]);
  assert.deepEqual(demux(buffer), {
    text: 'one\noops\ntwo\n',
    stdout: 'one\ntwo\n',
    stderr: 'oops\n',
  });
});

test('a frame cut short at the end is dropped, not misread', () => {
  const buffer = Buffer.concat([frame(1, 'whole\n'), frame(2, 'cut').subarray(0, 6)]);
  assert.deepEqual(demux(buffer), { text: 'whole\n', stdout: 'whole\n', stderr: '' });
});

test('a TTY stream is raw: all stdout, CRLF and colours made plain', () => {
  assert.deepEqual(raw(Buffer.from('\u001b[32mready\u001b[0m\r\n')), {
    text: 'ready\n',
    stdout: 'ready\n',
    stderr: '',
  });
  assert.equal(clean('a\r\nb'), 'a\nb');
});

test('since is seconds.nanoseconds; 0 means from the start', () => {
  assert.equal(sinceParam(0), '0');
  assert.equal(sinceParam(1700000000), '1700000000');
  assert.equal(sinceParam(1700000000.25), '1700000000.250000000');
});

test('exec: text goes through sh -c, a list is the argv', () => {
  assert.deepEqual(argv('getent hosts db'), ['sh', '-c', 'getent hosts db']);
  assert.deepEqual(argv(['ls', '-l']), ['ls', '-l']);
});

test('${DAEMON_HOST} in urls; IPv6 hosts get brackets', () => {
  assert.equal(expandUrl('http://${DAEMON_HOST}:8080/', '192.168.1.5'), 'http://192.168.1.5:8080/');
  assert.equal(expandUrl('http://${DAEMON_HOST}:8080/', '::1'), 'http://[::1]:8080/');
});

test('registry urls default to http; a Link header names the next catalog page', () => {
  assert.equal(registryBase('127.0.0.1:5000', 'x'), 'http://127.0.0.1:5000');
  assert.equal(registryBase('https://reg.example/', 'x'), 'https://reg.example');
  assert.equal(registryBase('${DAEMON_HOST}:5000', '10.0.0.2'), 'http://10.0.0.2:5000');
  assert.equal(
    nextLink('</v2/_catalog?last=b&n=2>; rel="next"', 'http://127.0.0.1:5000'),
    'http://127.0.0.1:5000/v2/_catalog?last=b&n=2',
  );
  assert.equal(nextLink(null, 'http://h'), undefined);
});

test('file modes are written like chmod takes them; paths start at the workdir', () => {
  assert.equal(modeString(0o100644), '0644');
  assert.equal(modeString(0o104755), '4755');
  assert.equal(resolvePath('site/index.html', '/lab'), '/lab/site/index.html');
  assert.equal(resolvePath('/etc/hosts', '/lab'), '/etc/hosts');
});

function container(service: string, state: string, created: number, oneoff = 'False') {
  return {
    Id: `${service}-${created}`,
    State: state,
    Created: created,
    Labels: {
      'com.docker.compose.project': 'p',
      'com.docker.compose.service': service,
      'com.docker.compose.oneoff': oneoff,
    },
  } as unknown as Dockerode.ContainerInfo;
}

test('compose: services by label, one-off `run` containers left out, newest per service', () => {
  const state = composeState([
    container('web', 'exited', 1),
    container('web', 'running', 2),
    container('db', 'exited', 1),
    container('tool', 'running', 3, 'True'),
  ]);
  assert.deepEqual(state.services, ['db', 'web']);
  assert.deepEqual(state.running, ['web']);
  assert.equal(state.newest.get('web')?.Id, 'web-2');
});

test('swarm: desired replicas, running tasks, tag without digest, published ports', () => {
  const info: ServiceInfo = {
    ID: 'abc',
    Spec: {
      Name: 'web',
      Mode: { Replicated: { Replicas: 3 } },
      TaskTemplate: { ContainerSpec: { Image: 'nginx:1.25@sha256:' + 'a'.repeat(64) } },
    },
    Endpoint: { Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080 }] },
  };
  const tasks = [
    { DesiredState: 'running', Status: { State: 'running' } },
    { DesiredState: 'running', Status: { State: 'preparing' } },
    { DesiredState: 'shutdown', Status: { State: 'running' } },
  ];
  assert.deepEqual(serviceFacts(info, tasks), {
    replicas: 3,
    running: 1,
    image: 'nginx:1.25',
    mode: 'replicated',
    ports: ['8080->80/tcp'],
  });
  const global = serviceFacts({ ID: 'x', Spec: { Name: 'agent', Mode: { Global: {} } } }, []);
  assert.equal(global.mode, 'global');
  assert.equal(global.replicas, null);
});
