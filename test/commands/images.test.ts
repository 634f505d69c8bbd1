/**
 * `docker-lab images` as a user runs it (the built binary, no terminal): the listing, a pull
 * that cannot reach its registry (it must fail fast and say what to do offline), and usage.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { requireDaemon } from '../helpers/daemon.js';
import { ensureStandIns } from '../helpers/standins.js';

const BIN = 'dist/cli.js';

async function run(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr, ms: Date.now() - started };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, ms: Date.now() - started };
  }
}

before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" first (npm test does)`);
  await requireDaemon();
  await ensureStandIns(['hello-world']);
});

describe('docker-lab images', () => {
  test('lists each image: present or missing, size, real or stand-in, and the lessons', async () => {
    const { code, stdout } = await run(['images', '--json']);
    assert.equal(code, 0);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    const hello = rows.find((row) => row.ref === 'hello-world:latest')!;
    assert.equal(hello.present, true);
    assert.equal(hello.kind, 'stand-in');
    assert.ok(Number(hello.size) > 0);
    assert.ok((hello.lessons as string[]).includes('first-run'));
    const portainer = rows.find((row) => row.ref === 'portainer/portainer-ce:latest');
    assert.equal(portainer?.offline, 'online-only');
  });

  test('the table marks online-only images and the lessons that need them', async () => {
    const { code, stdout } = await run(['images']);
    assert.equal(code, 0);
    assert.match(stdout, /^Images for the course:\n {2}IMAGE +STATE +SIZE +KIND +LESSONS\n/);
    assert.match(
      stdout,
      /^ {2}hello-world:latest +present +\d[\d.]* [kMG]?B +stand-in +concepts, first-run$/m,
    );
    assert.match(stdout, /^Online-only: portainer\/portainer-ce:latest \(.*\)\.$/m);
  });

  test('pull with the registry unreachable fails fast, says why and offers the offline ways', async () => {
    // .invalid never resolves (RFC 2606): the same failure as no network, on any machine.
    const { code, stdout, stderr, ms } = await run([
      'images',
      'pull',
      '--image',
      'registry.invalid/docker-lab/never:1',
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.ok(ms < 15_000, `took ${ms} ms`);
    assert.match(
      stderr,
      /^Cannot pull registry\.invalid\/docker-lab\/never:1: the Docker daemon cannot reach the registry registry\.invalid \(no network, DNS, firewall or proxy\) \(the daemon said: .*\)\.\nWhat to do:\n/,
    );
    assert.match(stderr, /registry-mirrors/);
    assert.match(stderr, /docker-lab images build-standins/);
    assert.match(stderr, /docker-lab images import course\.tar/);
    assert.match(stderr, /Note: registry\.invalid\/docker-lab\/never:1 is online-only/);
  });

  test('pull has nothing to do when everything is present', async () => {
    const { code, stdout } = await run(['images', 'pull', '--image', 'hello-world']);
    assert.equal(code, 0);
    assert.equal(stdout, 'Nothing to pull: the image is present.\n');
  });

  test('a course lesson can be named by its id, like verify', async () => {
    const { code, stdout } = await run(['images', 'first-run', '--json']);
    assert.equal(code, 0);
    const refs = (JSON.parse(stdout) as { ref: string; lessons: string[] }[]).map((i) => i.ref);
    assert.deepEqual(refs.sort(), ['hello-world:latest', 'ubuntu:latest']);
  });

  test('import of a file that is not there, or of a folder, is one sentence with the fix', async () => {
    const missing = await run(['images', 'import', '/nonexistent/course.tar']);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'docker-lab: There is no bundle at /nonexistent/course.tar. Check the path, or make one on a machine that has the images with: docker-lab images export course.tar\n',
    );
    const folder = await run(['images', 'import', 'lessons']);
    assert.equal(folder.code, 1);
    assert.equal(
      folder.stderr,
      'docker-lab: lessons is a folder, not a bundle: name the .tar file inside it.\n',
    );
  });

  test('an unknown subcommand is refused with a suggestion', async () => {
    const { code, stderr } = await run(['images', 'pul']);
    assert.equal(code, 2);
    assert.equal(
      stderr,
      'docker-lab: docker-lab images: unknown subcommand "pul" (did you mean "pull"?).\nRun "docker-lab images --help" for the subcommands.\n',
    );
  });
});
