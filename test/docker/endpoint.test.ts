import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  contextMetaPath,
  contextTlsDir,
  dockerChildEnv,
  resolveEndpoint,
  type EndpointFs,
  type Resolution,
} from '../../src/docker/endpoint.js';
import { compareApiVersions, negotiateApiVersion } from '../../src/docker/client.js';
import { classifyEngineError } from '../../src/docker/errors.js';

const HOME = '/home/ada';
/** Marks a path where a socket (not a readable file) exists. */
const SOCKET = '<socket>';

/** A fake file system: path -> text (or a socket marker). */
function fakeFs(files: Record<string, string> = {}): EndpointFs {
  return {
    readText: (path) => {
      const value = files[path];
      return value === SOCKET ? undefined : value;
    },
    exists: (path) => path in files,
  };
}

function resolve(env: Record<string, string>, files: Record<string, string> = {}): Resolution {
  return resolveEndpoint({ env, fs: fakeFs(files), home: HOME });
}

function endpointOf(resolution: Resolution) {
  assert.equal(resolution.ok, true, resolution.ok ? '' : resolution.problem.message);
  return (resolution as Extract<Resolution, { ok: true }>).endpoint;
}

function problemOf(resolution: Resolution) {
  assert.equal(resolution.ok, false);
  return (resolution as Extract<Resolution, { ok: false }>).problem;
}

function contextFiles(
  name: string,
  host: string | undefined,
  extra: Record<string, string> = {},
  configDir = `${HOME}/.docker`,
) {
  const meta = {
    Name: name,
    Metadata: {},
    Endpoints: { docker: host === undefined ? {} : { Host: host, SkipTLSVerify: false } },
  };
  return { [contextMetaPath(configDir, name)]: JSON.stringify(meta), ...extra };
}

test('DOCKER_HOST wins over DOCKER_CONTEXT, the current context and the sockets', () => {
  const files = {
    ...contextFiles('remote', 'tcp://10.0.0.9:2375'),
    [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'remote' }),
    '/var/run/docker.sock': SOCKET,
  };
  const endpoint = endpointOf(
    resolve({ DOCKER_HOST: 'unix:///tmp/my.sock', DOCKER_CONTEXT: 'remote' }, files),
  );
  assert.equal(endpoint.source, 'DOCKER_HOST');
  assert.equal(endpoint.kind, 'unix');
  assert.equal(endpoint.socketPath, '/tmp/my.sock');
  assert.equal(endpoint.url, 'unix:///tmp/my.sock');
  assert.equal(endpoint.daemonHost, '127.0.0.1');
  assert.deepEqual(endpoint.env, { DOCKER_HOST: 'unix:///tmp/my.sock' });
});

test('DOCKER_CONTEXT wins over the current context in config.json', () => {
  const files = {
    ...contextFiles('ci', 'tcp://docker:2375'),
    ...contextFiles('laptop', 'unix:///run/user/1000/docker.sock'),
    [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'laptop' }),
  };
  const endpoint = endpointOf(resolve({ DOCKER_CONTEXT: 'ci' }, files));
  assert.equal(endpoint.source, 'DOCKER_CONTEXT');
  assert.equal(endpoint.contextName, 'ci');
  assert.equal(endpoint.host, 'docker');
  assert.equal(endpoint.port, 2375);
  assert.equal(endpoint.daemonHost, 'docker');
  assert.deepEqual(endpoint.env, { DOCKER_HOST: 'tcp://docker:2375' });
});

test('the current context from config.json is used when neither DOCKER_HOST nor DOCKER_CONTEXT is set', () => {
  const files = {
    ...contextFiles('rootless', 'unix:///run/user/1000/docker.sock'),
    [`${HOME}/.docker/config.json`]: JSON.stringify({ auths: {}, currentContext: 'rootless' }),
    '/var/run/docker.sock': SOCKET,
  };
  const resolution = resolve({}, files);
  const endpoint = endpointOf(resolution);
  assert.equal(endpoint.source, 'context');
  assert.equal(endpoint.contextName, 'rootless');
  assert.equal(endpoint.socketPath, '/run/user/1000/docker.sock');
  assert.deepEqual(
    resolution.trail.map((step) => [step.source, step.status]),
    [
      ['DOCKER_HOST', 'skipped'],
      ['DOCKER_CONTEXT', 'skipped'],
      ['context', 'used'],
    ],
  );
});

