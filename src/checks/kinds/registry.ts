/**
 * `registry`: a Docker registry's catalog (GET /v2/_catalog) and the tags of one repository
 * (GET /v2/<name>/tags/list), over the registry HTTP API v2. The url is host:port, plain http
 * unless it says https:// (a local registry, as the course runs one).
 */
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Mismatch, Observation } from '../types.js';
import { expandUrl, request } from './http.js';
import { compareFields, uniqueSorted } from './support.js';

type RegistrySpec = CheckSpec<'registry'>;

function subject(spec: RegistrySpec, lang: Lang): string {
  return messages(lang).subject.registry(spec.url, spec.repository);
}

/** A catalog longer than this many pages is not a learner's local registry. */
const MAX_CATALOG_PAGES = 20;

export function registryBase(url: string, daemonHost: string, bridged = false): string {
  const expanded = expandUrl(url, daemonHost, bridged).replace(/\/+$/, '');
  return /^https?:\/\//.test(expanded) ? expanded : `http://${expanded}`;
}

/** The next page of a paginated answer, from its `Link: </v2/_catalog?last=x&n=100>; rel="next"`. */
export function nextLink(link: string | null, base: string): string | undefined {
  const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  return match?.[1] ? new URL(match[1], base).toString() : undefined;
}

type Fetched = { value: string[] } | { mismatch: Mismatch };

/** No usable answer: the field expected a registry's answer and got this instead. */
function failed(ctx: CheckContext, actual: string): { mismatch: Mismatch } {
  return {
    mismatch: { field: 'connection', expected: messages(ctx.lang).word.aRegistry(), actual },
  };
}

function parse<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

async function catalog(base: string, ctx: CheckContext): Promise<Fetched> {
  const names: string[] = [];
  let url: string | undefined = `${base}/v2/_catalog`;
  for (let page = 0; url && page < MAX_CATALOG_PAGES; page++) {
    const response = await request(url, 'GET', ctx);
    if ('failure' in response) return failed(ctx, response.failure);
    const body = parse<{ repositories?: string[] | null }>(response.body);
    if (response.status !== 200)
      return failed(ctx, messages(ctx.lang).word.httpStatus(response.status));
    if (!body) return failed(ctx, messages(ctx.lang).word.notRegistry(response.status));
    names.push(...(body.repositories ?? []));
    url = nextLink(response.headers.get('link'), base);
  }
  return { value: uniqueSorted(names) };
}

async function tags(base: string, repository: string, ctx: CheckContext): Promise<Fetched> {
  const path = repository.split('/').map(encodeURIComponent).join('/');
  const response = await request(`${base}/v2/${path}/tags/list`, 'GET', ctx);
  if ('failure' in response) return failed(ctx, response.failure);
  // 404 NAME_UNKNOWN: nothing was ever pushed there; to a check that is "no tags".
  if (response.status === 404) return { value: [] };
  const body = parse<{ tags?: string[] | null }>(response.body);
  if (response.status !== 200)
    return failed(ctx, messages(ctx.lang).word.httpStatus(response.status));
  if (!body) return failed(ctx, messages(ctx.lang).word.notRegistry(response.status));
  return { value: uniqueSorted(body.tags ?? []) };
}

async function evaluate(spec: RegistrySpec, ctx: CheckContext): Promise<Observation> {
  const base = registryBase(spec.url, ctx.daemonHost, Boolean(ctx.remote));
  const about = { subject: subject(spec, ctx.lang) };
  const actual: Record<string, unknown> = {};
  const problems: Mismatch[] = [];
  if (spec.repositories !== undefined) {
    const result = await catalog(base, ctx);
    if ('mismatch' in result) problems.push(result.mismatch);
    else actual.repositories = result.value;
  }
  if (spec.tags !== undefined && problems.length === 0) {
    if (spec.repository === undefined) {
      // Without a repository there are no tags to list.
      actual.tags = [];
    } else {
      const result = await tags(base, spec.repository, ctx);
      if ('mismatch' in result) problems.push(result.mismatch);
      else actual.tags = result.value;
    }
  }
  if (problems.length > 0) {
    return {
      ...about,
      pass: false,
      mismatches: problems,
      fix: messages(ctx.lang).fix.httpRefused(),
    };
  }
  const mismatches = compareFields(spec, actual, ['repositories', 'tags'], ctx.lang);
  const observation: Observation = { ...about, pass: mismatches.length === 0, mismatches };
  if (!observation.pass) observation.fix = messages(ctx.lang).fix.registryPush(spec.url);
  return observation;
}

export const registryKind: CheckKindStrategy<'registry'> = { kind: 'registry', subject, evaluate };
