import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stepNames, type NameRef } from '../../src/lesson/created-names.js';
import { parseLesson } from '../../src/lesson/parser.js';
import type { Lesson } from '../../src/lesson/schema.js';
import type { Engine } from '../../src/docker/client.js';
import {
  describeRewind,
  recreatePlan,
  reliedOn,
  resumeLesson,
  resumePoint,
  type RerunRun,
} from '../../src/run/resume.js';

/** A lesson from its steps: [id, shell script, yaml checks?]. */
function lesson(steps: [string, string, string?][]): Lesson {
  const text = [
    '---',
    'id: resume-rule',
    'title: Resume',
    'lang: en',
    '---',
    '# Resume',
    '',
    ...steps.flatMap(([id, script, checks]) => [
      `## Step ${id} {#${id}}`,
      '',
      ...(script ? ['```sh', script, '```', ''] : []),
      '```yaml check',
      checks ?? `- id: ${id}-ran\n  output: { exitCode: 0 }`,
      '```',
      '',
    ]),
  ].join('\n');
  const parsed = parseLesson('resume.md', text);
  assert.ok(parsed.lesson, JSON.stringify(parsed.diagnostics));
  return parsed.lesson;
}

/** A daemon that has exactly these objects (`container:dl-x`, `image:hello:latest` ...). */
function daemon(present: string[] = []) {
  const asked: string[] = [];
  return {
    asked,
    exists: (ref: NameRef) => {
      asked.push(`${ref.type}:${ref.name}`);
      return Promise.resolve(present.includes(`${ref.type}:${ref.name}`));
    },
  };
}

const ALL = (l: Lesson) => new Set(l.steps.map((s) => s.id));

const EXEC = lesson([
  ['make', 'docker run -d --name dl-db docker-lab-test/busybox:latest sleep 300'],
  ['look', 'docker ps'],
  ['into', 'docker exec dl-db ls /'],
]);

