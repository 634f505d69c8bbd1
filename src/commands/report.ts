/**
 * `docker-lab report`: a learner who is stuck writes one file for their instructor and is told
 * where it is. The file (report/bundle.ts) says which docker-lab, Node.js and system, the
 * learner's language, the lesson and step they are on (progress), the last commands with their
 * output and the checks' reports (the run journal, run/journal.ts), and the doctor's diagnosis.
 *
 * Nothing of the environment is included as such, and the whole text is redacted (redact.ts):
 * the values of secret-named variables and the Docker CLI's registry credentials never appear,
 * and the home folder is `~`. The file is new: an existing one is never overwritten.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { arch, homedir, release, type as osType } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { diagnose } from '../doctor/diagnose.js';
import { renderReport } from '../doctor/render.js';
import { learnerLanguage } from '../lesson/language.js';
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { didYouMean } from '../lesson/suggest.js';
import { DockerLabError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { progressFile } from '../progress/paths.js';
import { ProgressSchema, type Progress } from '../progress/schema.js';
import { dockerConfigSecrets, makeRedactor } from '../redact.js';
import { renderBundle, type BundleFacts, type BundleLesson } from '../report/bundle.js';
import { journalFile, listJournals, readJournal, type Journal } from '../run/journal.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandIO, type CommandMain } from './types.js';

declare const __VERSION__: string;

const HELP = `Usage: docker-lab report [--lesson ID] [--output FILE] [--lang en|zh-CN]

Stuck in a lesson? This writes one file for your instructor and says where it is: docker-lab's,
Node.js's and the system's versions, your language, the lesson and step you are on, the last
commands you ran in it with their output, what the checks said, and docker-lab doctor's
diagnosis. It is Markdown: read it before you send it if you like.

Secrets are left out: no environment variable is included, the values of those named like
*_TOKEN, *_PASSWORD, *_SECRET, DOCKER_AUTH_CONFIG and your registry logins never appear, and
your home folder is written ~.

Options:
  --lesson ID    the lesson (first-run, or zh-CN/first-run); default: the one you ran last
  --output FILE  where to write it; default: docker-lab-report-<lesson>-<time>.md here.
                 An existing file is never overwritten.
  --lang L       en or zh-CN: the language of the sentence saying where the file is
  -h, --help     show this help`;

function version(): string {
  if (typeof __VERSION__ === 'string') return __VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0-dev';
  } catch {
    return '0.0.0-dev';
  }
}

/** `Linux 6.1.0-18-amd64 x64 (Debian GNU/Linux 12 (bookworm))`. */
function system(): string {
  let name = '';
  try {
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    name = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? '';
  } catch {
    // Not Linux, or no os-release: the kernel says enough.
  }
  return `${osType()} ${release()} ${arch()}${name ? ` (${name})` : ''}`;
}

/** `20250102T030405Z`: sortable, and legal in file names on every system. */
function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Progress as it is on disk, read only: a report never moves or rewrites the learner's files. */
async function readProgress(
  env: Record<string, string | undefined>,
): Promise<{ progress?: Progress; problem?: string }> {
  const file = progressFile(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? {} : { problem: `Progress ${file} could not be read (${code}).` };
  }
  try {
    const parsed = ProgressSchema.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')));
    if (parsed.success) return { progress: parsed.data };
  } catch {
    // Not JSON: said below.
  }
  return { problem: `Progress ${file} is not a progress file this docker-lab can read.` };
}

/** The registry credentials of the Docker CLI's config: never in the bundle. */
async function dockerCredentials(
  env: Record<string, string | undefined>,
  home: string,
): Promise<string[]> {
  const folder = env.DOCKER_CONFIG || join(home, '.docker');
  const text = await readFile(join(folder, 'config.json'), 'utf8').catch(() => '');
  return dockerConfigSecrets(text);
}

/** The home folder under each name it has (a link resolved), for `~`. */
function homes(env: Record<string, string | undefined>): string[] {
  const home = env.HOME || homedir();
  const found = [home];
  try {
    found.push(realpathSync(home));
  } catch {
    // A home that does not exist has only the one name.
  }
  return found;
}

interface Chosen {
  key: string;
  journal?: Journal;
  journalProblem?: string;
}

const keyId = (key: string) => key.slice(key.indexOf('/') + 1);

/**
 * The lesson to report on: the one asked for (`first-run` in the learner's language first, or
 * `zh-CN/first-run`), else the one whose journal changed last, else the one started last.
 */
async function chooseLesson(
  asked: string | undefined,
  lang: Lang,
  env: Record<string, string | undefined>,
  progress: Progress | undefined,
): Promise<Chosen | undefined> {
  const journals = await listJournals(env);
  const journalKeys = journals.map((j) => `${j.lang}/${j.id}`);
  const progressKeys = Object.keys(progress?.lessons ?? {});
  let key: string | undefined;
  if (asked !== undefined) {
    const known = [...new Set([...journalKeys, ...progressKeys])];
    if (asked.includes('/')) key = known.find((k) => k === asked);
    else {
      const matching = known.filter((k) => keyId(k) === asked);
      key = matching.find((k) => k.startsWith(`${lang}/`)) ?? matching[0];
    }
    if (!key) {
      const ids = [...new Set(known.map(keyId))];
      throw new UsageError(
        `there is nothing to report about lesson "${asked}": it has no journal and no progress${didYouMean(asked.slice(asked.indexOf('/') + 1), ids)}${ids.length ? `; lessons you ran: ${ids.join(', ')}` : ''}`,
      );
    }
  } else {
    key = journalKeys[0];
    if (!key && progress) {
      const latest = (entry: Progress['lessons'][string]) =>
        [entry.startedAt, ...Object.values(entry.completed)].sort().at(-1) ?? '';
      key = Object.entries(progress.lessons)
        .sort(([, a], [, b]) => latest(b).localeCompare(latest(a)))
        .at(0)?.[0];
    }
  }
  if (!key) return undefined;
  const [keyLang, id] = [key.slice(0, key.indexOf('/')), keyId(key)];
  const read = await readJournal(journalFile(env, { id, lang: keyLang }));
  return {
    key,
    ...(read.journal ? { journal: read.journal } : {}),
    ...(read.problem ? { journalProblem: read.problem } : {}),
  };
}

