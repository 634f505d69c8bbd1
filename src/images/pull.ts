/**
 * Pulling one image through the Engine API, reading every event of the stream: progress goes
 * to the caller, and an error event (or an HTTP error before the stream) makes the pull fail,
 * explained by pull-errors.ts.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../docker/client.js';
import { messageOf, statusOf } from '../docker/engine-error.js';
import { classifyEngineError } from '../docker/errors.js';
import {
  applyPullEvent,
  createEventSplitter,
  initialPullState,
  type PullState,
} from './pull-progress.js';
import { explainPullFailure, registryOf, type PullFailure } from './pull-errors.js';

export interface PullOutcome {
  ref: string;
  ok: boolean;
  state: PullState;
  failure?: PullFailure;
}

export interface PullOptions {
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Called after every event with the state before and after it. */
  onChange?: (before: PullState, after: PullState) => void;
  /** Give up when the daemon sends nothing for this long (default 2 min). */
  stallMs?: number;
}

/** Credentials the docker CLI stored in plain form (config.json "auths"); helpers are not read. */
export function storedAuth(
  env: Record<string, string | undefined>,
  registry: string,
): { username: string; password: string; serveraddress: string } | undefined {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      auths?: Record<string, { auth?: string }>;
    };
    const keys =
      registry === 'registry-1.docker.io'
        ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io']
        : [registry, `https://${registry}`, `http://${registry}`];
    for (const key of keys) {
      const encoded = config.auths?.[key]?.auth;
      if (!encoded) continue;
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0)
        return {
          username: decoded.slice(0, colon),
          password: decoded.slice(colon + 1),
          serveraddress: key,
        };
    }
  } catch {
    // no configuration: pull anonymously
  }
  return undefined;
}

export async function pullImage(
  engine: Engine,
  ref: string,
  options: PullOptions,
): Promise<PullOutcome> {
  let state = initialPullState(ref);
  const stallMs = options.stallMs ?? 120_000;
  // One controller for the request: Ctrl-C aborts it, and so does a stream gone silent.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const restartStallTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(new DOMException('stalled', 'TimeoutError'));
    }, stallMs);
    timer.unref?.();
  };
  const fail = (message: string, statusCode?: number): PullOutcome => ({
    ref,
    ok: false,
    state: state.error === undefined ? { ...state, error: message } : state,
    failure: explainPullFailure(ref, message, {
      ...(statusCode !== undefined ? { statusCode } : {}),
      arch: engine.server.arch,
    }),
  });
  if (options.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    restartStallTimer();
    const auth = storedAuth(options.env, registryOf(ref));
    let stream: NodeJS.ReadableStream;
    try {
      // @types/dockerode declares pull's promise as an Image; it is the progress stream.
      stream = (await engine.docker.pull(
        ref,
        { abortSignal: controller.signal } as object,
        undefined as never,
        auth as never,
      )) as unknown as NodeJS.ReadableStream;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const status = statusOf(error);
      // No HTTP status: the daemon itself is unreachable, which is not the registry's fault.
      if (status === undefined && !stalled)
        throw classifyEngineError(error, engine.endpoint) ?? error;
      const message = stalled
        ? `no answer from the daemon for ${Math.round(stallMs / 1000)} s`
        : messageOf(error);
      return fail(message, status);
    }
    await new Promise<void>((resolve, reject) => {
      const splitter = createEventSplitter((event) => {
        const before = state;
        state = applyPullEvent(state, event);
        options.onChange?.(before, state);
      });
      stream.setEncoding?.('utf8');
      stream.on('data', (chunk: string | Buffer) => {
        restartStallTimer();
        splitter.push(String(chunk));
      });
      stream.on('end', () => {
        splitter.end();
        resolve();
      });
      stream.on('error', (error: Error) => (controller.signal.aborted ? resolve() : reject(error)));
      stream.on('close', () => resolve());
    });
    if (options.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    if (stalled)
      return fail(`the download stalled: nothing came for ${Math.round(stallMs / 1000)} s`);
    if (state.error !== undefined) return fail(state.error);
    return { ref, ok: true, state };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
