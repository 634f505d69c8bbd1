/**
 * A second Docker daemon, in a container on the outer one, with its API published on
 * 127.0.0.1 (tcp, no TLS): what CI's Docker-in-Docker service looks like.
 *
 * No registry is reachable here, so the image is made offline: a Debian rootfs with docker.io
 * from mmdebstrap (about a minute), imported once and reused by tag. `--privileged` fails on
 * these machines; the capability set below is what works.
 */
import { execFileSync } from 'node:child_process';
import { docker, ensureDebianImage, TEST_LABEL } from './debian-image.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Debian releases users' Engines come from: bookworm's docker.io is Engine 20.10, trixie's is
 * 26.1 (BuildKit by default). procps is there because `docker top` runs `ps` on the daemon's
 * host, and the `docker:dind` image users run has it. The tag changes with the package list, so
 * a machine that cached an older image builds the new one. openssl makes the TLS certificates at
 * start, as the `docker:dind` image does.
 */
export type DindRelease = 'bookworm' | 'trixie';
const DIND_PACKAGES = 'docker.io,iptables,ca-certificates,procps,openssl';
export const dindImage = (release: DindRelease = 'bookworm'): string =>
  `docker-lab-test/dind:${release}-procps-openssl`;
/** Build the DinD image unless it is cached. */
export function ensureDindImage(release: DindRelease = 'bookworm'): void {
  ensureDebianImage(dindImage(release), release, DIND_PACKAGES, ['CMD ["dockerd"]']);
}

export interface Dind {
  container: string;
  /** The inner daemon's API, as a DOCKER_HOST value (a port published on the host's loopback). */
  dockerHost: string;
  port: number;
  /** The container's address on the bridge: where the inner daemon's published ports live. */
  ip: string;
  /** The inner daemon's API at the container's own address (published ports are reachable there). */
  bridgeDockerHost: string;
  /** With TLS: the client's ca.pem, cert.pem and key.pem, copied out to this machine. */
  certPath?: string;
  /** The variables a client on this machine needs (DOCKER_HOST, and the TLS ones). */
  env: Record<string, string>;
  /** Removes the container and its anonymous /var/lib/docker volume. */
  remove(): void;
}

/**
 * What the `docker:dind` image does at start when DOCKER_TLS_CERTDIR is set (GitLab's default):
 * a CA, a server certificate for its names and addresses, a client certificate, all under
 * /certs, then dockerd on 2376 verifying clients.
 */
const TLS_START = String.raw`set -e
c=/certs; mkdir -p $c/ca $c/server $c/client
openssl genrsa -out $c/ca/key.pem 2048 2>/dev/null
openssl req -new -x509 -days 2 -key $c/ca/key.pem -subj /CN=docker-lab-test-ca -out $c/ca/cert.pem
for side in server client; do
  openssl genrsa -out $c/$side/key.pem 2048 2>/dev/null
  openssl req -new -key $c/$side/key.pem -subj /CN=docker -out $c/$side/csr.pem
  if [ $side = server ]; then
    printf 'subjectAltName=DNS:docker,DNS:localhost,IP:127.0.0.1,IP:%s\nextendedKeyUsage=serverAuth\n' "$(hostname -i | cut -d' ' -f1)" > $c/$side/ext
  else
    printf 'extendedKeyUsage=clientAuth\n' > $c/$side/ext
  fi
  openssl x509 -req -in $c/$side/csr.pem -CA $c/ca/cert.pem -CAkey $c/ca/key.pem -CAcreateserial -days 2 -extfile $c/$side/ext -out $c/$side/cert.pem 2>/dev/null
  cp $c/ca/cert.pem $c/$side/ca.pem
done
touch $c/ready
exec dockerd -H tcp://0.0.0.0:2376 --tlsverify --tlscacert $c/server/ca.pem --tlscert $c/server/cert.pem --tlskey $c/server/key.pem`;

/** Start an inner daemon and wait until its API answers (at most 60 s). */
export async function startDind(
  release: DindRelease = 'bookworm',
  options: { tls?: boolean } = {},
): Promise<Dind> {
  ensureDindImage(release);
  const name = `docker-lab-test-dind-${process.pid}-${Date.now()}`;
  const apiPort = options.tls ? 2376 : 2375;
  docker([
    'run',
    '-d',
    '--name',
    name,
    '--label',
    TEST_LABEL,
    '--cap-add',
    'ALL',
    '--cap-drop',
    'SYS_RESOURCE',
    '--security-opt',
    'seccomp=unconfined',
    '--security-opt',
    'apparmor=unconfined',
    '--device-cgroup-rule',
    'a *:* rwm',
    '-v',
    '/sys/fs/cgroup:/sys/fs/cgroup:rw',
    // The inner data root on the host's file system: overlay2 cannot sit on overlay.
    '-v',
    '/var/lib/docker',
    '-p',
    `127.0.0.1::${apiPort}`,
    // Engine 26 starts no container on a host without IPv6 unless told this is fine.
    '-e',
    'DOCKER_ALLOW_IPV6_ON_IPV4_INTERFACE=1',
    dindImage(release),
    // --tls=false says we mean it; without it dockerd 20.10 stalls 15 s on a warning.
    ...(options.tls
      ? ['sh', '-c', TLS_START]
      : ['dockerd', '-H', 'tcp://0.0.0.0:2375', '--tls=false']),
  ]);
  let certPath: string | undefined;
  const remove = (): void => {
    try {
      docker(['rm', '-f', '-v', name]);
    } catch {
      // already gone
    }
    if (certPath) rmSync(certPath, { recursive: true, force: true });
  };
  try {
    const mapping = docker(['port', name, `${apiPort}/tcp`]).split('\n')[0] ?? '';
    const port = Number(mapping.slice(mapping.lastIndexOf(':') + 1));
    const dockerHost = `tcp://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let env: Record<string, string> = { DOCKER_HOST: dockerHost };
    for (;;) {
      try {
        if (options.tls && !certPath) {
          const dir = mkdtempSync(join(tmpdir(), 'docker-lab-test-certs-'));
          try {
            // Only once every certificate is written: a copy taken halfway is never retried.
            docker(['exec', name, 'test', '-e', '/certs/ready']);
            docker(['cp', `${name}:/certs/client/.`, dir]);
            certPath = dir;
            env = { DOCKER_HOST: dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir };
          } catch (error) {
            rmSync(dir, { recursive: true, force: true });
            throw error;
          }
        }
        execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
          env: { ...process.env, DOCKER_CONTEXT: '', ...env },
          stdio: 'ignore',
          timeout: 5_000,
        });
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new Error(
            `the inner dockerd did not answer within 60 s; its log:\n${docker(['logs', '--tail', '30', name])}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const ip = docker(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', name]).trim();
    return {
      container: name,
      dockerHost,
      port,
      ip,
      bridgeDockerHost: `tcp://${ip}:${apiPort}`,
      ...(certPath ? { certPath } : {}),
      env,
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