describe('resuming a lesson', () => {
  test('a container made two steps earlier and gone: back to the step that makes it, saying why', async () => {
    const d = daemon();
    const rewind = await resumePoint(EXEC, {
      workdir: '/w/x',
      completed: new Set(['make', 'look']),
      at: 2,
      exists: d.exists,
    });
    assert.deepEqual(rewind, {
      index: 0,
      missing: [{ ref: { type: 'container', name: 'dl-db' }, step: 0 }],
      redo: ['make', 'look', 'into'],
    });
    assert.equal(
      describeRewind(rewind, 'en'),
      'dl-db was removed when you left the lesson: starting again at step 1, which creates it.',
    );
    assert.equal(
      describeRewind(rewind, 'zh-CN'),
      'dl-db 在你离开这一课时被删除了：从第 1 步重新开始，这一步会创建它。',
    );
    // Only what the rest relies on is asked about (the busybox image is fetched by `run`).
    assert.deepEqual(d.asked, ['container:dl-db']);
  });

  test('still there: the lesson resumes where it was', async () => {
    const d = daemon(['container:dl-db']);
    const options = { workdir: '/w', completed: ALL(EXEC), at: 2, exists: d.exists };
    assert.equal(await resumePoint(EXEC, options), undefined);
  });

  test('at the first step nothing is asked', async () => {
    const d = daemon();
    const options = { workdir: '/w', completed: new Set<string>(), at: 0, exists: d.exists };
    assert.equal(await resumePoint(EXEC, options), undefined);
    assert.deepEqual(d.asked, []);
  });

  test('a step the learner skipped made nothing: its objects are not looked for', async () => {
    const d = daemon();
    const options = { workdir: '/w', completed: new Set(['look']), at: 2, exists: d.exists };
    assert.equal(await resumePoint(EXEC, options), undefined);
    assert.deepEqual(d.asked, []);
  });

  test('a later step that makes the object again before using it does not rely on the old one', async () => {
    const l = lesson([
      ['make', 'docker run -d --name dl-db docker-lab-test/busybox:latest sleep 300'],
      [
        'again',
        'docker rm -f dl-db\ndocker run -d --name dl-db docker-lab-test/busybox:latest top',
      ],
      ['into', 'docker exec dl-db ps'],
    ]);
    const d = daemon();
    const options = { workdir: '/w', completed: ALL(l), at: 1, exists: d.exists };
    assert.equal(await resumePoint(l, options), undefined);
    // ... and at the step after it, the one it made is the one relied on.
    const rewind = await resumePoint(l, { ...options, at: 2 });
    assert.equal(rewind?.index, 1);
  });

  test('removing, and checks that expect an object absent, rely on nothing', async () => {
    const l = lesson([
      ['make', 'docker run -d --name dl-db docker-lab-test/busybox:latest sleep 300'],
      [
        'clean',
        'docker rm -f dl-db',
        '- id: gone\n  container: { name: dl-db, exists: false }\n- id: not-running\n  not: true\n  container: { name: dl-db, running: true }',
      ],
    ]);
    const options = { workdir: '/w', completed: ALL(l), at: 1, exists: daemon().exists };
    assert.equal(await resumePoint(l, options), undefined);
  });

  test("a step's checks rely on what they look at", async () => {
    const l = lesson([
      ['make', 'docker create --name dl-idle docker-lab-test/busybox:latest sleep 300'],
      ['run-it', '', '- id: running\n  container: { name: dl-idle, status: running }'],
    ]);
    const rewind = await resumePoint(l, {
      workdir: '/w',
      completed: ALL(l),
      at: 1,
      exists: daemon().exists,
    });
    assert.equal(rewind?.index, 0);
  });

  test('a chain: the step rewound to relies on an object gone too, made earlier still', async () => {
    const l = lesson([
      ['net', 'docker network create dl-net'],
      ['web', 'docker run -d --name dl-web --network dl-net docker-lab-test/busybox:latest top'],
      ['quiz', 'docker network ls'],
      ['logs', 'docker logs -f dl-web'],
    ]);
    const options = { workdir: '/w', completed: ALL(l), at: 3 };
    // Only the container gone: back to the step that makes it.
    const one = await resumePoint(l, { ...options, exists: daemon(['network:dl-net']).exists });
    assert.equal(one?.index, 1);
    // Both gone: back to the network's step, both named, in the order the lesson makes them.
    const both = await resumePoint(l, { ...options, exists: daemon().exists });
    assert.deepEqual(both, {
      index: 0,
      missing: [
        { ref: { type: 'network', name: 'dl-net' }, step: 0 },
        { ref: { type: 'container', name: 'dl-web' }, step: 1 },
      ],
      redo: ['net', 'web', 'quiz', 'logs'],
    });
    assert.equal(
      describeRewind(both, 'en'),
      'dl-net and dl-web were removed when you left the lesson: starting again at step 1, the first step that creates them.',
    );
    assert.equal(
      describeRewind(both, 'zh-CN'),
      'dl-net 和 dl-web 在你离开这一课时被删除了：从第 1 步重新开始，从这一步起会重新创建它们。',
    );
  });

  test('a named volume: a later run would make it again, empty, so the data step is the one to redo', async () => {
    const l = lesson([
      ['vol', 'docker volume create dl-data'],
      [
        'fill',
        "docker run --rm -v dl-data:/d docker-lab-test/busybox:latest sh -c 'echo hi > /d/f'",
      ],
      ['read', 'docker run --rm -v dl-data:/d docker-lab-test/busybox:latest cat /d/f'],
    ]);
    const rewind = await resumePoint(l, {
      workdir: '/w',
      completed: ALL(l),
      at: 2,
      exists: daemon().exists,
    });
    assert.equal(rewind?.index, 0);
    assert.deepEqual(
      rewind?.missing.map((m) => m.ref.name),
      ['dl-data'],
    );
  });

  test('an image built here is relied on; one Docker pulls again by itself is not', async () => {
    const built = lesson([
      ['build', 'docker build -t dl-hello .'],
      ['run', 'docker run --rm dl-hello'],
    ]);
    const options = { workdir: '/w', completed: ALL(built), at: 1, exists: daemon().exists };
    const rewind = await resumePoint(built, options);
    assert.deepEqual(rewind?.missing, [
      { ref: { type: 'image', name: 'dl-hello:latest' }, step: 0 },
    ]);
    const pulled = lesson([
      ['pull', 'docker pull busybox'],
      ['run', 'docker run --rm busybox'],
    ]);
    assert.equal(await resumePoint(pulled, { ...options, completed: ALL(pulled) }), undefined);
    // A later step that pulls the image itself (from the lesson's registry) relies on nothing.
    const pulledBack = lesson([
      ['tag', 'docker tag busybox localhost:5000/dl-bb'],
      ['rmi', 'docker image rm localhost:5000/dl-bb'],
      [
        'pull',
        'docker pull localhost:5000/dl-bb',
        '- id: back\n  image: { name: "localhost:5000/dl-bb", exists: true }',
      ],
    ]);
    const back = { ...options, completed: ALL(pulledBack), at: 1 };
    assert.equal(await resumePoint(pulledBack, back), undefined);
  });

  test('a completed lesson opened at its last step is checked the same way', async () => {
    const rewind = await resumePoint(EXEC, {
      workdir: '/w',
      completed: ALL(EXEC),
      at: 2,
      exists: daemon().exists,
    });
    assert.equal(rewind?.index, 0);
  });

  test('a daemon that cannot answer is not a rewind: the error goes to the caller', async () => {
    await assert.rejects(
      resumePoint(EXEC, {
        workdir: '/w',
        completed: ALL(EXEC),
        at: 2,
        exists: () => Promise.reject(new Error('daemon gone')),
      }),
      /daemon gone/,
    );
  });

  test('many objects gone: three are named and the rest counted', () => {
    const ref = (name: string) => ({ ref: { type: 'volume' as const, name }, step: 0 });
    const rewind = { index: 0, missing: ['a', 'b', 'c', 'd', 'e'].map(ref), redo: [] };
    assert.equal(
      describeRewind(rewind, 'en'),
      'a, b, c and 2 more were removed when you left the lesson: starting again at step 1, the first step that creates them.',
    );
    assert.match(describeRewind(rewind, 'zh-CN'), /^a、b、c 等 5 个对象在/);
  });
});

