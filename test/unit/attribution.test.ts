import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineEvent } from '../../src/docker/events.js';
import { parseLesson } from '../../src/lesson/parser.js';
import { Attribution } from '../../src/run/attribution.js';

const lesson = parseLesson(
  'l.md',
  [
    '---\nid: l\ntitle: L\nlang: en\n---\n# L\n\n## S {#s}\n\n',
    '```sh\ndocker run -d --name dl-web -v dl-data:/data busybox:latest\ndocker service create --name dl-svc busybox\n```\n\n',
    '```yaml check\n- id: c\n  image: { name: "localhost:5000/my-ubuntu", exists: true }\n```\n',
  ].join(''),
).lesson!;

const event = (attributes: Record<string, string>, id = 'x'): EngineEvent => ({
  type: 'container',
  action: 'create',
  id,
  attributes,
  scope: 'local',
  timeNano: 0n,
});

test('while a lesson command runs, and shortly after, every creation counts as the lesson’s', () => {
  const a = new Attribution(lesson);
  a.commandStarted();
  assert.equal(a.accepts(event({ name: 'random_name' }), 1000), true);
  a.commandEnded(10_000);
  assert.equal(a.accepts(event({ name: 'random_name' }), 12_000), true);
  assert.equal(a.accepts(event({ name: 'random_name' }), 13_500), false);
});

test('between commands, only what the lesson names counts', () => {
  const a = new Attribution(lesson);
  const later = Date.now() + 60_000;
  assert.equal(a.accepts(event({ name: 'dl-web' }), later), true);
  assert.equal(a.accepts(event({}, 'dl-data'), later), true, 'a volume is named by its id');
  assert.equal(a.accepts(event({ name: 'localhost:5000/my-ubuntu:latest' }), later), true);
  assert.equal(
    a.accepts(event({ 'com.docker.swarm.service.name': 'dl-svc', name: 'dl-svc.1.abc' }), later),
    true,
  );
  assert.equal(a.accepts(event({ name: 'learners-own' }), later), false);
});
