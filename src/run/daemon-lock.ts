/**
 * One lesson run per daemon at a time, across processes. A lesson's cleanup removes what was
 * created on the daemon while it ran, so two docker-lab runs against one daemon would remove
 * each other's containers. The lock is a file named after the endpoint, holding the owner's
 * pid; a lock whose owner is gone is taken over.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DaemonLock {
  release(): Promise<void>;
}

/** Whether a process with this id runs (one of another user's counts). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A short stable name for a daemon's endpoint, for files about it. */
export function endpointKey(endpointUrl: string): string {
  return createHash('sha256').update(endpointUrl).digest('hex').slice(0, 16);
}

export function lockPath(endpointUrl: string, dir = tmpdir()): string {
  return join(dir, `docker-lab-${endpointKey(endpointUrl)}.lock`);
}

export async function acquireDaemonLock(
  endpointUrl: string,
  options: {
    signal?: AbortSignal;
    onWait?: (ownerPid: number) => void;
    dir?: string;
    pollMs?: number;
  } = {},
): Promise<DaemonLock> {
  const path = lockPath(endpointUrl, options.dir);
  let announced = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return {
        release: async () => {
          const owner = await readFile(path, 'utf8').catch(() => '');
          if (owner === String(process.pid)) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(path, 'utf8').catch(() => ''));
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
      // Left behind by a run that died: take it over.
      await rm(path, { force: true });
      continue;
    }
    if (!announced) {
      options.onWait?.(owner);
      announced = true;
    }
    if (options.signal?.aborted)
      throw new Error('interrupted while waiting for another docker-lab run');
    await sleep(
      options.pollMs ?? 250,
      undefined,
      options.signal ? { signal: options.signal } : {},
    ).catch(() => undefined);
  }
}
