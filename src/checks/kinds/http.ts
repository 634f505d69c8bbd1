/**
 * `http`: one request, compared on status, body and headers. Failing to connect is an
 * observation ("connection refused"), not an error: it is what a check sees while a server is
 * still starting. Redirects are not followed, like curl without -L: a check sees what the
 * learner's curl shows.
 */
import { codeOf } from '../../docker/engine-error.js';
import type { Matcher } from '../matcher-schema.js';
import { describeMatcher, matches } from '../matchers.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Mismatch, Observation } from '../types.js';
import { notForwarded } from './bridged.js';
import { CHECK_CALL_TIMEOUT_MS, callSignal, compareFields } from './support.js';

type HttpSpec = CheckSpec<'http'>;

function subject(spec: HttpSpec, lang: Lang): string {
  return messages(lang).subject.http(spec.method ?? 'GET', spec.url);
}

/**
 * `${DAEMON_HOST}` replaced by the daemon's host (bracketed when it is an IPv6 address). With
 * `bridged` (a daemon reached through run/daemon-bridge.ts), a URL naming this machine's
 * loopback (127.0.0.1, localhost) means where the bridge forwards the lesson's ports: under
 * `verify --sandbox --jobs` that is a loopback address of the sandbox's own (127.0.0.2, ...).
 */
export function expandUrl(url: string, daemonHost: string, bridged = false): string {
  const host =
    daemonHost.includes(':') && !daemonHost.startsWith('[') ? `[${daemonHost}]` : daemonHost;
  const expanded = url.replaceAll('${DAEMON_HOST}', host);
  if (!bridged || !/^127\./.test(daemonHost)) return expanded;
  return expanded.replace(/^((?:[a-z]+:\/\/)?)(?:127\.0\.0\.1|localhost)(?=[:/]|$)/i, `$1${host}`);
}

/** Why a request got no response, in words for people; undefined when it is not a network failure. */
export function connectionFailure(
  error: unknown,
  lang: Lang,
  url: URL,
  timedOut: boolean,
): string | undefined {
  if (timedOut) return messages(lang).word.noResponse(CHECK_CALL_TIMEOUT_MS / 1000);
  if (!(error instanceof Error)) return undefined;
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return messages(lang).word.connectionRefused();
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return messages(lang).word.connectionClosed();
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return messages(lang).word.hostUnknown(url.hostname);
    default:
      // fetch() wraps every network failure in a TypeError("fetch failed"), the why in its cause.
      if (error.name !== 'TypeError') return undefined;
      return error.cause instanceof Error ? error.cause.message : error.message;
  }
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * One request, headers and body within one call's budget; network failures come back as text,
 * a `ctx.signal` abort is thrown.
 */
export async function request(
  url: string,
  method: string,
  ctx: CheckContext,
): Promise<HttpResponse | { failure: string }> {
  const parsed = new URL(url);
  const signal = callSignal(ctx);
  try {
    const response = await fetch(parsed, { method, redirect: 'manual', signal });
    const body = method === 'HEAD' ? '' : await response.text();
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // ctx.signal has not fired: if this one has, the request's own deadline passed.
    const failure = connectionFailure(error, ctx.lang, parsed, signal.aborted);
    if (failure === undefined) throw error;
    return { failure };
  }
}

function headerMismatches(
  expected: Record<string, Matcher> | undefined,
  headers: Headers,
  lang: Lang,
): Mismatch[] {
  return Object.entries(expected ?? {}).flatMap(([name, matcher]) => {
    const actual = headers.get(name);
    return matches(matcher, actual)
      ? []
      : [{ field: `headers.${name}`, expected: describeMatcher(matcher, lang), actual }];
  });
}

async function evaluate(spec: HttpSpec, ctx: CheckContext): Promise<Observation> {
  const method = spec.method ?? 'GET';
  const url = expandUrl(spec.url, ctx.daemonHost, Boolean(ctx.remote));
  const base = { subject: messages(ctx.lang).subject.http(method, url) };
  const response = await request(url, method, ctx);
  if ('failure' in response) {
    return {
      ...base,
      pass: false,
      mismatches: [
        {
          field: 'connection',
          expected: messages(ctx.lang).word.aResponse(),
          actual: response.failure,
        },
      ],
      fix: (() => {
        const target = new URL(url);
        const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
        return notForwarded(ctx, target.hostname, port)
          ? messages(ctx.lang).fix.notForwarded(port, ctx.remote!.url)
          : messages(ctx.lang).fix.httpRefused();
      })(),
    };
  }
  const mismatches = [
    ...compareFields(
      spec,
      { status: response.status, body: response.body },
      ['status', 'body'],
      ctx.lang,
    ),
    ...headerMismatches(spec.headers, response.headers, ctx.lang),
  ];
  return { ...base, pass: mismatches.length === 0, mismatches };
}

export const httpKind: CheckKindStrategy<'http'> = { kind: 'http', subject, evaluate };
