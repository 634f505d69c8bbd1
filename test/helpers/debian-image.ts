/**
 * Test images made offline (no registry is reachable here): a Debian root file system with the
 * given packages from mmdebstrap (about a minute), imported once and reused by tag. Every one
 * carries the tests' label, so listings of a daemon leave the tests' own containers out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_LABEL = 'docker-lab.test=true';

/** Runs the docker CLI on this machine's daemon; its trimmed stdout. */
export function docker(args: string[], timeout = 120_000): string {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout,
  }).trim();
}

/** Builds `tag` from `release` with `packages` unless it is there; `changes` as docker import takes them. */
export function ensureDebianImage(
  tag: string,
  release: 'bookworm' | 'trixie',
  packages: string,
  changes: string[] = [],
): void {
  try {
    docker(['image', 'inspect', '--format', '{{.Id}}', tag]);
    return;
  } catch {
    // not built yet
  }
  const dir = mkdtempSync(join(tmpdir(), 'docker-lab-image-'));
  try {
    const tarball = join(dir, 'rootfs.tar');
    execFileSync('mmdebstrap', ['--variant=minbase', `--include=${packages}`, release, tarball], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10 * 60_000,
    });
    const flags = [`LABEL ${TEST_LABEL}`, ...changes].flatMap((change) => ['--change', change]);
    docker(['import', ...flags, tarball, tag], 5 * 60_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
