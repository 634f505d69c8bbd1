/**
 * Tests that talk to Docker call `requireDaemon()` first. No daemon is a failure with a
 * message that says how to start one, never a silent skip (CI must not go green without one).
 */
import { execFileSync } from 'node:child_process';

let checked: Promise<void> | undefined;

export function requireDaemon(): Promise<void> {
  checked ??= (async () => {
    try {
      execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15_000,
      });
    } catch (error) {
      const detail =
        error && typeof error === 'object' && 'stderr' in error
          ? String((error as { stderr: unknown }).stderr).trim()
          : String(error);
      throw new Error(
        `These tests need a running Docker daemon and none answered (${detail}).\n` +
          'Start one with: bash scripts/setup-docker.sh   (installs docker.io and starts dockerd)',
      );
    }
  })();
  return checked;
}
