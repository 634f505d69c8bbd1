/**
 * The `port`, `http` and `registry` check kinds: against servers in this process on 127.0.0.1
 * (random ports), and against a container publishing a port through the daemon, where the
 * port accepts connections before the server inside listens.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Dockerode from 'dockerode';
import { requireDaemon } from '../../helpers/daemon.js';
import { ensureBusyboxImage } from '../../helpers/images.js';
import {
  checkContext,
  removeAll,
  TEST_LABELS,
  uniqueName,
  waitFor,
  verdict,
} from '../../helpers/kind-context.js';
import { portKind } from '../../../src/checks/kinds/port.js';
import { httpKind } from '../../../src/checks/kinds/http.js';
import { registryKind } from '../../../src/checks/kinds/registry.js';

const docker = new Dockerode();
const ctx = () => checkContext(docker);

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const { server, port } = await serve(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('port', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    ({ server, port } = await serve((_req, res) => res.end()));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  test('an accepting port is open, on the daemon’s host by default', async () => {
    const observation = await portKind.evaluate({ port, open: true }, ctx());
    assert.deepEqual(verdict(observation), {
      subject: `port 127.0.0.1:${port}`,
      pass: true,
      mismatches: [],
    });
  });

  test('a port nobody listens on is closed', async () => {
    const free = await closedPort();
    const observation = await portKind.evaluate(
      { port: free, host: '127.0.0.1', open: true },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `port 127.0.0.1:${free}`,
      pass: false,
      mismatches: [{ field: 'open', expected: 'equals true', actual: false }],
      fix: `Publish it: docker run -p ${free}:PORT ... (and check the server in the container is listening)`,
    });
    assert.equal((await portKind.evaluate({ port: free, open: false }, ctx())).pass, true);
  });

  test('with a daemon that shares no loopback, a port its bridge did not forward says so, in both languages', async () => {
    const free = await closedPort();
    const remote = { url: 'tcp://10.0.0.9:2376', forwarded: () => [8080] };
    const observation = await portKind.evaluate({ port: free, open: true }, { ...ctx(), remote });
    assert.equal(
      observation.fix,
      `The daemon (tcp://10.0.0.9:2376) shares no loopback with this machine: docker-lab forwards here only the ports this lesson's containers publish, and none of them publishes ${free}. Publish it from the lesson's container (docker run -p 127.0.0.1:${free}:PORT ...), then check again.`,
    );
    const zh = await portKind.evaluate(
      { port: free, open: true },
      { ...ctx(), remote, lang: 'zh-CN' },
    );
    assert.match(zh.fix ?? '', /^守护进程（tcp:\/\/10\.0\.0\.9:2376）和这台机器不共享回环地址/);
    const http = await httpKind.evaluate(
      { url: `http://\${DAEMON_HOST}:${free}/`, status: 200 },
      { ...ctx(), remote },
    );
    assert.match(http.fix ?? '', /shares no loopback with this machine/);
    // A port the bridge forwarded but nothing answers on is the container's business.
    const forwarded = await portKind.evaluate(
      { port: free, open: true },
      { ...ctx(), remote: { ...remote, forwarded: () => [free] } },
    );
    assert.match(forwarded.fix ?? '', /^Publish it: /);
  });

  test('`open: false` fails on an open port', async () => {
    const observation = await portKind.evaluate({ port, open: false }, ctx());
    assert.deepEqual(observation.mismatches, [
      { field: 'open', expected: 'equals false', actual: true },
    ]);
  });
});

describe('http', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    ({ server, port } = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: '/' }).end('moved');
        return;
      }
      res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/plain', 'x-lab': 'yes' });
      res.end(req.method === 'HEAD' ? undefined : `Hello from ${req.method} ${req.url}`);
    }));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  test('compares status, body and headers (names in any case); ${DAEMON_HOST} is filled in', async () => {
    const observation = await httpKind.evaluate(
      {
        url: `http://\${DAEMON_HOST}:${port}/`,
        status: 200,
        body: { contains: 'Hello from GET /' },
        headers: { 'X-Lab': 'yes', 'content-type': { startsWith: 'text/plain' } },
      },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `http GET http://127.0.0.1:${port}/`,
      pass: true,
      mismatches: [],
    });
  });

  test('reports each field that differs, a missing header as null', async () => {
    const observation = await httpKind.evaluate(
      {
        url: `http://127.0.0.1:${port}/missing`,
        method: 'POST',
        status: 200,
        body: { contains: 'Adminer' },
        headers: { 'x-lab': 'no', server: { contains: 'nginx' } },
      },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      { field: 'status', expected: 'equals 200', actual: 404 },
      { field: 'body', expected: 'contains "Adminer"', actual: 'Hello from POST /missing' },
      { field: 'headers.x-lab', expected: 'equals "no"', actual: 'yes' },
      { field: 'headers.server', expected: 'contains "nginx"', actual: null },
    ]);
  });

  test('does not follow redirects, like curl without -L', async () => {
    const observation = await httpKind.evaluate(
      {
        url: `http://127.0.0.1:${port}/old`,
        status: 302,
        headers: { location: '/' },
        body: 'moved',
      },
      ctx(),
    );
    assert.equal(observation.pass, true, JSON.stringify(observation));
  });

  test('HEAD has no body', async () => {
    const observation = await httpKind.evaluate(
      { url: `http://127.0.0.1:${port}/`, method: 'HEAD', status: 200, body: '' },
      ctx(),
    );
    assert.equal(observation.pass, true, JSON.stringify(observation));
  });

  test('connection refused is an observation, not an error', async () => {
    const free = await closedPort();
    const observation = await httpKind.evaluate(
      { url: `http://127.0.0.1:${free}/`, status: 200 },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `http GET http://127.0.0.1:${free}/`,
      pass: false,
      mismatches: [{ field: 'connection', expected: 'a response', actual: 'connection refused' }],
      fix: 'Nothing answers there: is the container running and its port published (docker ps)?',
    });
  });
});

describe('a published port whose server starts late', () => {
  const names: string[] = [];
  before(() => requireDaemon());
  after(() => removeAll(docker, { containers: names }));

  /** A container whose httpd starts 2 s after the container, its port published at once. */
  async function lateServer(): Promise<number> {
    const name = uniqueName('dl-test-web');
    names.push(name);
    const c = await docker.createContainer({
      name,
      Image: await ensureBusyboxImage(),
      Labels: TEST_LABELS,
      Cmd: [
        'sh',
        '-c',
        'mkdir /www && echo "hello from httpd" > /www/index.html && sleep 2 && exec httpd -f -p 8080 -h /www',
      ],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await c.start();
    const info = await c.inspect();
    return Number(info.NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort);
  }

  test('the port counts as open only once the server inside listens', async () => {
    const hostPort = await lateServer();
    const early = await portKind.evaluate({ port: hostPort, open: true }, ctx());
    assert.equal(early.pass, false, 'docker-proxy accepting alone is not an open port');
    const result = await waitFor(portKind, { port: hostPort, open: true }, ctx(), 10_000, 250);
    assert.equal(result.pass, true, JSON.stringify(result.observation));
    assert.ok(result.attempts > 1);
  });

  test('http waits for the page', async () => {
    const hostPort = await lateServer();
    const early = await httpKind.evaluate(
      { url: `http://127.0.0.1:${hostPort}/`, status: 200 },
      ctx(),
    );
    assert.deepEqual(early.mismatches, [
      {
        field: 'connection',
        expected: 'a response',
        actual: 'connection closed without a response',
      },
    ]);
    const result = await waitFor(
      httpKind,
      { url: `http://\${DAEMON_HOST}:${hostPort}/`, status: 200, body: 'hello from httpd\n' },
      ctx(),
      10_000,
      250,
    );
    assert.equal(result.pass, true, JSON.stringify(result.observation));
    assert.ok(result.attempts > 1);
  });
});

