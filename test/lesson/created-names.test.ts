import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addScript,
  composeProjectFromDir,
  emptyNames,
  simpleCommands,
  type CreatedNames,
} from '../../src/lesson/created-names.js';

function names(
  script: string,
  files: { path: string; content: string }[] = [],
  workdir = '/w/en-compose',
): CreatedNames {
  const out = emptyNames();
  addScript(script, out, files, workdir);
  return out;
}
const list = (set: Set<string>): string[] => [...set].sort();

test('simple commands are split at operators, newlines and continuations, quotes kept', () => {
  assert.deepEqual(simpleCommands('a "b c" && d \\\n e; f | g # h\ni > out j'), [
    ['a', 'b c'],
    ['d', 'e'],
    ['f'],
    ['g'],
    // `i > out j` runs `i j` with its output in `out`, as sh reads it.
    ['i', 'j'],
  ]);
});

test('run and create: --name, named volumes, the image; paths and variables are not names', () => {
  const n = names(
    'docker run -dit --name dl-a -v dl-vol:/x -v "$PWD/data:/d" -v /etc:/e --mount type=volume,source=dl-m,target=/m -p 127.0.0.1:80:80 busybox sleep 1\n' +
      'docker container create --name=dl-b -e X=1 ubuntu:22.04\n' +
      'docker run --name "$NAME" busybox',
  );
  assert.deepEqual(list(n.containers), ['dl-a', 'dl-b']);
  assert.deepEqual(list(n.volumes), ['dl-m', 'dl-vol']);
  assert.deepEqual(list(n.images), ['busybox:latest', 'ubuntu:22.04']);
});

test('images: build -t, tag, commit, pull, import; -t of build is a tag, -t of run a terminal', () => {
  const n = names(
    'docker build -t hello -f Dockerfile .\ndocker tag hello localhost:5000/hello:1\n' +
      'docker commit -a me -m "msg" dl-c mine:net\ndocker pull mysql:8.4\ndocker import rootfs.tar base:1\n' +
      'docker buildx build --tag dl-x --load .\ndocker run -t busybox',
  );
  assert.deepEqual(list(n.images), [
    'base:1',
    'busybox:latest',
    'dl-x:latest',
    'hello:latest',
    'localhost:5000/hello:1',
    'mine:net',
    'mysql:8.4',
  ]);
});

test('volumes, networks, services, secrets, configs, stacks and swarm', () => {
  const n = names(
    'docker volume create dl-v\ndocker network create -d bridge dl-n\n' +
      'docker service create --name dl-s --replicas 2 busybox\ndocker secret create dl-sec ./f\n' +
      'docker config create dl-cfg ./f\ndocker stack deploy -c stack.yml dl-st\ndocker -H tcp://h:2375 swarm init --advertise-addr 127.0.0.1',
  );
  assert.deepEqual(list(n.volumes), ['dl-v']);
  assert.deepEqual(list(n.networks), ['dl-n']);
  assert.deepEqual(list(n.services), ['dl-s']);
  assert.deepEqual(list(n.secrets), ['dl-sec']);
  assert.deepEqual(list(n.configs), ['dl-cfg']);
  assert.deepEqual(list(n.stacks), ['dl-st']);
  assert.equal(n.swarm, true);
});

test('compose: -p, COMPOSE_PROJECT_NAME, the file’s name:, or the folder; container_name and named volumes', () => {
  const file = {
    path: 'stack.yml',
    content:
      'services:\n  db:\n    container_name: dl-db\n    image: mysql:8.4\nvolumes:\n  data: {}\n  fixed: { name: dl-fixed }\n',
  };
  const explicit = names('docker compose -f stack.yml -p dl-p up -d', [file]);
  assert.deepEqual(list(explicit.composeProjects), ['dl-p']);
  assert.deepEqual(list(explicit.containers), ['dl-db']);
  assert.deepEqual(list(explicit.volumes), ['dl-fixed', 'dl-p_data']);
  assert.deepEqual(list(names('COMPOSE_PROJECT_NAME=envp docker-compose up -d').composeProjects), [
    'envp',
  ]);
  assert.deepEqual(
    list(
      names('docker compose up -d', [
        { path: 'compose.yaml', content: 'name: named\nservices: {}\n' },
      ]).composeProjects,
    ),
    ['named'],
  );
  assert.deepEqual(list(names('docker compose up -d', [], '/w/En Compose!').composeProjects), [
    'encompose',
  ]);
  assert.deepEqual(
    list(names('docker compose version').composeProjects),
    [],
    'version makes no project',
  );
});

test('compose project names from folders follow compose’s rule', () => {
  assert.equal(composeProjectFromDir('/state/work/zh-CN-compose/'), 'zh-cn-compose');
  assert.equal(composeProjectFromDir('/x/_Lab.1'), 'lab1');
});

test('prose-like and unbalanced input never throws and names nothing', () => {
  for (const script of [
    'echo "unbalanced',
    'docker',
    'docker run',
    'docker volume create',
    '$(docker ps -q)',
    'docker run --name',
  ]) {
    const n = names(script);
    assert.equal(n.containers.size + n.volumes.size, 0, script);
  }
});
