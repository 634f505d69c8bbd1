/**
 * Pull progress from the daemon's own events. The recordings in pull-events/ are real: a pull
 * of a three-layer image from a local registry (layers.jsonl), the same pull when the image was
 * already there (up-to-date.jsonl), and the first part of it followed by the error event a
 * daemon sends when the connection breaks (broken.jsonl).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { describe, test } from 'node:test';
import type { Engine } from '../../src/docker/client.js';
import { pullImage } from '../../src/images/pull.js';
import {
  applyPullEvent,
  createEventSplitter,
  initialPullState,
  plainPullLines,
  pullSummary,
  renderPullFrame,
  type PullEvent,
  type PullState,
} from '../../src/images/pull-progress.js';
import { classifyPullProblem, explainPullFailure } from '../../src/images/pull-errors.js';
import { createFeedback } from '../../src/images/feedback.js';

const REF = 'localhost:15000/demo:1';

function recording(name: string): string {
  return readFileSync(new URL(`pull-events/${name}.jsonl`, import.meta.url), 'utf8');
}

function events(name: string): PullEvent[] {
  return recording(name)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PullEvent);
}

/** Replays events; returns the final state, the plain lines, and the state after `at` events. */
function replay(
  list: PullEvent[],
  at = -1,
): { state: PullState; lines: string[]; mid?: PullState } {
  let state = initialPullState(REF);
  const lines: string[] = [];
  let mid: PullState | undefined;
  list.forEach((event, index) => {
    const before = state;
    state = applyPullEvent(state, event);
    lines.push(...plainPullLines(before, state));
    if (index === at) mid = state;
  });
  return { state, lines, ...(mid ? { mid } : {}) };
}

describe('pull progress in a terminal', () => {
  test('one line per layer with a bar and sizes while it downloads', () => {
    const { mid } = replay(events('layers'), 6);
    assert.equal(
      renderPullFrame(mid!, 80),
      [
        `Pulling ${REF}`,
        '  155f9c3d851d  Downloading        [                    ] 32.8 kB/3.0 MB',
        '  851a5a7072a7  Downloading        [                    ] 102 kB/9.0 MB',
        '  c94a1f3f0ce6  Downloading        [=>                  ] 36.4 kB/400 kB',
      ].join('\n'),
    );
  });

  test('finished layers lose their bar', () => {
    const { state } = replay(events('layers'));
    assert.equal(
      renderPullFrame(state, 80),
      [
        `Pulling ${REF}`,
        '  155f9c3d851d  Pull complete',
        '  851a5a7072a7  Pull complete',
        '  c94a1f3f0ce6  Pull complete',
      ].join('\n'),
    );
  });

  test('lines never exceed the width, so the redraw erases exactly what it drew', () => {
    const { mid } = replay(events('layers'), 6);
    for (const line of renderPullFrame(mid!, 40).split('\n')) assert.ok(line.length <= 40, line);
  });
});

describe('the live area', () => {
  test('a terminal that reports no size (0 x 0, as under script) still gets the frame', () => {
    const written: string[] = [];
    const stream = Object.assign(new Writable(), {
      isTTY: true,
      columns: 0,
      rows: 0,
      write: (text: string) => written.push(text) > 0,
    });
    const feedback = createFeedback(stream);
    feedback.live(renderPullFrame(replay(events('layers'), 6).mid!, 80));
    feedback.clear();
    assert.match(written.join(''), /155f9c3d851d {2}Downloading/);
  });

  test('without a terminal, live frames are dropped and lines are plain', () => {
    const written: string[] = [];
    const stream = Object.assign(new Writable(), {
      write: (text: string) => written.push(text) > 0,
    });
    const feedback = createFeedback(stream);
    feedback.live('frame');
    feedback.line('kept');
    assert.deepEqual(written, ['kept\n']);
  });
});

describe('pull progress as plain lines (no terminal)', () => {
  test('a change of phase is a line; download ticks inside a quarter are not', () => {
    const { lines } = replay(events('layers'));
    const all = events('layers');
    assert.ok(lines.length < all.length + 2, `${lines.length} lines for ${all.length} events`);
    assert.deepEqual(lines.slice(0, 4), [
      `${REF}: 155f9c3d851d: Pulling fs layer`,
      `${REF}: 851a5a7072a7: Pulling fs layer`,
      `${REF}: c94a1f3f0ce6: Pulling fs layer`,
      `${REF}: 155f9c3d851d: Downloading 1% of 3.0 MB`,
    ]);
    assert.ok(lines.includes(`${REF}: 851a5a7072a7: Pull complete`));
    assert.equal(lines.at(-1), `${REF}: Status: Downloaded newer image for localhost:15000/demo:1`);
  });

  test('the summary says what came down', () => {
    assert.equal(pullSummary(replay(events('layers')).state), `${REF}: pulled 3 layers (12.4 MB)`);
    assert.equal(pullSummary(replay(events('up-to-date')).state), `${REF}: up to date`);
  });
});

