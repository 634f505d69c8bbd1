/**
 * A `docker` in front of the real one, on the PATH of the commands docker-lab runs: it adds
 * `--label org.docker-lab.run=<run id>` to `run` and `create`, so a container those commands
 * make is the lesson's by identity even when the lesson gives it no name (`docker run
 * hello-world`). The learner sees and types the command as written; the label is metadata that
 * only cleanup reads. Everything else passes through untouched (`exec` replaces the shim).
 */
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** POSIX sh: rebuilds "$@" with the label after the verb (global options skipped). */
const SCRIPT = `#!/bin/sh
# docker-lab: labels the containers a lesson's commands create, so cleanup knows them.
real="\${DOCKER_LAB_REAL_DOCKER:?}"
state=start
for a do
  shift
  case $state in
    start)
      case $a in
        -H|--host|-c|--context|--config|-l|--log-level|--tlscacert|--tlscert|--tlskey) state=value ;;
        -*) ;;
        container) state=container ;;
        run|create) set -- "$@" "$a" --label "$DOCKER_LAB_RUN_LABEL"; state=done; continue ;;
        *) state=done ;;
      esac ;;
    value) state=start ;;
    container)
      case $a in
        run|create) set -- "$@" "$a" --label "$DOCKER_LAB_RUN_LABEL"; state=done; continue ;;
        *) state=done ;;
      esac ;;
  esac
  set -- "$@" "$a"
done
exec "$real" "$@"
`;

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `docker` on PATH, as the shell would find it. */
export async function findDocker(path: string | undefined): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir || dir.includes('docker-lab-shims')) continue; // a docker-lab inside a lesson
    const candidate = join(dir, 'docker');
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}

export interface DockerShim {
  /** The environment additions: PATH with the shim first, and what the shim reads. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Installs the shim in a folder of its own (not the lesson's working directory, which the
 * learner reads). Without a `docker` on PATH there is nothing to wrap: commands fail as they
 * would anyway, and no shim is made.
 */
export async function installDockerShim(
  baseEnv: Record<string, string | undefined>,
  label: string,
): Promise<DockerShim | undefined> {
  const real = await findDocker(baseEnv.PATH);
  if (!real) return undefined;
  const root = join(baseEnv.TMPDIR || tmpdir(), 'docker-lab-shims');
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, 'run-'));
  const shim = join(dir, 'docker');
  await writeFile(shim, SCRIPT);
  await chmod(shim, 0o755);
  return {
    env: {
      PATH: [dir, baseEnv.PATH ?? ''].filter(Boolean).join(delimiter),
      DOCKER_LAB_REAL_DOCKER: real,
      DOCKER_LAB_RUN_LABEL: label,
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
