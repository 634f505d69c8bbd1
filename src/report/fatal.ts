import { DockerLabError } from '../errors.js';

/**
 * The last line of defence: an error that reached the top. People see what happened and
 * what to do; a stack trace only with DOCKER_LAB_DEBUG=1.
 */
export function formatFatal(error: unknown): string {
  const debug = process.env.DOCKER_LAB_DEBUG === '1';
  if (error instanceof Error) {
    if (error instanceof DockerLabError || !debug) {
      const hint =
        error instanceof DockerLabError
          ? ''
          : '\n(this is a bug in docker-lab if the message does not say what to do; ' +
            'run again with DOCKER_LAB_DEBUG=1 for details and report it)';
      return `docker-lab: ${error.message}${hint}\n`;
    }
    return `docker-lab: ${error.stack ?? error.message}\n`;
  }
  return `docker-lab: ${String(error)}\n`;
}
