/**
 * A CI job container as GitLab and GitHub run them: Debian trixie with node 20, docker CLI 26,
 * the compose v2 plugin and buildx, talking to a Docker-in-Docker service over the network and
 * sharing no folder with it (nor with this machine: docker-lab and the certificates are copied
 * in, the way a job's checkout and a service's certificate volume arrive).
 *
 * docker-lab is installed as npx would: the packed package with its production dependencies.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliRun } from './cli.js';
import { docker, ensureDebianImage, TEST_LABEL } from './debian-image.js';
import type { Dind } from './dind.js';

const JOB_PACKAGES = 'nodejs,docker-cli,docker-compose,docker-buildx,ca-certificates,procps';
export const JOB_IMAGE = 'docker-lab-test/job:trixie';
/** Build the job image unless it is cached (mmdebstrap, about a minute). */
export function ensureJobImage(): void {
  ensureDebianImage(JOB_IMAGE, 'trixie', JOB_PACKAGES);
}

/** `npm pack` of this checkout, unpacked, with `npm ci --omit=dev`: what npx puts on disk. */
function stagePackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docker-lab-stage-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
  cpSync('package-lock.json', join(dir, 'package', 'package-lock.json'));
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: join(dir, 'package'),
    stdio: 'ignore',
    timeout: 5 * 60_000,
  });
  return dir;
}

export interface Job {
  container: string;
  /** Runs docker-lab in the job, in its package folder; never rejects on a non-zero exit. */
  dockerLab(args: string[], timeoutMs: number): Promise<CliRun>;
  remove(): void;
}

/** A job container whose DOCKER_HOST is the DinD service at its own address. */
export function startJob(dind: Dind): Job {
  ensureJobImage();
  const stage = stagePackage();
  const name = `docker-lab-test-job-${process.pid}-${Date.now()}`;
  const remove = (): void => {
    try {
      docker(['rm', '-f', '-v', name]);
    } catch {
      // already gone
    }
    rmSync(stage, { recursive: true, force: true });
  };
  try {
    docker([
      'run',
      '-d',
      '--name',
      name,
      '--label',
      TEST_LABEL,
      '-e',
      `DOCKER_HOST=${dind.bridgeDockerHost}`,
      ...(dind.certPath
        ? ['-e', 'DOCKER_TLS_VERIFY=1', '-e', 'DOCKER_CERT_PATH=/certs/client']
        : []),
      '-w',
      '/opt/docker-lab',
      JOB_IMAGE,
      'sleep',
      'infinity',
    ]);
    docker(['cp', `${join(stage, 'package')}/.`, `${name}:/opt/docker-lab`]);
    if (dind.certPath) {
      docker(['exec', name, 'mkdir', '-p', '/certs']);
      docker(['cp', dind.certPath, `${name}:/certs/client`]);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return {
    container: name,
    dockerLab(args, timeoutMs) {
      const started = Date.now();
      return new Promise((resolve) => {
        execFile(
          'docker',
          ['exec', '-e', 'NO_COLOR=1', name, 'node', 'dist/cli.js', ...args],
          { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ code, stdout, stderr, ms: Date.now() - started });
          },
        );
      });
    },
    remove,
  };
}
