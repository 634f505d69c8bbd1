import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ID_PATTERN } from '../checks/schema.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab new ID [--dir DIR]

Writes a new lesson, twice: DIR/en/ID.md and DIR/zh-CN/ID.md (DIR is ./lessons unless given).
Each is a skeleton in its language that lints clean and passes verify: front matter, one step
with a command, a check with its description, and a hint. Edit both, then:

  docker-lab lint DIR/en/ID.md DIR/zh-CN/ID.md
  docker-lab verify --watch DIR/en/ID.md

An existing file is never overwritten.`;

/**
 * The skeleton of a lesson in its language (the catalogue's \`newLesson\`): the smallest lesson
 * that shows every part an author fills in, and that verify proves as it is. Its container is
 * named after the lesson, so two new lessons never share a name.
 */
function skeleton(id: string, lang: Lang): string {
  return messages(lang).newLesson.skeleton(id, `dl-${id}-hello`);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** The real path of the deepest existing folder on the way to `path`, and what is left to make. */
async function realParent(path: string): Promise<string> {
  let at = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch {
      const up = resolve(at, '..');
      if (up === at) return path;
      rest.push(relative(up, at));
      at = up;
    }
  }
}

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    HELP,
  );
  if (parsed.values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [id, ...extra] = parsed.positionals;
  if (id === undefined) throw new UsageError(`new takes the id of the lesson to write\n\n${HELP}`);
  if (extra.length > 0)
    throw new UsageError(`new writes one lesson at a time, not ${parsed.positionals.length}`);
  if (!ID_PATTERN.test(id))
    throw new UsageError(
      `"${id}" is not a lesson id: ids are lowercase letters, digits and dashes, like "my-first-image" (the id is also the file name)`,
    );
  const dir = resolve(io.cwd, parsed.values.dir ?? 'lessons');
  const shownDir = relative(io.cwd, dir) || '.';
  // The course folder itself may be a link; a language folder or a file that leads out of it
  // (a link to elsewhere) is refused, so the lesson lands where the author reads it.
  const root = await realParent(dir);
  const files = LANGUAGES.map((lang) => ({
    lang,
    path: join(dir, lang, `${id}.md`),
    shown: join(shownDir, lang, `${id}.md`),
  }));
  for (const file of files) {
    if (await exists(file.path))
      throw new UsageError(
        `${file.shown} already exists: new never overwrites a lesson; pick another id, or edit that file`,
      );
    const real = await realParent(file.path);
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep))
      throw new UsageError(
        `${file.shown} would be written outside ${shownDir} (at ${real}): a folder on the way is a link out of it`,
      );
  }
  for (const file of files) {
    await mkdir(join(dir, file.lang), { recursive: true });
    // wx: a file that appeared meanwhile is not overwritten either.
    await writeFile(file.path, skeleton(id, file.lang), { flag: 'wx' });
    io.stdout.write(`wrote ${file.shown}\n`);
  }
  const [en, zh] = files.map((f) => f.shown);
  io.stdout.write(
    [
      '',
      'Next:',
      `  docker-lab lint ${en} ${zh}     check both (their twin structure too)`,
      `  docker-lab verify --watch ${en}   re-verify on every save`,
      '',
    ].join('\n'),
  );
  return 0;
};
