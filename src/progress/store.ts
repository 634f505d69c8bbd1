/**
 * The learner's progress on disk (progress.json in the state folder, see paths.ts). Progress is
 * never lost and never a crash: a file docker-lab cannot read is moved aside as a backup and
 * progress starts empty; a file from a newer docker-lab is left alone and nothing is saved; a
 * file from an older one is read in its format and saved in this one (migrate.ts), the old file
 * kept beside it.
 *
 * Two docker-lab processes may save at once (two TUIs on one course): a save reads the file,
 * merges what it holds into what this process recorded (mergeProgress) and writes the result,
 * all under a lock (proper-lockfile: `progress.json.lock`, a folder, so it works on every file
 * system and a crashed holder's lock goes stale), so no step either one completed is lost. Each
 * write is also atomic (atomic.ts): a reader sees one complete, valid state.
 */
import { constants } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { DockerLabError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { progressFile, stateFolderProblem } from './paths.js';
import { readProgressData } from './migrate.js';
import { emptyProgress, PROGRESS_VERSION, ProgressSchema, type Progress } from './schema.js';
import { mergeProgress } from './update.js';

export interface ProgressOptions {
  env: Record<string, string | undefined>;
  /** The clock, for the backup's name (tests pass a fixed one). */
  now?: Date;
}

export interface LoadedProgress {
  progress: Progress;
  /** One sentence for the learner when the file could not be used as it was. */
  warning?: string;
  /** Saving would fail (a newer docker-lab's file, or one that could not be moved aside). */
  readOnly: boolean;
  file: string;
}

export type SaveRefusal = 'newer' | 'unreadable' | 'io';

/** Progress was not saved; the message says why and what to do. Never a stack trace. */
export class ProgressSaveError extends DockerLabError {
  override name = 'ProgressSaveError';
  constructor(
    readonly reason: SaveRefusal,
    message: string,
  ) {
    super({ what: message }, 1);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A version number above ours: the file belongs to a newer docker-lab. */
function newerVersion(data: unknown): number | undefined {
  return isObject(data) && typeof data.version === 'number' && data.version > PROGRESS_VERSION
    ? data.version
    : undefined;
}

/** `20250102T030405Z`: sortable, and legal in file names on every system (no colons). */
function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

async function freeName(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await access(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}

function firstIssue(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not match the progress format';
  const where = issue.path.map(String).join('.');
  return `${where ? `${where}: ` : ''}${issue.message}`;
}

/** Moves an unusable file aside, keeping it as a backup, and says so in one sentence. */
async function setAside(file: string, reason: string, now: Date): Promise<LoadedProgress> {
  const backup = await freeName(`${file}.corrupt-${stamp(now)}`);
  try {
    await rename(file, backup);
    return {
      progress: emptyProgress(),
      warning: `Your progress file ${file} could not be read (${reason}), so progress starts empty; the old file is kept as ${backup}.`,
      readOnly: false,
      file,
    };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      // Another docker-lab started at the same moment and moved it aside first.
      return {
        progress: emptyProgress(),
        warning: `Your progress file ${file} could not be read (${reason}), so progress starts empty; another docker-lab moved the old file aside.`,
        readOnly: false,
        file,
      };
    }
    return {
      progress: emptyProgress(),
      warning: `Your progress file ${file} could not be read (${reason}) nor moved aside (${errorCode(error)}), so progress starts empty and nothing is saved this session.`,
      readOnly: true,
      file,
    };
  }
}

export async function loadProgress(options: ProgressOptions): Promise<LoadedProgress> {
  const file = progressFile(options.env);
  const now = options.now ?? new Date();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { progress: emptyProgress(), readOnly: false, file };
    const problem = stateFolderProblem(error, file, options.env);
    return {
      progress: emptyProgress(),
      warning: problem
        ? `Your progress file ${file} cannot be used: ${problem.reason}, so progress starts empty and nothing is saved this session; ${problem.fix}.`
        : `Your progress file ${file} could not be read (${errorCode(error)}), so progress starts empty and nothing is saved this session.`,
      readOnly: true,
      file,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return setAside(file, 'it is not valid JSON', now);
  }
  const newer = newerVersion(data);
  if (newer !== undefined) {
    // Show what can be understood of it, but never write over it.
    const readable = readProgressData({ ...(data as object), version: PROGRESS_VERSION });
    return {
      progress: readable.ok ? readable.progress : emptyProgress(),
      warning: `Your progress file ${file} was written by a newer docker-lab (progress format ${newer}, this one knows ${PROGRESS_VERSION}), so it is left untouched and nothing is saved this session; update docker-lab to keep your progress.`,
      readOnly: true,
      file,
    };
  }
  // An older format is read as it is and brought to this one; the next save writes it so.
  const read = readProgressData(data);
  if (!read.ok) {
    return setAside(file, `it does not match the progress format: ${firstIssue(read.error)}`, now);
  }
  return { progress: read.progress, readOnly: false, file };
}

/**
 * The progress on disk, as a save must start from it: none yet is empty; a newer docker-lab's
 * file or one that is not JSON is refused (never overwritten); an older format is migrated
 * (`migratedFrom` says from which). A file that cannot be read at all counts as empty: writing
 * it fails next, with the reason.
 */
async function readForSave(file: string): Promise<{ progress: Progress; migratedFrom?: number }> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { progress: emptyProgress() };
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ProgressSaveError(
      'unreadable',
      `Your progress was not saved: ${file} is not a progress file docker-lab can read, and it is not overwritten; move it away to save progress again.`,
    );
  }
  const newer = newerVersion(data);
  if (newer !== undefined) {
    throw new ProgressSaveError(
      'newer',
      `Your progress was not saved: ${file} was written by a newer docker-lab (progress format ${newer}); update docker-lab to keep your progress.`,
    );
  }
  // JSON that is not progress was set aside when it was loaded; if it is back, it goes.
  const read = readProgressData(data);
  if (!read.ok) return { progress: emptyProgress() };
  return read.migratedFrom === undefined
    ? { progress: read.progress }
    : { progress: read.progress, migratedFrom: read.migratedFrom };
}

/**
 * Before the first write over an older format: the old file is kept beside it
 * (`progress.json.v1`), once, for a docker-lab that only reads that format.
 */
async function keepOldFormat(file: string, version: number): Promise<void> {
  await copyFile(file, `${file}.v${version}`, constants.COPYFILE_EXCL).catch((error: unknown) => {
    if (errorCode(error) !== 'EEXIST') throw error;
  });
}

function notSaved(file: string, error: unknown, env: ProgressOptions['env']): ProgressSaveError {
  const code = errorCode(error);
  if (code === 'ELOCKED') {
    return new ProgressSaveError(
      'io',
      `Your progress was not saved to ${file}: another docker-lab kept it locked (${file}.lock) for too long; try again, and if no other docker-lab is running, remove ${file}.lock.`,
    );
  }
  const problem = stateFolderProblem(error, file, env);
  return new ProgressSaveError(
    'io',
    problem
      ? `Your progress was not saved to ${file}: ${problem.reason}; ${problem.fix}.`
      : `Your progress was not saved to ${file} (${code}); check that the folder is writable, or set DOCKER_LAB_STATE_DIR to another folder.`,
  );
}

/** How long a save waits for another process's lock; a crashed holder's lock is stale sooner. */
const LOCK_STALE_MS = 10_000;
const LOCK_RETRIES = { retries: 40, factor: 1.3, minTimeout: 10, maxTimeout: 1_000 };

/**
 * Changes the progress on disk under the lock: reads it, applies `change`, writes the result
 * atomically, and returns it. `change` gets the file's state as it is now, so what another
 * docker-lab saved meanwhile is part of it.
 */
export async function updateProgress(
  options: ProgressOptions,
  change: (current: Progress) => Progress,
): Promise<Progress> {
  const file = progressFile(options.env);
  let release: (() => Promise<void>) | undefined;
  try {
    // 0700: progress says what the learner did and when; nobody else needs to read it.
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    release = await lockfile.lock(file, {
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: LOCK_RETRIES,
      // A lock found taken over (the folder removed, the clock jumped) must not crash the
      // TUI: the write is atomic all the same, at worst one step of the other process is lost.
      onCompromised: () => undefined,
    });
    // Our own state must be valid: a bad write would be set aside as corrupt at the next start.
    const current = await readForSave(file);
    const next = ProgressSchema.parse(change(current.progress));
    if (current.migratedFrom !== undefined) await keepOldFormat(file, current.migratedFrom);
    await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  } catch (error) {
    // Not a file-system error (a ZodError: a bug in `change`): as it is.
    if (!(error as NodeJS.ErrnoException).code) throw error;
    throw notSaved(file, error, options.env);
  } finally {
    await release?.().catch(() => undefined);
  }
}

/**
 * Saves what this process recorded, merged with what the file holds now (another docker-lab
 * may have completed steps since this one loaded it), and returns the merged progress.
 */
export async function saveProgress(
  progress: Progress,
  options: ProgressOptions,
): Promise<Progress> {
  const valid = ProgressSchema.parse(progress);
  return updateProgress(options, (current) => mergeProgress(current, valid));
}
