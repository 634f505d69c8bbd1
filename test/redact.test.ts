import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  dockerConfigSecrets,
  environmentSecrets,
  isSecretName,
  makeRedactor,
  REDACTED,
} from '../src/redact.js';

describe('which names are secret', () => {
  test('tokens, passwords, secrets, keys, credentials and the Docker auth config are', () => {
    for (const name of [
      'DOCKER_AUTH_CONFIG',
      'GITHUB_TOKEN',
      'NPM_TOKEN',
      'MYSQL_ROOT_PASSWORD',
      'PGPASSWORD',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ACCESS_KEY',
      'OPENAI_API_KEY',
      'MYSQL_PASS',
      'DB_PWD',
      'REGISTRY_AUTH',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'identitytoken',
      'clientSecret',
      'password',
      'auth',
    ])
      assert.ok(isSecretName(name), name);
  });

  test('ordinary names are not, even when they contain a secret-looking piece', () => {
    for (const name of [
      'PATH',
      'PWD',
      'OLDPWD',
      'HOME',
      'LANG',
      'TOKENIZERS_PARALLELISM',
      'KEYBOARD',
      'pass',
      'key',
      'DOCKER_HOST',
      'XAUTHORITY',
    ])
      assert.ok(!isSecretName(name), name);
  });

  test("the environment's secrets are the values of its secret-named variables", () => {
    assert.deepEqual(
      environmentSecrets({ GITHUB_TOKEN: 'ghp_x', HOME: '/home/ann', EMPTY_TOKEN: '' }),
      ['ghp_x'],
    );
  });

  test('a Docker config gives its auth, the password inside it, and tokens; not the user name', () => {
    const auth = Buffer.from('ann:hunter22').toString('base64');
    const config = JSON.stringify({
      auths: {
        'registry.example': { auth, username: 'ann' },
        'other.example': { identitytoken: 'idtok-1234' },
      },
      credsStore: 'desktop',
    });
    assert.deepEqual(dockerConfigSecrets(config), [auth, 'hunter22', 'idtok-1234']);
    assert.deepEqual(dockerConfigSecrets('not json'), []);
    // DOCKER_AUTH_CONFIG: the whole value, and what is inside it.
    assert.deepEqual(environmentSecrets({ DOCKER_AUTH_CONFIG: config }), [
      config,
      auth,
      'hunter22',
      'idtok-1234',
    ]);
  });
});

describe('redaction', () => {
  const redact = makeRedactor({
    env: { GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123', HOME: '/home/ann' },
    home: '/home/ann',
  });

  test('a known secret goes wherever it appears', () => {
    assert.equal(
      redact('echo ghp_abcdefghijklmnopqrstuvwxyz0123 | docker login --password-stdin'),
      `echo ${REDACTED} | docker login --password-stdin`,
    );
  });

  test('the home folder becomes ~, as a whole path part only', () => {
    assert.equal(
      redact('cd /home/ann/lab && ls /home/anna /home/ann'),
      'cd ~/lab && ls /home/anna ~',
    );
  });

  test('what looks like a secret goes whatever its source', () => {
    const cases: [string, string][] = [
      [
        'docker run -e MYSQL_ROOT_PASSWORD=my-secret-pw -d mysql',
        `docker run -e MYSQL_ROOT_PASSWORD=${REDACTED} -d mysql`,
      ],
      ['"auth": "YW5uOmh1bnRlcjI=",', `"auth": "${REDACTED}",`],
      ['password: hunter2', `password: ${REDACTED}`],
      [
        'docker login -u ann -p s3cr3t localhost:5000',
        `docker login -u ann -p ${REDACTED} localhost:5000`,
      ],
      [
        'git clone https://ann:s3cr3t@example.com/x.git',
        `git clone https://ann:${REDACTED}@example.com/x.git`,
      ],
      ['Authorization: Bearer abcdefgh12345678', `Authorization: Bearer ${REDACTED}`],
      ['token dckr_pat_abcdefghijkl', `token ${REDACTED}`],
      [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
        `-----BEGIN RSA PRIVATE KEY----- ${REDACTED}`,
      ],
    ];
    for (const [text, expected] of cases) assert.equal(redact(text), expected, text);
  });

  test('ordinary text is left as it is', () => {
    for (const text of [
      'Basic operations: docker ps -a',
      'pass: true',
      'docker run -p 127.0.0.1:3306:3306 -d mysql',
      'http://localhost:8080/',
      'docker login --password-stdin localhost:5000',
      'echo "${DB_PASSWORD:-none}" ${API_TOKEN:?unset}',
    ])
      assert.equal(redact(text), text);
  });

  test('a secret inside the home path, or holding it, goes, and the home folder with it', () => {
    const inside = makeRedactor({ env: { X_TOKEN: 'ann-lab' }, home: '/home/ann-lab' });
    assert.equal(inside('ls /home/ann-lab/x ann-lab'), `ls ~/x ${REDACTED}`);
    const holding = makeRedactor({ env: { X_TOKEN: '/home/ann/.tok' }, home: '/home/ann' });
    assert.equal(holding('cat /home/ann/.tok; ls /home/ann'), `cat ${REDACTED}; ls ~`);
  });

  test('a secret that is part of the marker gets another marker', () => {
    const r = makeRedactor({ env: { A_TOKEN: 'dact' } });
    const out = r('redacted dact');
    assert.ok(!out.includes('dact'), out);
  });

  const secretValue = fc
    .string({ minLength: 4, maxLength: 24, unit: 'grapheme' })
    .filter((s) => s.trim() === s && s.length >= 4);
  const name = fc.constantFrom(
    'GITHUB_TOKEN',
    'MYSQL_ROOT_PASSWORD',
    'APP_SECRET',
    'DOCKER_AUTH_CONFIG',
  );

  test('property: a secret set in the environment never survives, wherever it is put', () => {
    fc.assert(
      fc.property(
        name,
        secretValue,
        fc.array(fc.string({ maxLength: 30 }), { maxLength: 6 }),
        (variable, secret, pieces) => {
          // The secret between, inside and around other text, twice, and glued to itself.
          const text = [...pieces, secret, `${secret}${secret}`, `x${secret}y`].join(
            pieces[0] ?? ' ',
          );
          const out = makeRedactor({ env: { [variable]: secret }, home: '/home/ann' })(text);
          return !out.includes(secret);
        },
      ),
      { numRuns: 500 },
    );
  });
});

test('redaction stays linear on long lines of every shape', () => {
  const redact = makeRedactor({ env: { X_TOKEN: 'abcdefgh' }, home: '/home/ann' });
  for (const piece of ['y', 'a.b-', 'login ', 'http://', 'x=', 'Bearer ', '"auth": ']) {
    const text = piece.repeat(Math.ceil(200_000 / piece.length));
    const started = Date.now();
    redact(text);
    assert.ok(Date.now() - started < 1_000, `${piece}: ${Date.now() - started} ms`);
  }
});