describe('registry', () => {
  let server: Server;
  let port = 0;
  const requests: string[] = [];
  before(async () => {
    // The registry API v2 as distribution serves it: a paginated catalog, tags per repository.
    const tags: Record<string, string[] | null> = {
      alpha: ['1.0'],
      'my-ubuntu': ['v2', 'latest'],
      'team/app': null,
    };
    ({ server, port } = await serve((req, res) => {
      requests.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://registry');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(body));
      if (url.pathname === '/v2/_catalog') {
        if (url.searchParams.get('last') === 'my-ubuntu')
          return json(200, { repositories: ['team/app'] });
        return json(
          200,
          { repositories: ['alpha', 'my-ubuntu'] },
          { link: '</v2/_catalog?last=my-ubuntu&n=2>; rel="next"' },
        );
      }
      const match = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
      if (match?.[1] && match[1] in tags)
        return json(200, { name: match[1], tags: tags[match[1]] });
      json(404, {
        errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }],
      });
    }));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  test('reads the whole catalog, following its pages', async () => {
    const observation = await registryKind.evaluate(
      { url: `127.0.0.1:${port}`, repositories: ['alpha', 'my-ubuntu', 'team/app'] },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `registry 127.0.0.1:${port}`,
      pass: true,
      mismatches: [],
    });
  });

  test('reads the tags of a repository, sorted', async () => {
    const observation = await registryKind.evaluate(
      {
        url: `http://127.0.0.1:${port}`,
        repository: 'my-ubuntu',
        repositories: { contains: 'my-ubuntu' },
        tags: ['latest', 'v2'],
      },
      ctx(),
    );
    assert.equal(observation.pass, true, JSON.stringify(observation));
    assert.equal(observation.subject, `registry http://127.0.0.1:${port}, repository my-ubuntu`);
    const nested = await registryKind.evaluate(
      { url: `127.0.0.1:${port}`, repository: 'team/app', tags: [] },
      ctx(),
    );
    assert.equal(nested.pass, true, JSON.stringify(nested));
    assert.ok(requests.includes('/v2/team/app/tags/list'));
  });

  test('a repository never pushed has no tags; mismatches say what was found', async () => {
    const observation = await registryKind.evaluate(
      {
        url: `127.0.0.1:${port}`,
        repositories: { contains: 'hello' },
        repository: 'hello',
        tags: { contains: 'latest' },
      },
      ctx(),
    );
    assert.deepEqual(verdict(observation), {
      subject: `registry 127.0.0.1:${port}, repository hello`,
      pass: false,
      mismatches: [
        {
          field: 'repositories',
          expected: 'contains "hello"',
          actual: ['alpha', 'my-ubuntu', 'team/app'],
        },
        { field: 'tags', expected: 'contains "latest"', actual: [] },
      ],
      fix: `Tag and push it: docker tag IMAGE 127.0.0.1:${port}/NAME:TAG && docker push 127.0.0.1:${port}/NAME:TAG`,
    });
  });

  test('no registry there is an observation, not an error', async () => {
    const free = await closedPort();
    const observation = await registryKind.evaluate(
      { url: `127.0.0.1:${free}`, repositories: { contains: 'x' } },
      ctx(),
    );
    assert.deepEqual(observation.mismatches, [
      {
        field: 'connection',
        expected: 'an answer of a registry (API v2)',
        actual: 'connection refused',
      },
    ]);
  });
});
