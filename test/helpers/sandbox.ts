/**
 * The sandbox image the tests use, built by the product's own command (docker-lab images
 * build-sandbox, offline from Debian's packages: a few minutes the first time on a machine,
 * then reused by its recipe hash). Engine 20.10: the one this machine's daemon runs too.
 */
import { execFileSync } from 'node:child_process';
import { runCli } from './cli.js';

export const TEST_ENGINE = '20.10';

let built: Promise<void> | undefined;

export function ensureSandboxImage(): Promise<void> {
  built ??= (async () => {
    const run = await runCli(['images', 'build-sandbox', '--engine', TEST_ENGINE], {}, 15 * 60_000);
    if (run.code !== 0) throw new Error(`images build-sandbox failed:\n${run.stdout}${run.stderr}`);
  })();
  return built;
}

/**
 * Everything on the outer daemon labelled as a sandbox's: with that id, when a string is given;
 * of the docker-lab run with that pid, when `{ ownerPid }` is.
 */
export function sandboxObjects(which?: string | { ownerPid: number }): string[] {
  const filter =
    typeof which === 'string'
      ? `label=docker-lab.sandbox=${which}`
      : which
        ? `label=docker-lab.sandbox.owner-pid=${which.ownerPid}`
        : 'label=docker-lab.sandbox';
  const list = (args: string[]): string[] =>
    execFileSync('docker', [...args, '--filter', filter], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  return [
    ...list(['ps', '-aq']).map((c) => `container ${c}`),
    ...list(['volume', 'ls', '-q']).map((v) => `volume ${v}`),
    ...list(['network', 'ls', '-q']).map((n) => `network ${n}`),
  ];
}