test('DOCKER_CONFIG moves the docker CLI configuration directory', () => {
  const files = {
    ...contextFiles('elsewhere', 'tcp://192.168.1.20:2375', {}, '/etc/dockercfg'),
    '/etc/dockercfg/config.json': JSON.stringify({ currentContext: 'elsewhere' }),
  };
  const endpoint = endpointOf(resolve({ DOCKER_CONFIG: '/etc/dockercfg' }, files));
  assert.equal(endpoint.url, 'tcp://192.168.1.20:2375');
  assert.equal(endpoint.daemonHost, '192.168.1.20');
});

test('context metadata lives under contexts/meta/<sha256 of the name>/meta.json', () => {
  const hash = createHash('sha256').update('my-ctx').digest('hex');
  assert.equal(contextMetaPath('/c', 'my-ctx'), `/c/contexts/meta/${hash}/meta.json`);
  assert.equal(contextTlsDir('/c', 'my-ctx'), `/c/contexts/tls/${hash}/docker`);
});

test('the context named "default" means the local sockets', () => {
  const files = {
    [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'default' }),
    '/var/run/docker.sock': SOCKET,
  };
  const resolution = resolve({ DOCKER_CONTEXT: 'default' }, files);
  assert.equal(endpointOf(resolution).source, 'default-socket');
  assert.deepEqual(
    resolution.trail.map((step) => step.detail),
    [
      'DOCKER_HOST is not set',
      'DOCKER_CONTEXT is "default": the local sockets apply',
      'the current context is "default": the local sockets apply',
      'the default socket /var/run/docker.sock exists',
    ],
  );
});

test('a context without a docker host uses the default socket, as the CLI does', () => {
  const endpoint = endpointOf(resolve({ DOCKER_CONTEXT: 'bare' }, contextFiles('bare', undefined)));
  assert.equal(endpoint.source, 'DOCKER_CONTEXT');
  assert.equal(endpoint.socketPath, '/var/run/docker.sock');
});

test('a DOCKER_CONTEXT that does not exist is an error that names the missing file and the fix', () => {
  const problem = problemOf(resolve({ DOCKER_CONTEXT: 'nope' }));
  assert.equal(
    problem.message,
    `The docker context "nope" (named by DOCKER_CONTEXT) does not exist: there is no ${contextMetaPath(`${HOME}/.docker`, 'nope')}.`,
  );
  assert.deepEqual(problem.fix, [
    'List the contexts with: docker context ls',
    'Set DOCKER_CONTEXT to one of them, or unset it.',
  ]);
});

test('a current context that does not exist is an error pointing at config.json', () => {
  const problem = problemOf(
    resolve({}, { [`${HOME}/.docker/config.json`]: '{"currentContext":"gone"}' }),
  );
  assert.equal(
    problem.message,
    `The docker context "gone" (named by currentContext in ${HOME}/.docker/config.json) does not exist: there is no ${contextMetaPath(`${HOME}/.docker`, 'gone')}.`,
  );
  assert.deepEqual(problem.fix, [
    'List the contexts with: docker context ls',
    'Switch to one of them with: docker context use <name>',
  ]);
});

