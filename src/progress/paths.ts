import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * Where docker-lab keeps the learner's state: `$XDG_STATE_HOME/docker-lab`, by default
 * `~/.local/state/docker-lab`. The XDG default is used on macOS and Windows too: one place to
 * look on every machine. DOCKER_LAB_STATE_DIR names the folder itself (tests, portable setups).
 */
export function stateDir(env: Record<string, string | undefined>): string {
  const override = env.DOCKER_LAB_STATE_DIR;
  if (override) return override;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'docker-lab');
  const home = env.HOME || env.USERPROFILE || homedir();
  return join(home, '.local', 'state', 'docker-lab');
}

export function progressFile(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'progress.json');
}

/** File-system errors that mean the state folder itself cannot be used. */
const FOLDER_CODES = new Set(['ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

function nearestExisting(path: string): string {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

/** The first part of `path` that exists and is not a folder (ENOTDIR's cause), if any. */
function firstNonFolder(path: string): string | undefined {
  const chain: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    chain.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of chain) {
    const info = statSync(at, { throwIfNoEntry: false });
    if (!info) return undefined;
    if (!info.isDirectory()) return at;
  }
  return undefined;
}

/**
 * Why a file in the state folder cannot be read or written, and what to do, for errors that
 * are about the folder (not a file in it): "/tmp/f is a file, not a folder (ENOTDIR)" and
 * "set XDG_STATE_HOME to a folder you can write ...". Undefined for any other error.
 */
export function stateFolderProblem(
  error: unknown,
  path: string,
  env: Record<string, string | undefined>,
): { reason: string; fix: string } | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !FOLDER_CODES.has(code)) return undefined;
  const existing = nearestExisting(dirname(path));
  let reason: string;
  if (code === 'ENOTDIR') {
    const blocker = firstNonFolder(path);
    reason = blocker ? `${blocker} is a file, not a folder` : `part of ${path} is not a folder`;
  } else if (code === 'EROFS') reason = `${existing} is on a read-only file system`;
  else reason = `this user may not write in ${existing}`;
  let fix: string;
  if (env.DOCKER_LAB_STATE_DIR) fix = 'set DOCKER_LAB_STATE_DIR to a folder you can write';
  else if (env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME))
    fix = `set XDG_STATE_HOME to a folder you can write (docker-lab keeps its state in $XDG_STATE_HOME/docker-lab), or unset it`;
  else fix = `fix the permissions of ${existing}, or set XDG_STATE_HOME to a folder you can write`;
  return { reason: `${reason} (${code})`, fix };
}
