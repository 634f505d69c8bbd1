/**
 * Running the `docker` CLI for what the Engine API makes awkward (build with a context
 * directory, import of a root filesystem tarball): always against the endpoint docker-lab
 * resolved, never whatever DOCKER_HOST the shell happens to have.
 */
import { execa } from 'execa';
import { dockerChildEnv, type Endpoint } from '../docker/endpoint.js';

export interface CliResult {
  exitCode: number;
  /** The last lines of stdout and stderr, interleaved as they came: for failure reports. */
  tail: string[];
}

export interface CliOptions {
  endpoint: Endpoint;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Each output line, as it comes (stdout and stderr). */
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** Extra variables for the child (DOCKER_BUILDKIT=0). */
  extraEnv?: Record<string, string>;
}

const TAIL_LINES = 40;

export async function runDockerCli(args: string[], options: CliOptions): Promise<CliResult> {
  const tail: string[] = [];
  const child = execa('docker', args, {
    env: { ...dockerChildEnv(options.endpoint, options.env), ...options.extraEnv },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const take = (stream: NodeJS.ReadableStream | null): void => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) push(line);
    });
    stream?.on('end', () => rest && push(rest));
  };
  const push = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line);
  };
  take(child.stdout);
  take(child.stderr);
  const result = await child;
  if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return { exitCode: 127, tail: ['the docker command is not installed (not found in PATH)'] };
  }
  if (result.isCanceled) throw new DOMException('cancelled', 'AbortError');
  return { exitCode: result.exitCode ?? 1, tail };
}
