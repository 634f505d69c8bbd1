/**
 * Small probes of this machine for `docker-lab doctor`: free ports, free disk, registry
 * reachability, a command's version. Each has its own deadline and never throws: a probe that
 * cannot tell says so in its result.
 */
import { statfs } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { execa } from 'execa';
import { deadline, timedOut } from '../docker/deadline.js';

export interface PortProbe {
  port: number;
  free: boolean;
  /** Why the port is not free (EADDRINUSE, EACCES...). */
  code?: string;
}

/** Whether each port can be listened on at `host`: if we can, a published port can too. */
export async function probePorts(
  ports: readonly number[],
  host = '127.0.0.1',
): Promise<PortProbe[]> {
  return Promise.all(ports.map((port) => probePort(port, host)));
}

function probePort(port: number, host: string): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ port, free: false, code: error.code ?? 'error' }),
    );
    server.listen({ port, host, exclusive: true }, () =>
      server.close(() => resolve({ port, free: true })),
    );
  });
}

export type DiskProbe =
  { ok: true; freeBytes: number; totalBytes: number } | { ok: false; reason: string };

export async function probeDisk(path: string): Promise<DiskProbe> {
  try {
    const stats = await statfs(path);
    return {
      ok: true,
      freeBytes: stats.bavail * stats.bsize,
      totalBytes: stats.blocks * stats.bsize,
    };
  } catch (error) {
    return {
      ok: false,
      reason: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    };
  }
}

export type RegistryProbe =
  | { url: string; reachable: true; status: number }
  | { url: string; reachable: false; reason: string };

/**
 * GET <url>/v2/: any HTTP answer (200, 401) means the registry is there. A bare TCP connect
 * would be fooled by proxies and captive portals that accept everything.
 */
export function probeRegistry(
  url: string,
  timeoutMs = 3_000,
  parent?: AbortSignal,
): Promise<RegistryProbe> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL('/v2/', url);
    } catch {
      resolve({ url, reachable: false, reason: 'not a valid URL' });
      return;
    }
    const signal = deadline(parent, timeoutMs);
    const request = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = request(
      target,
      { method: 'GET', signal, headers: { 'user-agent': 'docker-lab-doctor' } },
      (res) => {
        res.resume();
        resolve({ url, reachable: true, status: res.statusCode ?? 0 });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({
        url,
        reachable: false,
        reason: timedOut(signal)
          ? `no answer within ${timeoutMs / 1000} s`
          : describeNetError(error),
      });
    });
    req.end();
  });
}

function describeNetError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its name does not resolve';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'network unreachable';
    default:
      return error.code ?? error.message;
  }
}

export type CommandProbe =
  | { found: true; ok: true; stdout: string }
  | { found: true; ok: false; reason: string }
  | { found: false; reason: string };

/** Runs a short command with exactly the given environment and a timeout; never throws. */
export async function probeCommand(
  file: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 5_000,
  signal?: AbortSignal,
): Promise<CommandProbe> {
  const result = await execa(file, args, {
    env,
    extendEnv: false,
    timeout: timeoutMs,
    reject: false,
    stdin: 'ignore',
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (!result.failed) return { found: true, ok: true, stdout: result.stdout.trim() };
  const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return { found: false, reason: `${file} is not installed (not found in PATH)` };
  if (result.timedOut)
    return { found: true, ok: false, reason: `no answer within ${timeoutMs / 1000} s` };
  const firstLine = (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
  return {
    found: true,
    ok: false,
    reason: firstLine || `exit code ${result.exitCode ?? 'unknown'}`,
  };
}

export function formatBytes(bytes: number): string {
  const gb = bytes / 1e9;
  if (gb >= 1) return `${gb.toFixed(1)} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}
