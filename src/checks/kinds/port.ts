/**
 * `port`: whether a TCP port accepts connections on the daemon's host (where published ports
 * are). docker-proxy accepts on a published port as soon as the container starts, then closes
 * the connection if nothing listens inside; so a connection the peer closes at once, without a
 * byte, counts as closed. Servers that wait for the client (HTTP) or greet first (MySQL) pass.
 */
import { connect } from 'node:net';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { compareFields } from './support.js';
import { bridgedHost, notForwarded } from './bridged.js';

type PortSpec = CheckSpec<'port'>;

/** host:port as people write it, IPv6 hosts in brackets. */
export function address(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The subject names the daemon's host only when the spec does: it is filled in at evaluation. */
function subject(spec: PortSpec, lang: Lang): string {
  return messages(lang).subject.port(spec.host ? address(spec.host, spec.port) : String(spec.port));
}

/** Budget of the TCP handshake: on loopback or a LAN an open port answers in milliseconds. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** How long a fresh connection must survive to count as open (see above). */
export const SETTLE_MS = 200;

export type ProbeResult = 'open' | 'refused' | 'closed-at-once' | 'timeout' | 'unreachable';

/** Connects once; never throws except when `signal` aborts. */
export function probePort(
  host: string,
  port: number,
  signal: AbortSignal,
  connectTimeoutMs = CONNECT_TIMEOUT_MS,
  settleMs = SETTLE_MS,
): Promise<ProbeResult> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let settle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (result: ProbeResult | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      clearTimeout(settle);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = (): void =>
      finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    const connectTimer = setTimeout(() => finish('timeout'), connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      settle = setTimeout(() => finish('open'), settleMs);
    });
    // Data means a live server behind the port, whatever happens next.
    socket.once('data', () => finish('open'));
    socket.once('end', () => finish('closed-at-once'));
    socket.once('close', () => finish('closed-at-once'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish('refused');
      else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish('closed-at-once');
      else finish('unreachable');
    });
  });
}

async function evaluate(spec: PortSpec, ctx: CheckContext): Promise<Observation> {
  const host = bridgedHost(spec.host ?? ctx.daemonHost, ctx.daemonHost, Boolean(ctx.remote));
  const result = await probePort(host, spec.port, ctx.signal);
  const mismatches = compareFields(spec, { open: result === 'open' }, ['open'], ctx.lang);
  const observation: Observation = {
    subject: messages(ctx.lang).subject.port(address(host, spec.port)),
    pass: mismatches.length === 0,
    mismatches,
  };
  if (!observation.pass) {
    observation.fix =
      result !== 'open' && notForwarded(ctx, host, spec.port)
        ? messages(ctx.lang).fix.notForwarded(spec.port, ctx.remote!.url)
        : messages(ctx.lang).fix[result === 'open' ? 'portOpen' : 'portClosed'](spec.port);
  }
  return observation;
}

export const portKind: CheckKindStrategy<'port'> = { kind: 'port', subject, evaluate };
