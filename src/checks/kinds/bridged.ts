/**
 * Hosts and ports of a daemon reached through the bridge (run/daemon-bridge.ts: a remote
 * daemon, a sandbox), for the http and port kinds: here, so that neither imports the other.
 */
import type { CheckContext } from '../types.js';

/** A host as a check names it, on the bridge's loopback address when the daemon is bridged. */
export function bridgedHost(host: string, daemonHost: string, bridged: boolean): string {
  if (!bridged || !/^127\./.test(daemonHost)) return host;
  return host === '127.0.0.1' || host === 'localhost' ? daemonHost : host;
}

/** A port on this machine's loopback that a remote daemon's bridge has not forwarded. */
export function notForwarded(ctx: CheckContext, host: string, port: number): boolean {
  if (!ctx.remote) return false;
  const loopback = host === ctx.daemonHost || host === 'localhost' || /^127\./.test(host);
  return loopback && !ctx.remote.forwarded().includes(port);
}