test('an unreadable config.json is an error, as it is for the docker CLI', () => {
  const problem = problemOf(resolve({}, { [`${HOME}/.docker/config.json`]: '{not json' }));
  assert.match(problem.message, /^\/home\/ada\/\.docker\/config\.json is not valid JSON \(/);
});

test('without configuration the default socket is used when it exists', () => {
  const endpoint = endpointOf(
    resolve(
      { XDG_RUNTIME_DIR: '/run/user/1000' },
      { '/var/run/docker.sock': SOCKET, '/run/user/1000/docker.sock': SOCKET },
    ),
  );
  assert.equal(endpoint.source, 'default-socket');
  assert.equal(endpoint.socketPath, '/var/run/docker.sock');
});

test('the rootless socket in XDG_RUNTIME_DIR is used when there is no default socket', () => {
  const resolution = resolve(
    { XDG_RUNTIME_DIR: '/run/user/1000' },
    { '/run/user/1000/docker.sock': SOCKET },
  );
  const endpoint = endpointOf(resolution);
  assert.equal(endpoint.source, 'rootless-socket');
  assert.equal(endpoint.socketPath, '/run/user/1000/docker.sock');
  assert.deepEqual(endpoint.env, { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' });
  assert.equal(resolution.trail.at(-2)?.detail, 'no default socket at /var/run/docker.sock');
});

test('the Docker Desktop sockets are tried after the rootless one, ~/.docker/run first', () => {
  assert.equal(
    endpointOf(
      resolve(
        {},
        {
          [`${HOME}/.docker/run/docker.sock`]: SOCKET,
          [`${HOME}/.docker/desktop/docker.sock`]: SOCKET,
        },
      ),
    ).socketPath,
    `${HOME}/.docker/run/docker.sock`,
  );
  const resolution = resolve({}, { [`${HOME}/.docker/desktop/docker.sock`]: SOCKET });
  const endpoint = endpointOf(resolution);
  assert.equal(endpoint.source, 'desktop-socket');
  assert.equal(endpoint.socketPath, `${HOME}/.docker/desktop/docker.sock`);
  assert.equal(
    resolution.trail.find((step) => step.source === 'rootless-socket')?.detail,
    'XDG_RUNTIME_DIR is not set, so there is no rootless socket to try',
  );
});

test('with no socket anywhere the default socket is chosen, so connecting says "no such socket"', () => {
  const resolution = resolve({ XDG_RUNTIME_DIR: '/run/user/1000' });
  const endpoint = endpointOf(resolution);
  assert.equal(endpoint.socketPath, '/var/run/docker.sock');
  assert.deepEqual(
    resolution.trail.map((step) => `${step.status}: ${step.detail}`),
    [
      'skipped: DOCKER_HOST is not set',
      'skipped: DOCKER_CONTEXT is not set',
      `skipped: no docker CLI configuration at ${HOME}/.docker/config.json, so no current context`,
      'skipped: no default socket at /var/run/docker.sock',
      'skipped: no rootless Docker socket at /run/user/1000/docker.sock',
      `skipped: no Docker Desktop socket at ${HOME}/.docker/run/docker.sock or ${HOME}/.docker/desktop/docker.sock`,
      'used: no socket found anywhere; falling back to /var/run/docker.sock like the docker CLI',
    ],
  );
});

test('a tcp DOCKER_HOST gives its host as the daemon host and 2375 as the default port', () => {
  const endpoint = endpointOf(resolve({ DOCKER_HOST: 'tcp://docker' }));
  assert.equal(endpoint.kind, 'tcp');
  assert.equal(endpoint.host, 'docker');
  assert.equal(endpoint.port, 2375);
  assert.equal(endpoint.daemonHost, 'docker');
  assert.equal(endpoint.url, 'tcp://docker:2375');
});

test('a DOCKER_HOST without a scheme is tcp, as for the docker CLI', () => {
  const endpoint = endpointOf(resolve({ DOCKER_HOST: '10.1.2.3:2375' }));
  assert.equal(endpoint.url, 'tcp://10.1.2.3:2375');
  assert.equal(endpoint.daemonHost, '10.1.2.3');
});

test('a tcp endpoint on localhost publishes ports on 127.0.0.1, not on a name that may resolve to ::1', () => {
  assert.equal(
    endpointOf(resolve({ DOCKER_HOST: 'tcp://localhost:23750' })).daemonHost,
    '127.0.0.1',
  );
  assert.equal(
    endpointOf(resolve({ DOCKER_HOST: 'tcp://127.0.0.1:23750' })).daemonHost,
    '127.0.0.1',
  );
});

test('an IPv6 tcp host is kept without brackets and written with them in the URL', () => {
  const endpoint = endpointOf(resolve({ DOCKER_HOST: 'tcp://[fd00::5]:2376' }));
  assert.equal(endpoint.host, 'fd00::5');
  assert.equal(endpoint.url, 'tcp://[fd00::5]:2376');
});

test('DOCKER_TLS_VERIFY with DOCKER_CERT_PATH gives a verified TLS endpoint and the same env to the CLI', () => {
  const files = { '/certs/ca.pem': 'x', '/certs/cert.pem': 'x', '/certs/key.pem': 'x' };
  const endpoint = endpointOf(
    resolve(
      { DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      files,
    ),
  );
  assert.deepEqual(endpoint.tls, {
    verify: true,
    certPath: '/certs',
    caFile: '/certs/ca.pem',
    certFile: '/certs/cert.pem',
    keyFile: '/certs/key.pem',
  });
  assert.deepEqual(endpoint.env, {
    DOCKER_HOST: 'tcp://docker:2376',
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: '/certs',
  });
});

test('DOCKER_TLS_VERIFY=0 still means TLS, as it does for the docker CLI (any non-empty value)', () => {
  const files = { [`${HOME}/.docker/ca.pem`]: 'x' };
  const endpoint = endpointOf(
    resolve({ DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_VERIFY: '0' }, files),
  );
  assert.equal(endpoint.tls?.verify, true);
  assert.equal(endpoint.tls?.certPath, `${HOME}/.docker`);
});

test('DOCKER_TLS without verification is passed on as DOCKER_TLS, not DOCKER_TLS_VERIFY', () => {
  const endpoint = endpointOf(
    resolve({ DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: '/certs' }),
  );
  assert.deepEqual(endpoint.tls, { verify: false, certPath: '/certs' });
  assert.deepEqual(endpoint.env, {
    DOCKER_HOST: 'tcp://docker:2376',
    DOCKER_TLS: '1',
    DOCKER_CERT_PATH: '/certs',
  });
});

test('missing TLS files are an error that names them and the directory', () => {
  const problem = problemOf(
    resolve({
      DOCKER_HOST: 'tcp://docker:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/nowhere',
    }),
  );
  assert.equal(
    problem.message,
    'TLS is on for tcp://docker:2376 (DOCKER_TLS_VERIFY is set) but ca.pem, cert.pem, key.pem are missing in /nowhere (DOCKER_CERT_PATH).',
  );
  assert.deepEqual(problem.fix, [
    "Put the daemon's ca.pem (and your cert.pem and key.pem) in /nowhere, or point DOCKER_CERT_PATH at the directory that has them.",
    'If the daemon does not use TLS, unset DOCKER_TLS_VERIFY and DOCKER_TLS.',
  ]);
});

test('a context with TLS material in contexts/tls is a verified TLS endpoint using that directory', () => {
  const tlsDir = contextTlsDir(`${HOME}/.docker`, 'secure');
  const files = contextFiles('secure', 'tcp://build.example:2376', {
    [`${tlsDir}/ca.pem`]: 'x',
    [`${tlsDir}/cert.pem`]: 'x',
    [`${tlsDir}/key.pem`]: 'x',
  });
  const endpoint = endpointOf(resolve({ DOCKER_CONTEXT: 'secure' }, files));
  assert.equal(endpoint.tls?.verify, true);
  assert.deepEqual(endpoint.env, {
    DOCKER_HOST: 'tcp://build.example:2376',
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: tlsDir,
  });
});

test('ssh and npipe endpoints are refused with what to do instead', () => {
  assert.equal(
    problemOf(resolve({ DOCKER_HOST: 'ssh://me@box' })).message,
    'DOCKER_HOST is "ssh://me@box": ssh:// endpoints are not supported by docker-lab.',
  );
  assert.equal(
    problemOf(resolve({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' })).message,
    'DOCKER_HOST is "npipe:////./pipe/docker_engine": Windows named pipes are not supported by docker-lab.',
  );
  assert.equal(
    problemOf(resolve({ DOCKER_HOST: 'fd://' })).message,
    'DOCKER_HOST is "fd://", whose scheme "fd://" is unknown.',
  );
});

test('the child env removes every daemon-choosing variable from the base and sets the endpoint', () => {
  const endpoint = endpointOf(resolve({ DOCKER_HOST: 'tcp://docker:2375' }));
  const env = dockerChildEnv(endpoint, {
    PATH: '/usr/bin',
    DOCKER_CONTEXT: 'other',
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: '/old',
    DOCKER_HOST: 'unix:///old.sock',
    UNSET: undefined,
  });
  assert.deepEqual(env, { PATH: '/usr/bin', DOCKER_HOST: 'tcp://docker:2375' });
});

test('API versions compare numerically, not as strings', () => {
  assert.equal(compareApiVersions('1.9', '1.41'), -1);
  assert.equal(compareApiVersions('1.41', '1.41'), 0);
  assert.equal(compareApiVersions('1.47', '1.44'), 1);
});

test("the API version is the lower of ours and the daemon's, never below the daemon's minimum", () => {
  assert.deepEqual(negotiateApiVersion({ apiVersion: '1.41', minApiVersion: '1.12' }), {
    ok: true,
    version: '1.41',
  });
  assert.deepEqual(negotiateApiVersion({ apiVersion: '1.51', minApiVersion: '1.24' }), {
    ok: true,
    version: '1.47',
  });
  assert.deepEqual(negotiateApiVersion({ apiVersion: '1.60', minApiVersion: '1.50' }), {
    ok: true,
    version: '1.50',
  });
  assert.deepEqual(negotiateApiVersion({ apiVersion: '1.39', minApiVersion: '1.12' }), {
    ok: false,
    reason:
      'the daemon speaks Engine API 1.39 at most and docker-lab needs 1.40 or newer (Docker 19.03+)',
  });
});

test('connection errors become messages that say what happened, where, and what to do', () => {
  const unix = endpointOf(resolve({ DOCKER_HOST: 'unix:///tmp/x.sock' }));
  const refused = Object.assign(new Error('connect ECONNREFUSED /tmp/x.sock'), {
    code: 'ECONNREFUSED',
  });
  const stopped = classifyEngineError(refused, unix);
  assert.equal(stopped?.code, 'daemon-stopped');
  assert.equal(
    stopped?.summary,
    'Cannot reach the Docker daemon at unix:///tmp/x.sock (from DOCKER_HOST): the socket /tmp/x.sock exists but nothing answers on it: the daemon has stopped or crashed.',
  );
  const denied = classifyEngineError(Object.assign(new Error('EACCES'), { code: 'EACCES' }), unix, {
    uid: 1000,
  });
  assert.equal(
    denied?.summary,
    'Cannot reach the Docker daemon at unix:///tmp/x.sock (from DOCKER_HOST): permission denied on /tmp/x.sock: this user (uid 1000) may not use it.',
  );
  assert.match(denied?.platformFix?.linux[0] ?? '', /docker group/);
  const tcp = endpointOf(resolve({ DOCKER_HOST: 'tcp://10.0.0.1:2375' }));
  const timeout = classifyEngineError(new Error('aborted'), tcp, {
    timedOut: true,
    timeoutMs: 5000,
  });
  assert.equal(
    timeout?.summary,
    'Cannot reach the Docker daemon at tcp://10.0.0.1:2375 (from DOCKER_HOST): no answer within 5 s.',
  );
  const https = classifyEngineError(
    Object.assign(
      new Error('(HTTP code 400) unexpected - Client sent an HTTP request to an HTTPS server.'),
      { statusCode: 400 },
    ),
    tcp,
  );
  assert.equal(https?.code, 'needs-tls');
  assert.equal(
    classifyEngineError(Object.assign(new Error('no such container'), { statusCode: 404 }), tcp),
    undefined,
  );
});
