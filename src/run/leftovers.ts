/**
 * The ledger on disk. While a lesson runs, what it created is written down (one small file per
 * run, under docker-lab's state folder), and the file goes when cleanup has removed it all. A
 * run that could not clean up (the daemon went away, docker-lab was killed) leaves its file, so
 * the next run on that daemon can name exactly those objects and remove them: they are the
 * lesson's by the ledger, by identity (ids), never by name or time.
 *
 * Images are not written down: a pulled or tagged image may be the learner's by the time
 * anyone looks again, and an image left behind breaks nothing.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../docker/client.js';
import { DockerAccessError } from '../docker/errors.js';
import { engineObject, isObjectType, removeEach } from '../docker/objects.js';
import type { Resource } from '../docker/records.js';
import { stateDir } from '../progress/paths.js';
import { alive, endpointKey } from './daemon-lock.js';

export interface LeftoverRun {
  version: 1;
  runId: string;
  pid: number;
  endpoint: string;
  lesson: { id: string; lang: string; file: string };
  startedAt: string;
  /**
   * When the list was last written. A volume (whose id is its name) made after that is
   * somebody else's under the same name: the learner's `docker volume create mydb`.
   */
  updatedAt: string;
  resources: Resource[];
}

export interface Leftovers {
  run: LeftoverRun;
  /** Those of its resources still on the daemon. */
  present: Resource[];
}

function folder(env: Record<string, string | undefined>, endpoint: string): string {
  return join(stateDir(env), 'runs', endpointKey(endpoint));
}

/** One run's record; writes are queued so the file always holds the latest full list. */
export class RunRecord {
  private writing: Promise<void> = Promise.resolve();
  private broken = false;
  private last = '';

  constructor(
    private readonly file: string,
    private readonly run: Omit<LeftoverRun, 'resources' | 'updatedAt'>,
  ) {}

  static create(
    env: Record<string, string | undefined>,
    run: Omit<LeftoverRun, 'resources' | 'version' | 'pid' | 'startedAt' | 'updatedAt'>,
  ): RunRecord {
    const file = join(folder(env, run.endpoint), `${run.runId}.json`);
    return new RunRecord(file, {
      ...run,
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
    });
  }

  /**
   * Writes what the run has created and not yet removed (atomically), when that changed; a
   * state folder that fails is let be.
   */
  save(resources: Resource[]): Promise<void> {
    const kept = resources.filter((r) => isObjectType(r.type));
    const key = JSON.stringify(kept);
    if (key === this.last) return this.writing;
    this.last = key;
    this.writing = this.writing.then(async () => {
      if (this.broken) return;
      try {
        if (kept.length === 0) {
          await rm(this.file, { force: true });
          return;
        }
        await mkdir(join(this.file, '..'), { recursive: true });
        const temporary = `${this.file}.${process.pid}.tmp`;
        const record: LeftoverRun = {
          ...this.run,
          updatedAt: new Date().toISOString(),
          resources: kept,
        };
        await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
        await rename(temporary, this.file);
      } catch {
        // The lesson runs on; only the note for a later run is lost (the state folder is
        // checked, with its fix, where progress is saved).
        this.broken = true;
      }
    });
    return this.writing;
  }

  /** Everything was removed (or the learner chose to keep it): nothing is left over. */
  async discard(): Promise<void> {
    this.last = '[]';
    await this.writing;
    await rm(this.file, { force: true });
  }
}

/** Whether the recorded object is still there, and still the one the run made. */
async function exists(engine: Engine, resource: Resource, updatedAt: string): Promise<boolean> {
  if (!isObjectType(resource.type)) return false;
  const object = engineObject(engine.docker, resource.type, resource.id);
  try {
    const info = await engine.call((abortSignal) => object.inspect({ abortSignal }));
    // Made after the run last wrote its list: the same name, somebody else's object.
    if (
      resource.type === 'volume' &&
      info.CreatedAt &&
      Date.parse(info.CreatedAt) > Date.parse(updatedAt)
    )
      return false;
    return true;
  } catch (error) {
    // Not reachable: nothing can be told now, and the record stays for a later run.
    if (error instanceof DockerAccessError) throw error;
    // Gone (404), or a swarm object on a node that left the swarm (503): not there.
    return false;
  }
}

/**
 * What runs on this daemon that ended without cleaning up left behind, and is still there.
 * Runs whose process is still alive (another terminal) are not leftovers; records of runs that
 * left nothing still present are deleted.
 */
export async function findLeftovers(
  engine: Engine,
  env: Record<string, string | undefined>,
): Promise<Leftovers[]> {
  const dir = folder(env, engine.endpoint.url);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const found: Leftovers[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    let run: LeftoverRun;
    try {
      run = JSON.parse(await readFile(file, 'utf8')) as LeftoverRun;
      if (run.version !== 1 || !Array.isArray(run.resources)) continue;
    } catch {
      continue;
    }
    if (run.pid === process.pid || alive(run.pid)) continue;
    const present: Resource[] = [];
    for (const resource of run.resources) {
      if (await exists(engine, resource, run.updatedAt ?? run.startedAt)) present.push(resource);
    }
    if (present.length === 0) await rm(file, { force: true });
    else found.push({ run, present });
  }
  return found;
}

/**
 * Removes what `findLeftovers` found; returns what failed. A container's anonymous volumes are
 * in the record when the run made them; a volume it shares with another container
 * (--volumes-from) is not the run's to remove, so containers keep their volumes here.
 */
export async function removeLeftovers(
  engine: Engine,
  env: Record<string, string | undefined>,
  leftovers: Leftovers[],
): Promise<{ resource: Resource; error: string }[]> {
  const failed: { resource: Resource; error: string }[] = [];
  for (const { run, present } of leftovers) {
    const failures = await removeEach(engine, present);
    failed.push(...failures);
    if (failures.length === 0)
      await rm(join(folder(env, run.endpoint), `${run.runId}.json`), { force: true });
  }
  return failed;
}

/** "container dl-fault, volume dl-data (left by fault, en, at 2026-12-06 23:29)" */
export function describeLeftovers(leftovers: Leftovers[]): string[] {
  return leftovers.map(
    ({ run, present }) =>
      `${present.map((r) => `${r.type} ${r.name}`).join(', ')} (left by an interrupted run of ${run.lesson.id}, ${run.lesson.lang}, started ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC)`,
  );
}