describe('what each step relies on and makes (stepNames)', () => {
  const needs = (script: string, files = ''): string[] => {
    const l = lesson([['one', script]]);
    if (files)
      l.steps[0]!.files.push({ path: 'Dockerfile', content: files, lang: '', line: 1, col: 1 });
    return stepNames(l, '/w')[0]!.flatMap((use) => use.needs.map((r) => `${r.type}:${r.name}`));
  };

  test('commands that act on a container name it; flags that take no value are not read as one', () => {
    assert.deepEqual(
      needs(
        'docker exec -it dl-a sh\ndocker start -a dl-b\ndocker logs -f dl-c\ndocker container stop dl-d dl-e\n' +
          'docker cp dl-f:/etc/hosts .\ndocker commit dl-g img\ndocker network connect dl-net dl-h',
      ),
      [
        'container:dl-a',
        'container:dl-b',
        'container:dl-c',
        'container:dl-d',
        'container:dl-e',
        'container:dl-f',
        'container:dl-g',
        'network:dl-net',
        'container:dl-h',
      ],
    );
  });

  test('run relies on links, volumes-from, its network, named volumes and its image', () => {
    assert.deepEqual(
      needs(
        'docker run --link dl-db:db --volumes-from dl-data:ro --network dl-net -v dl-vol:/v -v "$PWD:/w" hello',
      ),
      [
        'container:dl-db',
        'container:dl-data',
        'network:dl-net',
        'volume:dl-vol',
        'image:hello:latest',
      ],
    );
    assert.deepEqual(needs('docker run --network host --net=bridge busybox'), [
      'image:busybox:latest',
    ]);
  });

  test('a build relies on the images its Dockerfile starts from, not its own stages', () => {
    assert.deepEqual(
      needs('docker build -t app .', 'FROM dl-base AS build\nFROM build\nFROM scratch\n'),
      ['image:dl-base:latest'],
    );
  });

  test('removals rely on nothing; makes are what the command creates', () => {
    const l = lesson([
      ['one', 'docker rm -f dl-a\ndocker volume rm dl-v\ndocker rmi dl-i\ndocker build -t dl-i .'],
    ]);
    const uses = stepNames(l, '/w')[0]!;
    assert.deepEqual(
      uses.flatMap((u) => u.needs),
      [],
    );
    assert.deepEqual(
      uses.flatMap((u) => u.makes),
      [{ type: 'image', name: 'dl-i:latest' }],
    );
  });

  test('each step reads its own commands, then its checks', () => {
    const steps = stepNames(EXEC, '/w');
    assert.equal(steps.length, 3);
    assert.deepEqual(steps[0]![0]!.makes, [{ type: 'container', name: 'dl-db' }]);
    assert.deepEqual(
      reliedOn(steps, () => true, 2),
      [{ ref: { type: 'container', name: 'dl-db' }, step: 0 }],
    );
  });
});

