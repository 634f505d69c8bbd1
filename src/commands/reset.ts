import { createInterface } from 'node:readline/promises';
import { learnerLanguage } from '../lesson/language.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { didYouMean } from '../lesson/suggest.js';
import { courseDir } from '../lesson/course.js';
import { courseIn, loadCourse } from '../progress/course.js';
import { loadProgress, updateProgress } from '../progress/store.js';
import { resetAll, resetLesson } from '../progress/update.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandIO, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab reset <lesson-id> [--lang en|zh-CN] [--yes]
       docker-lab reset --all [--yes]

Forgets your progress in one lesson, or in the whole course with --all. A lesson's progress is
one in every language (switching language goes on where you were), so it is forgotten in every
language. Asks first; --yes answers for you, and is required when there is no terminal to ask
in.

This only forgets progress: it never touches Docker containers, images, volumes or networks.

Options:
  --all        forget your progress in every lesson
  --lang L     name the lesson by its title in language L (en or zh-CN)
  -y, --yes    do not ask`;

/** Asks a yes/no question on the terminal; anything but y/yes (or Ctrl-C) is no. */
async function confirm(io: CommandIO, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin!, output: io.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `, io.signal ? { signal: io.signal } : {});
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    io.stdout.write('\n');
    return false;
  } finally {
    rl.close();
  }
}

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    {
      all: { type: 'boolean' },
      lang: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`reset takes one lesson id at a time\n\n${HELP}`);
  const id = positionals[0];
  if (values.all && id !== undefined)
    throw new UsageError(`name a lesson or use --all, not both\n\n${HELP}`);
  if (!values.all && id === undefined)
    throw new UsageError(`name the lesson to reset, or use --all\n\n${HELP}`);
  if (values.all && values.lang !== undefined)
    throw new UsageError('--all forgets every language; leave out --lang');
  const lang: Lang = learnerLanguage({ flag: values.lang, env: io.env });

  const course = await loadCourse(courseDir(io.env));
  const loaded = await loadProgress({ env: io.env });
  if (loaded.warning) io.stderr.write(`docker-lab: ${loaded.warning}\n`);
  const { progress } = loaded;

  let keys: string[];
  let subject: string;
  if (values.all) {
    keys = Object.keys(progress.lessons);
    subject = 'every lesson';
  } else {
    // Lessons since removed from the course can still be reset by the id their progress has.
    const known = new Set([...course.map((l) => l.id), ...Object.keys(progress.lessons)]);
    if (!known.has(id!)) {
      throw new UsageError(
        `no lesson "${id}" in the course${didYouMean(id!, [...known])}; "docker-lab list" shows the lessons`,
      );
    }
    keys = Object.keys(progress.lessons).filter((key) => key === id);
    const lesson = courseIn(course, lang).find((l) => l.id === id);
    subject = lesson?.title ?? id!;
  }

  if (!values.yes && !io.stdin?.isTTY) {
    const example = values.all ? 'docker-lab reset --all --yes' : `docker-lab reset ${id} --yes`;
    throw new UsageError(
      `reset asks before it forgets progress and there is no terminal to ask in: add --yes (${example})`,
    );
  }
  if (keys.length === 0) {
    io.stdout.write(
      values.all
        ? 'No progress recorded: nothing to forget.\n'
        : `No progress recorded in ${subject}: nothing to forget.\n`,
    );
    return 0;
  }
  if (!values.yes && !(await confirm(io, `Forget your progress in ${subject}?`))) {
    io.stdout.write('Your progress is kept.\n');
    return 1;
  }
  // On the file as it is now (a save merges, so it could not forget anything).
  await updateProgress({ env: io.env }, (current) =>
    values.all ? resetAll(current) : keys.reduce((p, key) => resetLesson(p, key), current),
  );
  // The languages the lesson is in: its progress was theirs (none for a lesson since removed).
  const langs = LANGUAGES.filter((l) => course.some((c) => c.id === id && c.lang === l));
  const which = values.all
    ? ` (${keys.length} lesson${keys.length === 1 ? '' : 's'})`
    : langs.length > 0
      ? ` (${langs.join(', ')})`
      : '';
  io.stdout.write(`Forgot your progress in ${subject}${which}.\n`);
  return 0;
};