describe('a failed pull is a failure', () => {
  test('an error event marks the pull failed and is shown, even though the stream ended normally', () => {
    const { state, lines } = replay(events('broken'));
    assert.equal(
      state.error,
      'read tcp 172.17.0.1:41234->104.16.98.215:443: read: connection reset by peer',
    );
    assert.equal(
      lines.at(-1),
      `${REF}: error: read tcp 172.17.0.1:41234->104.16.98.215:443: read: connection reset by peer`,
    );
  });

  test('an error event with only errorDetail, or only error, counts', () => {
    const a = applyPullEvent(initialPullState(REF), { errorDetail: { message: 'boom' } });
    const b = applyPullEvent(initialPullState(REF), { error: 'bang' });
    assert.equal(a.error, 'boom');
    assert.equal(b.error, 'bang');
  });

  test('pullImage reports the recorded broken stream as a failure, explained', async () => {
    const outcome = await pullImage(
      fakeEngine(() => Readable.from([recording('broken')])),
      REF,
      {
        env: {},
      },
    );
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.problem, 'interrupted');
    assert.match(outcome.failure!.summary, /^The download of localhost:15000\/demo:1 broke off/);
    assert.ok(outcome.failure!.fix.some((line) => line.includes('docker-lab images pull')));
  });

  test('pullImage reads events split anywhere across chunks', async () => {
    const text = recording('layers');
    const chunks = [text.slice(0, 7), text.slice(7, 500), text.slice(500, 501), text.slice(501)];
    const seen: string[] = [];
    const outcome = await pullImage(
      fakeEngine(() => Readable.from(chunks)),
      REF,
      {
        env: {},
        onChange: (before, after) => seen.push(...plainPullLines(before, after)),
      },
    );
    assert.equal(outcome.ok, true);
    assert.deepEqual(seen, replay(events('layers')).lines);
  });

  test('pullImage turns a refusal before the stream (HTTP 500, no network) into a fatal failure', async () => {
    const refusal = Object.assign(
      new Error(
        '(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
      ),
      { statusCode: 500, json: null },
    );
    const outcome = await pullImage(
      fakeEngine(() => {
        throw refusal;
      }),
      'busybox:latest',
      { env: {} },
    );
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.problem, 'no-network');
    assert.equal(outcome.failure?.fatal, true);
    assert.equal(
      outcome.failure?.summary,
      'Cannot pull busybox:latest: the Docker daemon cannot reach the registry registry-1.docker.io (no network, DNS, firewall or proxy) (the daemon said: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host).',
    );
  });

  test('the splitter ignores lines that are not JSON (a proxy page) and keeps a split line', () => {
    const got: PullEvent[] = [];
    const splitter = createEventSplitter((event) => got.push(event));
    splitter.push('<html>\n{"status":"Pul');
    splitter.push('ling fs layer","id":"aaaaaaaaaaaa"}\n{"status":"Waiting","id":"aaaaaaaaaaaa"}');
    splitter.end();
    assert.deepEqual(
      got.map((event) => event.status),
      ['Pulling fs layer', 'Waiting'],
    );
  });
});

describe('why a pull failed', () => {
  const cases: Array<[string, string, number | undefined]> = [
    ['no-network', 'dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host', 500],
    ['no-network', 'Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout', 500],
    [
      'no-network',
      'Get "https://registry-1.docker.io/v2/": proxyconnect tcp: dial tcp 10.1.1.1:3128: connect: connection refused',
      500,
    ],
    [
      'rate-limit',
      'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
      500,
    ],
    ['rate-limit', 'whatever the text', 429],
    ['unknown-image', 'manifest for mysql:5.8 not found: manifest unknown: manifest unknown', 404],
    [
      'unknown-image',
      "pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      404,
    ],
    ['wrong-arch', 'no matching manifest for linux/arm64/v8 in the manifest list entries', 404],
    ['unauthorized', 'Head "https://ghcr.io/v2/x/y/manifests/1": unauthorized', 500],
    ['interrupted', 'unexpected EOF', undefined],
    ['disk', 'write /var/lib/docker/tmp/GetImageBlob1: no space left on device', undefined],
  ];
  for (const [problem, message, status] of cases) {
    test(`${problem}: ${message.slice(0, 60)}`, () => {
      assert.equal(classifyPullProblem(message, status), problem);
    });
  }

  test('no network: the offline options and a registry mirror are offered', () => {
    const failure = explainPullFailure(
      'mysql:8.4',
      'dial tcp: lookup registry-1.docker.io: no such host',
    );
    const fix = failure.fix.join('\n');
    assert.match(fix, /"registry-mirrors"/);
    assert.match(fix, /daemon\.json/);
    assert.match(fix, /docker-lab images build-standins/);
    assert.match(fix, /docker-lab images export course\.tar/);
    assert.match(fix, /docker-lab images import course\.tar/);
  });

  test('wrong architecture names the machine and suggests a tag that has it', () => {
    const failure = explainPullFailure(
      'mysql:5.7',
      'no matching manifest for linux/arm64/v8 in the manifest list entries',
      { arch: 'arm64' },
    );
    assert.match(failure.summary, /no build for this machine's architecture \(arm64\)/);
    assert.match(failure.fix[0]!, /mysql:8\.4/);
  });

  test('an unknown tag names the registry and the tag', () => {
    const failure = explainPullFailure(
      'mysql:5.8',
      'manifest for mysql:5.8 not found: manifest unknown',
      {
        statusCode: 404,
      },
    );
    assert.match(
      failure.summary,
      /^Cannot pull mysql:5\.8: registry-1\.docker\.io has no mysql with the tag "5\.8"/,
    );
    assert.equal(failure.fatal, false);
  });
});

function fakeEngine(pull: () => NodeJS.ReadableStream | Promise<NodeJS.ReadableStream>): Engine {
  return {
    docker: { pull: async () => pull() },
    server: { arch: 'amd64' },
    endpoint: { kind: 'unix', socketPath: '/nonexistent.sock' },
  } as unknown as Engine;
}
