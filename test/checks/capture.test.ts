/** Captured values: the field path, the value kept, and `${NAME}` substitution. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  captureValue,
  referencedNames,
  substituteCaptures,
  substituteDeep,
  valueAt,
} from '../../src/checks/capture.js';

const observed = {
  stdout: '172.17.0.5\n',
  exitCode: 0,
  running: true,
  ports: ['80/tcp->0.0.0.0:8080', '443/tcp->0.0.0.0:8443'],
  labels: { 'com.example.tier': 'web', com: 'short' },
  ipAddresses: { mynet: '10.0.0.2' },
};

test('a field path goes into maps by the longest key and into lists by index', () => {
  assert.equal(valueAt(observed, 'stdout'), '172.17.0.5\n');
  assert.equal(valueAt(observed, 'labels.com.example.tier'), 'web');
  assert.equal(valueAt(observed, 'labels.com'), 'short');
  assert.equal(valueAt(observed, 'ports.1'), '443/tcp->0.0.0.0:8443');
  assert.equal(valueAt(observed, 'ipAddresses.mynet'), '10.0.0.2');
  assert.equal(valueAt(observed, 'ports.x'), undefined);
  assert.equal(valueAt(observed, 'nothing'), undefined);
  assert.equal(valueAt(observed, 'stdout.length'), undefined, 'text has no fields');
});

test('the value kept is one value as text, trimmed, then narrowed by matches', () => {
  assert.deepEqual(captureValue({ name: 'IP', from: 'stdout' }, observed), {
    value: '172.17.0.5',
  });
  assert.deepEqual(captureValue({ name: 'CODE', from: 'exitCode' }, observed), { value: '0' });
  assert.deepEqual(captureValue({ name: 'UP', from: 'running' }, observed), { value: 'true' });
  assert.deepEqual(
    captureValue({ name: 'PORT', from: 'ports.0', matches: ':(\\d+)$' }, observed),
    { value: '8080' },
    'the first group',
  );
  assert.deepEqual(
    captureValue({ name: 'NET', from: 'stdout', matches: '\\d+\\.\\d+' }, observed),
    { value: '172.17' },
    'the whole match without a group',
  );
  assert.deepEqual(captureValue({ name: 'X', from: 'ports' }, observed), {
    problem: { kind: 'not-single', value: observed.ports },
  });
  assert.deepEqual(captureValue({ name: 'X', from: 'nope' }, observed), {
    problem: { kind: 'missing' },
  });
  assert.deepEqual(captureValue({ name: 'X', from: 'stdout', matches: '^abc' }, observed), {
    problem: { kind: 'no-match', value: '172.17.0.5' },
  });
});

test('only captured names are substituted; any other ${VAR} is left for the shell', () => {
  const values = new Map([
    ['IP', '172.17.0.5'],
    ['WEB_ID', 'abc123'],
  ]);
  assert.equal(
    substituteCaptures('wget http://${IP}/ && echo ${HOME} $IP ${IP}${WEB_ID}', values),
    'wget http://172.17.0.5/ && echo ${HOME} $IP 172.17.0.5abc123',
  );
  assert.equal(substituteCaptures('${ip} ${IP:-x}', values), '${ip} ${IP:-x}', 'not a capture');
  assert.deepEqual(
    referencedNames('a ${IP} b ${HOME}').map((r) => [r.name, r.index]),
    [
      ['IP', 2],
      ['HOME', 10],
    ],
  );
});

test('every string of a check is substituted, keys and other values are kept', () => {
  const spec = {
    name: '${WEB_ID}',
    ports: ['${IP}:80'],
    stdout: { contains: 'id ${WEB_ID}' },
    count: 1,
    running: true,
  };
  assert.deepEqual(substituteDeep(spec, new Map([['WEB_ID', 'abc']])), {
    name: 'abc',
    ports: ['${IP}:80'],
    stdout: { contains: 'id abc' },
    count: 1,
    running: true,
  });
});