function lessonFacts(chosen: Chosen, progress: Progress | undefined): BundleLesson {
  const entry = progress?.lessons[chosen.key];
  const journal = chosen.journal;
  const stepId = entry?.currentStep ?? journal?.step?.id;
  const fromJournal = journal?.step?.id === stepId ? journal?.step : undefined;
  const index = entry && stepId ? entry.steps.indexOf(stepId) : -1;
  return {
    key: chosen.key,
    ...(journal ? { title: journal.lesson.title, file: journal.lesson.file } : {}),
    ...(stepId
      ? {
          step: {
            id: stepId,
            ...(fromJournal ? { title: fromJournal.title } : {}),
            ...(index >= 0
              ? { index, of: entry!.steps.length }
              : fromJournal
                ? { index: fromJournal.index, of: fromJournal.of }
                : {}),
          },
        }
      : {}),
    completed: entry ? entry.steps.filter((step) => entry.completed[step]) : [],
    ...(entry?.completedAt ? { completedAt: entry.completedAt } : {}),
    hints: entry?.hints ?? {},
  };
}

function refuseOverwrite(path: string): UsageError {
  return new UsageError(
    `${path} already exists, and docker-lab report never overwrites a file: name another with --output, or leave --output out`,
  );
}

/** Writes `text` to a new file: `path` itself, or for the default name the first free `-2`, `-3`. */
async function writeNew(path: string, text: string, numbered: boolean): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? path : path.replace(/(\.md)?$/, `-${n}$1`);
    try {
      // 0600: it holds what the learner typed; they decide whom to send it to.
      await writeFile(candidate, text, { flag: 'wx', mode: 0o600 });
      return candidate;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw new DockerLabError({
          what: `the report could not be written (${code ?? (error as Error).message})`,
          where: candidate,
          fix: ['name a file in a folder you can write with --output FILE'],
        });
      }
      if (!numbered) throw refuseOverwrite(path);
    }
  }
}

/** The path as the learner typed it or can: relative when it is under the current folder. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export const main: CommandMain = async (args, io: CommandIO) => {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      lesson: { type: 'string' },
      output: { type: 'string', short: 'o' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `report takes no arguments; name the lesson with --lesson ${positionals[0]}\n\n${HELP}`,
    );
  const lang = learnerLanguage({ flag: values.lang, env: io.env });
  const now = new Date();
  const asked = values.output === undefined ? undefined : resolve(io.cwd, values.output);
  // Refused before the doctor probes anything; writing checks again (wx) all the same.
  if (asked !== undefined && existsSync(asked)) throw refuseOverwrite(asked);
  const notes: string[] = [];

  const read = await readProgress(io.env);
  if (read.problem) notes.push(read.problem);
  const chosen = await chooseLesson(values.lesson, lang, io.env, read.progress);
  if (chosen?.journalProblem) {
    notes.push(
      `The run journal could not be used: ${chosen.journalProblem}; this report has no commands or checks from it.`,
    );
    io.stderr.write(
      `docker-lab: ${chosen.journalProblem}, so the report has no commands or checks of lesson ${chosen.key}.\n`,
    );
  }

  let doctor: string;
  let doctorOk: boolean | undefined;
  try {
    const report = await diagnose({ env: io.env, ...(io.signal ? { signal: io.signal } : {}) });
    doctor = renderReport(report, { color: false, verbose: true });
    doctorOk = report.ok;
  } catch (error) {
    doctor = `docker-lab doctor failed: ${(error as Error).message}`;
  }

  const facts: BundleFacts = {
    generatedAt: now.toISOString(),
    version: version(),
    node: process.version,
    system: system(),
    language: `${lang} (${
      values.lang !== undefined
        ? '--lang'
        : ['LC_ALL', 'LC_MESSAGES', 'LANG'].some((name) => io.env[name])
          ? 'from the locale'
          : 'the default'
    })`,
    ...(chosen
      ? {
          lesson: lessonFacts(chosen, read.progress),
          ...(chosen.journal ? { journal: chosen.journal } : {}),
        }
      : {}),
    doctor,
    ...(doctorOk !== undefined ? { doctorOk } : {}),
    notes,
  };
  const home = homes(io.env);
  const redact = makeRedactor({
    env: io.env,
    home,
    secrets: await dockerCredentials(io.env, home[0]!),
  });
  const text = redact(renderBundle(facts));

  const lessonPart = chosen ? keyId(chosen.key) : 'no-lesson';
  const target = asked ?? join(io.cwd, `docker-lab-report-${lessonPart}-${stamp(now)}.md`);
  const written = await writeNew(target, text, asked === undefined);
  io.stdout.write(`${messages(lang).report.written(shown(written, io.cwd))}\n`);
  return 0;
};
