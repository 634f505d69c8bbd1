import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Windows refuses a rename while another process holds the target open: retry briefly. */
const RENAME_RETRIES = 5;
const RENAME_BUSY = new Set(['EPERM', 'EACCES', 'EBUSY']);

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (attempt >= RENAME_RETRIES || !RENAME_BUSY.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/**
 * Replaces `file` with `text` so that a reader (or a crash) sees either the old content or the
 * new, never a mix: write a temp file in the same folder, fsync it, rename it over the target.
 * Two writers at once each rename a complete file; the last rename wins.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  // 0700: progress says what the learner did and when; nobody else needs to read it.
  // (mkdir applies the mode only to folders it creates, never to existing ones.)
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // Make the rename itself durable. Folders cannot be opened for syncing on Windows: skip there.
  const folder = await open(dir, 'r').catch(() => undefined);
  if (!folder) return;
  try {
    await folder.sync();
  } catch {
    // Some file systems cannot sync a folder; the rename has happened all the same.
  } finally {
    await folder.close();
  }
}