/** A lesson run that records what it is asked to do; `pass` says which steps' checks pass. */
function fakeRun(pass: (stepId: string) => boolean = () => true) {
  const ran: string[] = [];
  const run: RerunRun = {
    workdir: '/w',
    daemonLost: undefined,
    runsHere: (c) => c.when !== 'ci',
    beginStep: (step) => Promise.resolve(void ran.push(`begin ${step.id}`)),
    writeFiles: () => Promise.resolve([]),
    inTheWay: () => Promise.resolve([]),
    runCommand: (step, command) => {
      ran.push(`$ ${command.script}`);
      const result = {
        stdout: '',
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false,
        durationMs: 1,
      };
      return Promise.resolve({ command, result });
    },
    outright: () => undefined,
    evaluate: (step) =>
      Promise.resolve(step.checks.map((check) => ({ check, ok: pass(step.id) }) as never)),
  };
  return { run, ran };
}

describe('the choice: start again, or make it all again now', () => {
  const engine = {} as Engine;
  const gone = daemon().exists;
  const base = { completed: ALL(EXEC), at: 2, lang: 'en' as const, exists: gone };

  test('n starts again at the step that makes it, with the sentence', async () => {
    const { run, ran } = fakeRun();
    const said: string[] = [];
    const asked: unknown[] = [];
    const resumed = await resumeLesson(EXEC, run, engine, {
      ...base,
      say: (t) => said.push(t),
      ask: (prompt) => {
        asked.push(prompt);
        return Promise.resolve(false);
      },
    });
    assert.deepEqual(resumed, { index: 0, redo: ['make', 'look', 'into'], said: true });
    assert.deepEqual(asked, [
      {
        title:
          'dl-db was removed when you left the lesson. These commands of steps 1–2 make it again:',
        items: [
          'step 1: $ docker run -d --name dl-db docker-lab-test/busybox:latest sleep 300',
          'step 2: $ docker ps',
        ],
        question: 'y runs them now and goes on at step 3; n starts again at step 1. [Y/n]',
        defaultYes: true,
      },
    ]);
    assert.deepEqual(said, [
      'dl-db was removed when you left the lesson: starting again at step 1, which creates it.',
    ]);
    assert.deepEqual(ran, []);
  });

  test('y runs the steps in between again, checks them, and goes on where the learner was', async () => {
    const { run, ran } = fakeRun();
    const said: string[] = [];
    const resumed = await resumeLesson(EXEC, run, engine, {
      ...base,
      say: (t) => said.push(t),
      ask: () => Promise.resolve(true),
    });
    assert.deepEqual(resumed, { index: 2, redo: [], said: true });
    assert.deepEqual(ran, [
      'begin make',
      '$ docker run -d --name dl-db docker-lab-test/busybox:latest sleep 300',
      'begin look',
      '$ docker ps',
    ]);
    assert.deepEqual(said, ['Made dl-db again: going on at step 3.']);
  });

  test('y, and a step run again does not pass: it starts again there', async () => {
    const { run } = fakeRun((id) => id !== 'look');
    const said: string[] = [];
    const resumed = await resumeLesson(EXEC, run, engine, {
      ...base,
      lang: 'zh-CN',
      say: (t) => said.push(t),
      ask: () => Promise.resolve(true),
    });
    assert.deepEqual(resumed, { index: 1, redo: ['look', 'into'], said: true });
    assert.deepEqual(said, ['第 2 步重新运行后没有通过：从这一步重新开始。']);
  });

  test('steps the learner must do themselves are not offered: the lesson starts again', async () => {
    const l = lesson([
      ['make', 'docker run -d --name dl-db docker-lab-test/busybox:latest sleep 300'],
      ['into', 'docker exec dl-db ls'],
    ]);
    l.steps[0]!.commands[0]!.mode = 'manual';
    const { run } = fakeRun();
    assert.equal(recreatePlan(l, 0, 1, run), undefined);
    let asked = false;
    const resumed = await resumeLesson(l, run, engine, {
      completed: ALL(l),
      at: 1,
      lang: 'en',
      exists: gone,
      say: () => {},
      ask: () => Promise.resolve((asked = true)),
    });
    assert.equal(resumed.index, 0);
    assert.equal(asked, false);
  });

  test('a daemon that cannot answer: the lesson opens where it was, without a word', async () => {
    const { run } = fakeRun();
    const said: string[] = [];
    const resumed = await resumeLesson(EXEC, run, engine, {
      ...base,
      exists: () => Promise.reject(new Error('gone')),
      say: (t) => said.push(t),
    });
    assert.deepEqual(resumed, { index: 2, redo: [], said: false });
    assert.deepEqual(said, []);
  });
});
