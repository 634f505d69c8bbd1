/**
 * The learner's progress on disk (progress.json in the state folder, see paths.ts). Progress is
 * never lost and never a crash: a file docker-lab cannot read is moved aside as a backup and
 * progress starts empty; a file from a newer docker-lab is left alone and nothing is saved.
 *
 * Two docker-lab processes may save at once: each write is atomic (atomic.ts), so the file is
 * always one complete, valid state, and the last writer wins. Merging would need a lock for a
 * case (two TUIs on one course) where losing the other window's last step is acceptable.
 */
import { access, readFile, rename } from 'node:fs/promises';
import { UsageError } from '../commands/types.js';
import { writeFileAtomic } from './atomic.js';
import { progressFile } from './paths.js';
import { emptyProgress, PROGRESS_VERSION, ProgressSchema, type Progress } from './schema.js';

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
export class ProgressSaveError extends UsageError {
  constructor(
    readonly reason: SaveRefusal,
    message: string,
  ) {
    super(message, 1);
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
    return {
      progress: emptyProgress(),
      warning: `Your progress file ${file} could not be read (${errorCode(error)}), so progress starts empty and nothing is saved this session.`,
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
    const readable = ProgressSchema.safeParse({ ...(data as object), version: PROGRESS_VERSION });
    return {
      progress: readable.success ? readable.data : emptyProgress(),
      warning: `Your progress file ${file} was written by a newer docker-lab (progress format ${newer}, this one knows ${PROGRESS_VERSION}), so it is left untouched and nothing is saved this session; update docker-lab to keep your progress.`,
      readOnly: true,
      file,
    };
  }
  const parsed = ProgressSchema.safeParse(data);
  if (!parsed.success) {
    return setAside(
      file,
      `it does not match the progress format: ${firstIssue(parsed.error)}`,
      now,
    );
  }
  return { progress: parsed.data, readOnly: false, file };
}

/** Refuses to write over what docker-lab cannot read: a newer docker-lab's file or garbage. */
async function checkOverwrite(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
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
}

/**
 * Writes progress atomically. The check that the file on disk is not a newer docker-lab's and
 * the rename are two steps; a newer docker-lab writing in between loses to this write, as any
 * concurrent writer does.
 */
export async function saveProgress(progress: Progress, options: ProgressOptions): Promise<void> {
  const file = progressFile(options.env);
  // Our own state must be valid: a bad write would be set aside as corrupt at the next start.
  const valid = ProgressSchema.parse(progress);
  await checkOverwrite(file);
  try {
    await writeFileAtomic(file, `${JSON.stringify(valid, null, 2)}\n`);
  } catch (error) {
    throw new ProgressSaveError(
      'io',
      `Your progress was not saved to ${file} (${errorCode(error)}); check that the folder is writable, or set DOCKER_LAB_STATE_DIR to another folder.`,
    );
  }
}
