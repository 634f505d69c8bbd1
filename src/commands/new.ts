import { lstat, mkdir, realpath, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ID_PATTERN } from '../checks/schema.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
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
 * The skeleton of a lesson in each language: the smallest lesson that shows every part an
 * author fills in, and that verify proves as it is (its check fails before the step and holds
 * after). Its container is named after the lesson, so two new lessons never share a name.
 */
function skeleton(id: string, lang: Lang): string {
  const name = `dl-${id}-hello`;
  if (lang === 'zh-CN') {
    return `---
id: ${id}
title: 新课程：请改成课程标题
lang: zh-CN
summary: 用一句话说明学完本课能做到什么。
duration: 10m
images: [busybox]
---
# 新课程：请改成课程标题

用一段话说明本课教什么、为什么值得学。

## 运行一个容器 {#run}

说明这一步做什么。下面的命令会被运行，随后由检查确认结果。

\`\`\`sh id=run
docker run --name ${name} busybox echo hello
\`\`\`

\`\`\`yaml check
- id: said-hello
  description: 容器打印了 hello
  output: { command: run, stdout: { contains: "hello" }, exitCode: 0 }
- id: hello-exited
  description: 容器 ${name} 以退出码 0 结束
  container: { name: ${name}, status: exited, exitCode: 0 }
  fix: 运行 \`docker rm ${name}\` 删除旧容器，然后再运行一次这一步的命令。
\`\`\`

> 提示：\`docker run --name 名字 镜像 命令\` 用镜像创建一个容器，并在其中运行命令。
`;
  }
  return `---
id: ${id}
title: "New lesson: change this title"
lang: en
summary: One sentence on what the learner can do after this lesson.
duration: 10m
images: [busybox]
---
# New lesson: change this title

One paragraph on what this lesson teaches and why it is worth learning.

## Run a container {#run}

Say what this step does. The command below is run, then the checks prove its result.

\`\`\`sh id=run
docker run --name ${name} busybox echo hello
\`\`\`

\`\`\`yaml check
- id: said-hello
  description: the container printed hello
  output: { command: run, stdout: { contains: "hello" }, exitCode: 0 }
- id: hello-exited
  description: the container ${name} exited with code 0
  container: { name: ${name}, status: exited, exitCode: 0 }
  fix: Remove the old container with \`docker rm ${name}\`, then run the step's command again.
\`\`\`

> Hint: \`docker run --name NAME IMAGE COMMAND\` makes a container from the image and runs the
> command in it.
`;
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
