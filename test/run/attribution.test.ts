import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineEvent } from '../../src/docker/events.js';
import { createdNames } from '../../src/lesson/created-names.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { Attribution, RUN_LABEL } from '../../src/run/attribution.js';

const lesson = parseLesson(
  'l.md',
  [
    '---\nid: l\ntitle: L\nlang: en\n---\n# L\n\nThe words mysql, docker, run and my-secret-pw are prose.\n\n## S {#s}\n\n',
    '```sh\ndocker run -d --name dl-web -e MYSQL_ROOT_PASSWORD=my-secret-pw -v dl-data:/data busybox:latest\n',
    'docker service create --name dl-svc busybox\ndocker compose -p dl-proj up -d\n',
    'docker stack deploy -c stack.yml dl-stack\ndocker swarm init --advertise-addr 127.0.0.1\n',
    'docker tag busybox localhost:5000/my-ubuntu\n```\n\n',
    '```yaml check\n- id: c\n  image: { name: "localhost:5000/other", exists: true }\n```\n',
  ].join(''),
).lesson!;

const attribution = new Attribution(createdNames(lesson, '/w/en-l'), 'run1');

const event = (
  type: string,
  attributes: Record<string, string>,
  id = 'x',
  action = 'create',
): EngineEvent => ({ type, action, id, attributes, scope: 'local', timeNano: 0n });

test('the lesson’s own names are the lesson’s, whoever created them and whenever', () => {
  assert.equal(attribution.accepts(event('container', { name: 'dl-web' })), true);
  assert.equal(attribution.accepts(event('volume', {}, 'dl-data')), true);
  assert.equal(
    attribution.accepts(
      event('image', { name: 'localhost:5000/my-ubuntu:latest' }, 'sha256:1', 'tag'),
    ),
    true,
  );
  assert.equal(attribution.accepts(event('service', { name: 'dl-svc' })), true);
});

test('objects derived from the lesson’s: service tasks, compose project, stack, swarm networks', () => {
  assert.equal(
    attribution.accepts(
      event('container', { 'com.docker.swarm.service.name': 'dl-svc', name: 'dl-svc.1.abc' }),
    ),
    true,
  );
  assert.equal(
    attribution.accepts(
      event('container', { 'com.docker.compose.project': 'dl-proj', name: 'x-1' }),
    ),
    true,
  );
  assert.equal(attribution.accepts(event('network', { name: 'dl-proj_default' })), true);
  assert.equal(attribution.accepts(event('volume', {}, 'dl-stack_data')), true);
  assert.equal(attribution.accepts(event('service', { name: 'dl-stack_web' })), true);
  assert.equal(attribution.accepts(event('network', { name: 'docker_gwbridge' })), true);
  assert.equal(attribution.accepts(event('network', { name: 'ingress' })), true);
});

test('a container docker-lab labelled for this run is the lesson’s, another run’s is not', () => {
  assert.equal(
    attribution.accepts(event('container', { [RUN_LABEL]: 'run1', name: 'eager_bose' })),
    true,
  );
  assert.equal(
    attribution.accepts(event('container', { [RUN_LABEL]: 'run2', name: 'eager_bose' })),
    false,
  );
});

test('nothing else is: random names, words of the prose, names only a check mentions', () => {
  for (const name of [
    'eager_bose',
    'mysql',
    'docker',
    'run',
    'my-secret-pw',
    'busybox',
    'dl-web2',
    'dl-proj',
  ])
    assert.equal(attribution.accepts(event('container', { name })), false, name);
  for (const name of ['mysql', 'run', 'steer-learner-1', 'dl-data2'])
    assert.equal(attribution.accepts(event('volume', {}, name)), false, name);
  assert.equal(
    attribution.accepts(event('image', { name: 'localhost:5000/other:latest' }, 'sha256:1', 'tag')),
    false,
  );
  assert.equal(attribution.accepts(event('network', { name: 'bridge2' })), false);
});

test('swarm side networks are the lesson’s only when it turns swarm on', () => {
  const plain = parseLesson(
    'p.md',
    '---\nid: p\ntitle: P\nlang: en\n---\n# P\n\n## S {#s}\n\n```sh\ndocker run --name a busybox\n```\n\n```yaml check\n- id: c\n  container: { name: a, exists: true }\n```\n',
  ).lesson!;
  const other = new Attribution(createdNames(plain, '/w/p'), 'r');
  assert.equal(other.accepts(event('network', { name: 'docker_gwbridge' })), false);
});
