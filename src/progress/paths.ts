import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

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
