/**
 * Which images a run needs, which stand-in serves each, when a stand-in is current, and which
 * Debian mirror the base is built from. Pure rules, no daemon.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DEFAULT_DEBIAN_MIRROR,
  DEFAULT_SECURITY_MIRROR,
  mirrorsFromSources,
  mmdebstrapArgs,
} from '../../src/images/base.js';
import { CATALOG, catalogEntry, splitReference } from '../../src/images/catalog.js';
import { gatherNeeds, readLessonImages } from '../../src/images/needs.js';
import { courseDir } from '../../src/images/paths.js';
import { hashDirectory, LABEL_RECIPE_HASH, LABEL_STANDIN_FOR } from '../../src/images/recipe.js';
import { classify } from '../../src/images/status.js';
import { existsSync } from 'node:fs';

describe('the catalogue', () => {
  test('every stand-in recipe exists and has a Dockerfile', () => {
    for (const entry of CATALOG) {
      if (entry.kind !== 'stand-in') continue;
      assert.ok(
        existsSync(join(courseDir(), '..', 'fixtures', 'images', entry.recipe, 'Dockerfile')),
        entry.recipe,
      );
    }
  });

  test('any tag of a catalogued repository finds its entry; Docker Hub spellings are one name', () => {
    assert.equal(catalogEntry('mysql:8.0')?.repository, 'mysql');
    assert.equal(catalogEntry('docker.io/library/ubuntu:16.04')?.repository, 'ubuntu');
    assert.equal(catalogEntry('portainer/portainer-ce')?.kind, 'online-only');
    assert.equal(catalogEntry('nginx'), undefined);
    assert.deepEqual(splitReference('localhost:5000/my-ubuntu'), {
      repository: 'localhost:5000/my-ubuntu',
      tag: 'latest',
    });
  });

  test('every image the course lessons name is in the catalogue', async () => {
    const { lessons, unreadable } = await readLessonImages([courseDir()], process.cwd());
    assert.deepEqual(unreadable, []);
    const needs = gatherNeeds(lessons, { withCatalog: false });
    assert.ok(needs.length > 0);
    assert.deepEqual(
      needs.filter((need) => !need.entry).map((need) => need.ref),
      [],
      'add these to src/images/catalog.ts',
    );
  });
});

describe('what a run needs', () => {
  const lessons = [
    { id: 'first-run', images: ['hello-world', 'ubuntu'] },
    { id: 'compose', images: ['mysql:8.4', 'adminer'] },
    { id: 'first-run', images: ['hello-world'] }, // the other language's twin
    { id: 'extra', images: ['nginx:1.27', 'mysql:8.4'] },
  ];

  test('the lessons named: their references, normalised, each with the lessons that need it', () => {
    const needs = gatherNeeds(lessons, { withCatalog: false });
    assert.deepEqual(
      needs.map((need) => [need.ref, need.lessons, need.entry?.kind ?? 'none']),
      [
        ['hello-world:latest', ['first-run'], 'stand-in'],
        ['ubuntu:latest', ['first-run'], 'stand-in'],
        ['mysql:8.4', ['compose', 'extra'], 'stand-in'],
        ['adminer:latest', ['compose'], 'stand-in'],
        ['nginx:1.27', ['extra'], 'none'],
      ],
    );
  });

  test('the whole course adds every catalogue reference, lessons or not', () => {
    const refs = gatherNeeds(lessons, { withCatalog: true }).map((need) => need.ref);
    for (const ref of [
      'ubuntu:16.04',
      'mysql:latest',
      'registry:2',
      'portainer/portainer-ce:latest',
    ])
      assert.ok(refs.includes(ref), ref);
  });
});

describe('stand-in or real', () => {
  const image = (labels: Record<string, string>) => ({ id: 'sha256:1', size: 1, labels });
  test('no image: missing; no stand-in label: the real image, whatever else it carries', () => {
    assert.equal(classify(undefined, 'h'), 'missing');
    assert.equal(classify(image({ maintainer: 'someone' }), 'h'), 'real');
  });
  test('a stand-in is current only with the expected recipe hash', () => {
    const labels = { [LABEL_STANDIN_FOR]: 'mysql:8.4', [LABEL_RECIPE_HASH]: 'h' };
    assert.equal(classify(image(labels), 'h'), 'stand-in');
    assert.equal(classify(image(labels), 'other'), 'stand-in-outdated');
  });
});

describe('recipe hashes', () => {
  test('change with a file, its content, or its executable bit; not with time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-lab-recipe-'));
    try {
      await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
      await writeFile(join(dir, 'entrypoint.sh'), '#!/bin/sh\n');
      const first = await hashDirectory(dir);
      assert.equal(await hashDirectory(dir), first);
      await chmod(join(dir, 'entrypoint.sh'), 0o755);
      const executable = await hashDirectory(dir);
      assert.notEqual(executable, first);
      await writeFile(join(dir, 'entrypoint.sh'), '#!/bin/sh\nexit 0\n');
      assert.notEqual(await hashDirectory(dir), executable);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the base is built from the host's Debian mirror", () => {
  test('deb822 sources', () => {
    const sources = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security/
Suites: bookworm-security
Components: main
`;
    assert.deepEqual(mirrorsFromSources([sources]), {
      debian: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
    });
  });

  test('a classic sources.list, options and all', () => {
    const list = `deb [arch=amd64] http://ftp.example/debian bookworm main contrib
deb http://security.example/debian-security bookworm-security main
deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main`;
    assert.deepEqual(mirrorsFromSources([list]), {
      debian: 'http://ftp.example/debian',
      security: 'http://security.example/debian-security',
    });
  });

  test("another distribution's sources (Ubuntu) are not used: Debian's defaults", () => {
    const ubuntu = 'deb http://archive.ubuntu.com/ubuntu noble main\n';
    assert.deepEqual(mirrorsFromSources([ubuntu]), {
      debian: DEFAULT_DEBIAN_MIRROR,
      security: DEFAULT_SECURITY_MIRROR,
    });
  });

  test('mmdebstrap writes a tar with the three bookworm suites', () => {
    const args = mmdebstrapArgs('/tmp/base.tar', {
      debian: 'http://m/debian',
      security: 'http://m/sec',
    });
    assert.ok(args.includes('--format=tar'));
    assert.ok(args.includes('--variant=minbase'));
    // apt keeps no package caches or downloaded .debs in the base, so none in a stand-in's layers
    // (written once the base is built: mmdebstrap needs its downloads)
    const hook = args.find((arg) => arg.startsWith('--customize-hook='));
    assert.ok(hook?.includes(`'Dir::Cache::pkgcache "";'`));
    assert.ok(hook?.includes(`'APT::Keep-Downloaded-Packages "false";'`));
    assert.ok(hook?.includes('> "$1/etc/apt/apt.conf.d/docker-clean"'));
    assert.deepEqual(args.slice(-3), [
      'deb http://m/debian bookworm main',
      'deb http://m/debian bookworm-updates main',
      'deb http://m/sec bookworm-security main',
    ]);
  });
});
