import { lessonForThisMachine } from '../run/compose-flavor.js';
import { join, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { messages } from '../i18n/messages.js';
import { lessonFootprint } from '../lesson/footprint.js';
import { learnerLanguage } from '../lesson/language.js';
import type { Lesson } from '../lesson/schema.js';
import type { Engine } from '../docker/client.js';
import type { Lang } from '../i18n/lang.js';
import type { SandboxEngine } from '../images/sandbox-image.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { selectLessons } from '../lesson/select.js';
import { courseDir, courseInLanguage } from '../lesson/course.js';
import { stateDir } from '../progress/paths.js';
import { loadProgress } from '../progress/store.js';
import { isTrusted, trust } from '../progress/trust.js';
import { formatDiagnostic, PLAIN, styleFor, type Style } from '../report/diagnostics.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandIO, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab [lesson] [--lang en|zh-CN] [--sandbox [--engine 20.10|26.1]]

The interactive course in your terminal: choose a lesson, read each step, run its commands
(shown before they run) and see the result checked against your Docker daemon. Progress is
kept between sessions; what a lesson creates is removed when you leave it, if you agree.
Your own containers, images, volumes and networks are never touched.

  lesson          a course lesson id (first-run) or a lesson file of your own
  --lang L        en or zh-CN (default: from LANG / LC_ALL)
  --sandbox       run the lessons in a throwaway Docker daemon, in a container on yours,
                  removed when you leave; docker-lab env LESSON prints how to reach it
  --engine V      the sandbox's Docker Engine: 20.10 or 26.1 (default 26.1 if built)

Without a terminal, prints the course and how to use it instead.`;

/**
 * The trust screen's list: every command the lesson runs (exec checks' too) and every file it
 * writes, those that reach beyond the lesson first, marked `!` with the reason.
 */
export function trustListing(lesson: Lesson, style: Style = PLAIN): string[] {
  const t = messages(lesson.meta.lang).ui;
  const items = lessonFootprint(lesson);
  const lines: string[] = [];
  if (items.some((item) => item.dangers.length > 0)) lines.push(style.bold(t.trustFlagged));
  if (items.length === 0) lines.push(`  ${t.trustNothing}`);
  for (const item of items) {
    const mark = item.dangers.length > 0 ? style.red('!') : ' ';
    if (item.kind === 'file') {
      const mode = item.mode === undefined ? undefined : `0${item.mode.toString(8)}`;
      lines.push(`  ${mark} ${t.trustWrites(item.path, mode)}`);
      continue;
    }
    const [first, ...rest] = item.script.replace(/\n+$/, '').split('\n');
    const tags =
      item.kind === 'command'
        ? [item.confirm ? t.trustAsksFirst : '', item.manual ? t.trustYouType : '']
        : [];
    const tail = tags
      .filter(Boolean)
      .map((tag) => ` ${style.dim(tag)}`)
      .join('');
    const where = item.kind === 'exec' ? t.trustExec(item.container) : '';
    lines.push(`  ${mark} ${where}$ ${first}${rest.length === 0 ? tail : ''}`);
    rest.forEach((line, i) => lines.push(`      ${line}${i === rest.length - 1 ? tail : ''}`));
    const reasons = new Set(item.dangers.map((d) => t.trustDanger[d.rule](d.subject)));
    for (const reason of reasons) lines.push(`      ${style.red(reason)}`);
  }
  return lines;
}

/** Lessons from outside the course ask for trust once, listing what they would do. */
async function confirmTrust(io: CommandIO, lesson: Lesson, text: string): Promise<boolean> {
  if (await isTrusted(io.env, text)) return true;
  const t = messages(lesson.meta.lang).ui;
  io.stdout.write(`${t.trustTitle(lesson.file)}\n`);
  for (const line of trustListing(lesson, styleFor(io.stdout, io.env)))
    io.stdout.write(`${line}\n`);
  const rl = createInterface({ input: io.stdin ?? process.stdin, output: io.stdout });
  const answer = (await rl.question(`${t.trustAsk} `)).trim().toLowerCase();
  rl.close();
  if (answer !== 'y' && answer !== 'yes') return false;
  await trust(io.env, text);
  return true;
}

export const main: CommandMain = (args, io) => openCourse(args, io, { practice: false });

/**
 * The TUI on the course or the lessons named. With `practice`, the first lesson opens at once
 * in the practice shell, where the learner types (docker-lab practice LESSON).
 */
export async function openCourse(
  args: string[],
  io: CommandIO,
  options: { practice: boolean; help?: string },
): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    {
      lang: { type: 'string' },
      sandbox: { type: 'boolean' },
      engine: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  if (parsed.values.help) {
    io.stdout.write(`${options.help ?? HELP}\n`);
    return 0;
  }
  const lang = learnerLanguage({ flag: parsed.values.lang, env: io.env });
  const { isSandboxEngine, SANDBOX_ENGINES } = await import('../images/sandbox-image.js');
  const engineFlag = parsed.values.engine;
  if (engineFlag !== undefined && !isSandboxEngine(engineFlag))
    throw new UsageError(`--engine is ${SANDBOX_ENGINES.join(' or ')}, not "${engineFlag}"`);
  // TERM=dumb: a terminal that cannot place the cursor (an editor's shell, a screen reader's
  // line mode): lines, as without a terminal.
  const isTTY = Boolean(io.stdout.isTTY && io.stdin?.isTTY) && io.env.TERM !== 'dumb';
  if (options.practice && parsed.positionals.length !== 1)
    throw new UsageError('practice takes one lesson: docker-lab practice first-run');
  if (options.practice && !isTTY) throw new UsageError(messages(lang).ui.practice.needsTerminal);
  // The same course `docker-lab list` shows (DOCKER_LAB_COURSE_DIR points elsewhere).
  const course = courseDir(io.env);
  const all = await selectLessons(parsed.positionals, { cwd: io.cwd, courseDir: course });
  // The course `list` shows: the learner's language, and untranslated lessons as they are.
  const readable = courseInLanguage(
    all.flatMap((s) => (s.lesson ? [{ ...s, meta: s.lesson.meta }] : [])),
    lang,
  );
  const selected = [...all.filter((s) => !s.lesson), ...readable];
  const style = styleFor(io.stdout, io.env);
  const broken = selected.filter((s) => !s.lesson);
  for (const s of broken)
    for (const d of s.diagnostics) io.stderr.write(`${formatDiagnostic(d, style)}\n`);
  // What is shown is what runs: `docker-compose` on a machine with only Compose v1.
  const lessons = await Promise.all(
    selected.flatMap((s) => (s.lesson ? [lessonForThisMachine(s.lesson, io.env)] : [])),
  );
  if (lessons.length === 0)
    throw new UsageError('no lesson could be read: fix the problems above (docker-lab lint)');
  for (const s of selected) {
    const outside = !resolve(s.source.path).startsWith(resolve(course) + sep);
    if (s.lesson && outside && !(await confirmTrust(io, s.lesson, s.source.text))) return 1;
  }

  const loaded = await loadProgress({ env: io.env });
  const color = style.red('x') !== 'x';
  const baseEnv = { ...io.env };
  // Ink and marked-terminal colour through chalk, which reads FORCE_COLOR but not NO_COLOR and
  // decides when it loads: say it in its words before the session (and so chalk) is imported.
  // baseEnv above is a copy: this is docker-lab's setting, not the learner's commands'.
  if (!color && isTTY) process.env.FORCE_COLOR = '0';
  // Loaded here, not at the top: dockerode and marked-terminal are not needed to parse arguments.
  const [{ Session }, { connectFromEnv }] = await Promise.all([
    import('../ui/session.js'),
    import('../docker/client.js'),
  ]);
  // A lesson of several nodes runs only in a sandbox of them: opened by name, it gets one (with
  // or without --sandbox), said before it starts; the course list's sandbox (--sandbox) has as
  // many nodes as its largest lesson. Without one, the list refuses to open it (session.ts).
  const named = parsed.positionals.length > 0 ? lessons[0] : undefined;
  const nodes = named
    ? (named.meta.nodes ?? 1)
    : parsed.values.sandbox
      ? Math.max(1, ...lessons.map((l) => l.meta.nodes ?? 1))
      : 1;
  if (engineFlag !== undefined && !parsed.values.sandbox && nodes < 2)
    throw new UsageError("--engine chooses the sandbox's Engine: it needs --sandbox");
  if (named && nodes > 1)
    io.stderr.write(`${messages(lang).cluster.starting(named.meta.id, nodes)}\n`);
  const opened =
    parsed.values.sandbox || nodes > 1
      ? await startSandbox(io, named ? lessons : [], {
          lang,
          purpose: named ? named.meta.id : 'course',
          nodes,
          ...(engineFlag && isSandboxEngine(engineFlag) ? { engine: engineFlag } : {}),
        })
      : undefined;
  if (opened) Object.assign(baseEnv, opened.sandbox.nodeEnv());
  try {
    return await runSession(opened);
  } finally {
    await opened?.sandbox.remove();
  }

  async function runSession(inSandbox: OpenSandbox | undefined): Promise<number> {
    const session = new Session({
      lessons,
      lang,
      progress: loaded.progress,
      progressOptions: { env: io.env },
      readOnlyProgress: loaded.readOnly,
      ...(loaded.warning ? { warning: loaded.warning } : {}),
      connect: () =>
        inSandbox
          ? Promise.resolve(inSandbox.sandbox.primary.engine)
          : connectFromEnv(io.env, io.signal ? { signal: io.signal } : {}),
      ...(inSandbox
        ? {
            sandbox: {
              imagesFrom: () => Promise.resolve(inSandbox.outer),
              // The course's sandbox gets a lesson's images when it opens, not all at once.
              prepare: async (lesson: Lesson) => {
                const wanted = (lesson.meta.images ?? []).filter(
                  (ref) => !inSandbox.loaded.has(ref),
                );
                if (wanted.length === 0) return;
                for (const ref of await inSandbox.sandbox.loadImages(wanted, io.signal))
                  inSandbox.loaded.add(ref);
              },
            },
          }
        : {}),
      workdirFor: (lesson) =>
        join(stateDir(io.env), 'work', `${lesson.meta.lang}-${lesson.meta.id}`),
      baseEnv,
      ...(inSandbox && inSandbox.sandbox.nodes.length > 1
        ? {
            nodes: inSandbox.sandbox.nodes.map((n) => ({
              node: n.node,
              engine: n.engine,
              address: n.address,
            })),
          }
        : {}),
      color,
      columns: () => (io.stdout as { columns?: number }).columns ?? 80,
      terminal: isTTY,
      // Without a terminal of its own (plain mode) the command just runs; Ink replaces this.
      handOff: async (banner, work) => {
        io.stdout.write(banner);
        await work((text) => io.stdout.write(text));
      },
    });
    if (!isTTY) {
      const { runPlain } = await import('../ui/plain.js');
      return runPlain(session, io);
    }
    const { runInk } = await import('../ui/ink-app.js');
    return runInk(session, io, {
      openFirst: parsed.positionals.length > 0,
      practice: options.practice,
    });
  }
}

interface OpenSandbox {
  sandbox: Sandbox;
  /** The learner's daemon, where the images come from. */
  outer: Engine;
  /** Images already brought in. */
  loaded: Set<string>;
}

/**
 * The sandbox the TUI's lessons run in. The images of the lessons given (one lesson's for
 * `docker-lab LESSON` and practice) are brought in from the learner's daemon before the
 * session; for the whole course, each lesson's when it opens.
 */
async function startSandbox(
  io: CommandIO,
  lessons: Lesson[],
  options: { lang: Lang; purpose: string; nodes: number; engine?: SandboxEngine },
): Promise<OpenSandbox> {
  const [{ connectFromEnv }, { chooseEngine, imagesForSandbox, Sandbox, sweepSandboxes }] =
    await Promise.all([import('../docker/client.js'), import('../sandbox/sandbox.js')]);
  const t = messages(options.lang).sandbox;
  // Not tied to Ctrl-C: the sandbox is removed through it after the signal.
  const outer = await connectFromEnv(io.env);
  const which = await chooseEngine(outer, options.engine);
  for (const id of await sweepSandboxes(outer)) io.stderr.write(`${t.swept(id)}\n`);
  const images = imagesForSandbox(lessons);
  io.stderr.write(`${t.starting(which, images.length - 1)}\n`);
  const started = Date.now();
  const sandbox = await Sandbox.start({
    outer,
    engine: which,
    purpose: options.purpose,
    nodes: options.nodes,
    images,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  io.stderr.write(`${t.ready(sandbox.primary.dockerHost, Date.now() - started)}\n`);
  return { sandbox, outer, loaded: new Set(images) };
}
