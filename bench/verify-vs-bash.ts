/**
 * `docker-lab verify` against a bash script that does the same work and the same checks with the
 * docker CLI, alternating, in the same run (target: docker-lab takes at most 1.10x the script).
 *
 * docker-lab's side is the built CLI (dist/cli.js) verifying bench/verify/verify-bench.md: the
 * real parser, runner, check kinds and cleanup. The baseline is bench/verify/baseline.sh, written
 * by hand as a careful script author would (see its head for what it leaves out). Before the
 * runs, `dl-bench-x` in both becomes a prefix unique to this run and 65080 a free port: the
 * daemon is shared, and nothing else on it is touched. Both sides take docker-lab's lock for the
 * daemon; a sample that had to wait for another run holding it is thrown away and taken again.
 * After every sample nothing with the prefix may be left: each side cleans up after itself.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpointFromProcess } from '../src/docker/endpoint.js';
import { alive, lockPath } from '../src/run/daemon-lock.js';
import { objectsNamed, removeNamed, uniquePrefix } from './lib/docker.js';
import {
  alternate,
  BIN,
  median,
  onInterrupt,
  ROOT,
  say,
  timeProcess,
  type Finished,
  type Row,
} from './lib/measure.js';

const TARGET = 1.1;
const WAITED = /waiting for another docker-lab run/;

/** A TCP port nothing listens on now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Until no docker-lab run (nor the script) holds the daemon's lock. */
async function lockFree(lock: string): Promise<void> {
  for (;;) {
    let owner: number;
    try {
      owner = Number(readFileSync(lock, 'utf8'));
    } catch {
      return;
    }
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function verifyVsBash(rounds = 5): Promise<Row[]> {
  const resolution = resolveEndpointFromProcess();
  if (!resolution.ok) throw new Error(`no daemon endpoint: ${resolution.problem.message}`);
  const endpoint = resolution.endpoint;
  const lock = lockPath(endpoint.url);
  const prefix = uniquePrefix('verify');
  const port = String(await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'dl-bench-verify-'));
  const done = onInterrupt(() => {
    removeNamed(prefix);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    const lesson = join(dir, 'verify-bench.md');
    writeFileSync(
      lesson,
      readFileSync(join(ROOT, 'bench/verify/verify-bench.md'), 'utf8')
        .replaceAll('dl-bench-x', prefix)
        .replaceAll('65080', port),
    );
    const script = join(ROOT, 'bench/verify/baseline.sh');
    // The bench's own state folder: leftover records of the learner's runs are not its business.
    const env = {
      ...process.env,
      DOCKER_LAB_STATE_DIR: join(dir, 'state'),
      DAEMON_HOST: endpoint.daemonHost,
    };
    let retaken = 0;
    let contended = 0;

    /** One timed run of a side; it must pass and leave nothing behind. */
    const sample = async (side: string, start: () => Promise<Finished>): Promise<number> => {
      for (let tries = 0; ; tries++) {
        await lockFree(lock);
        const r = await start();
        const left = objectsNamed(prefix);
        if (r.code !== 0 || left.length > 0) {
          throw new Error(
            `${side} ${r.code !== 0 ? `failed (exit ${r.code})` : `left ${left.join(', ')}`}:\n${r.stdout}${r.stderr}`.slice(
              0,
              4000,
            ),
          );
        }
        if (!WAITED.test(r.stdout + r.stderr)) return r.ms;
        if (tries >= 4) {
          contended += 1;
          return r.ms;
        }
        retaken += 1;
      }
    };
    const dockerLab = () =>
      sample('docker-lab verify', () =>
        timeProcess(process.execPath, [BIN, 'verify', '--reporter', 'plain', lesson], { env }),
      );
    const bash = () =>
      sample('bench/verify/baseline.sh', () =>
        timeProcess('bash', [script, prefix, port, lock], { env }),
      );

    say('verify: warm-up, each side once');
    await dockerLab();
    await bash();
    say(`verify: docker-lab verify vs bash, ${rounds} rounds`);
    const r = await alternate(rounds, bash, dockerLab);
    return [
      {
        name: 'verify: docker-lab verify vs bash script',
        unit: 'ms',
        baseline: median(r.baseline),
        measured: median(r.measured),
        target: { ratio: TARGET },
        note: [
          `${rounds} rounds`,
          retaken ? `${retaken} retaken after waiting for the lock` : '',
          contended ? `${contended} kept though they waited for it` : '',
        ]
          .filter(Boolean)
          .join(', '),
      },
    ];
  } finally {
    done();
  }
}
