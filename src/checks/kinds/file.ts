/**
 * `file`: a file on the learner's machine (bind mounts, files copied out of containers,
 * compose files). Relative paths start at the lesson's working directory; `~/` is the home.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { insideWorkdir, OutsideWorkdirError } from '../../fs/inside.js';
import type { Lang } from '../../i18n/lang.js';
import { messages } from '../../i18n/messages.js';
import type { CheckSpec } from '../schema.js';
import type { CheckContext, CheckKindStrategy, Observation } from '../types.js';
import { compareFields, existenceObservation } from './support.js';

type FileSpec = CheckSpec<'file'>;

function subject(spec: FileSpec, lang: Lang): string {
  return messages(lang).subject.file(spec.path);
}

export function resolvePath(path: string, workdir: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(workdir, path);
}

/** Permission bits as `ls -l` people write them for chmod: "0644", "4755". */
export function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

async function evaluate(spec: FileSpec, ctx: CheckContext): Promise<Observation> {
  const base = { subject: subject(spec, ctx.lang) };
  // A relative path is the lesson's working directory: a link in it must not lead a check out.
  // An absolute or ~ path is a host file the author named as such (lint and trust show it).
  let path = resolvePath(spec.path, ctx.workdir);
  if (!isAbsolute(spec.path) && !spec.path.startsWith('~')) {
    try {
      path = await insideWorkdir(ctx.workdir, spec.path);
    } catch (error) {
      if (!(error instanceof OutsideWorkdirError)) throw error;
      return {
        ...base,
        pass: false,
        mismatches: [],
        terminal: error.message,
        fix: messages(ctx.lang).fix.fileOutside(spec.path, error.link),
      };
    }
  }
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  const settled = existenceObservation(spec, info !== undefined, base.subject, ctx.lang, () =>
    messages(ctx.lang).fix.fileMissing(spec.path),
  );
  if (settled || !info) return settled!;

  const actual: Record<string, unknown> = { mode: modeString(info.mode) };
  if (spec.content !== undefined) {
    // A directory has no content to compare; null says so in the report.
    actual.content = info.isFile() ? await readFile(path, 'utf8') : null;
  }
  const mismatches = compareFields(spec, actual, ['content', 'mode'], ctx.lang);
  const observation: Observation = { ...base, pass: mismatches.length === 0, mismatches };
  if (mismatches.length === 1 && mismatches[0]?.field === 'mode' && typeof spec.mode === 'string') {
    observation.fix = messages(ctx.lang).fix.fileMode(spec.path, spec.mode);
  }
  return observation;
}

export const fileKind: CheckKindStrategy<'file'> = { kind: 'file', subject, evaluate };
