/**
 * Resume that is true. A learner who left a lesson at step k usually let cleanup remove what it
 * made; opening it again at step k would then show a step whose checks can never pass (a
 * `docker exec` into a container made two steps earlier). So before resuming at k, the objects
 * earlier completed steps made that step k and later ones still rely on are looked for on the
 * daemon; when some are gone, the lesson starts again at the first step that makes them.
 *
 * The rule (resumePoint) is pure but for `exists`, which the caller gives: the TUI asks the
 * Engine (existsOnDaemon), tests pass a set.
 */
import type { Lang } from '../checks/matchers.js';
import type { Engine } from '../docker/client.js';
import { isGone } from '../docker/engine-error.js';
import { stepNames, type NameRef, type NameUse } from '../lesson/created-names.js';
import type { Command, Lesson, Step } from '../lesson/schema.js';
import type { LessonRun } from './lesson-run.js';

export type Exists = (ref: NameRef) => Promise<boolean>;

export interface Rewind {
  /** The step to resume at (0-based), before the one progress says. */
  index: number;
  /** What is gone, each with the step (0-based) that makes it. */
  missing: { ref: NameRef; step: number }[];
  /**
   * Steps from `index` to where the learner was that have commands: they are done again (a
   * view shows them as not passed), since what they made is gone too.
   */
  redo: string[];
}

const key = (ref: NameRef): string => `${ref.type}:${ref.name}`;

/**
 * What steps `at` and after rely on that completed steps before `at` made: each object once,
 * with the last completed step before `at` that makes it. An object a step from `at` on makes
 * (or pulls) before it is used is not relied on; one no completed step made is the learner's
 * affair.
 */
export function reliedOn(
  steps: readonly (readonly NameUse[])[],
  completed: (index: number) => boolean,
  at: number,
): { ref: NameRef; step: number }[] {
  const maker = new Map<string, number>();
  for (let i = 0; i < at; i++)
    if (completed(i))
      for (const use of steps[i] ?? []) for (const m of use.makes) maker.set(key(m), i);
  const madeSince = new Set<string>();
  const relied = new Map<string, { ref: NameRef; step: number }>();
  for (let j = at; j < steps.length; j++) {
    for (const use of steps[j]!) {
      for (const ref of use.needs) {
        const k = key(ref);
        const step = maker.get(k);
        if (step !== undefined && !madeSince.has(k) && !relied.has(k)) relied.set(k, { ref, step });
      }
      for (const m of [...use.makes, ...use.fetches]) madeSince.add(key(m));
    }
  }
  return [...relied.values()];
}

export interface ResumeOptions {
  /** The lesson's working directory (compose's default project name). */
  workdir: string;
  /** Ids of the steps progress says are completed. */
  completed: ReadonlySet<string>;
  /** The step progress says the learner was on (0-based). */
  at: number;
  exists: Exists;
}

/**
 * Where to resume the lesson: undefined to resume at `at`, else the first step that makes an
 * object that is gone and still relied on. Rewinding repeats from there, since the step
 * rewound to may rely on an object gone too, made earlier still.
 */
export async function resumePoint(
  lesson: Lesson,
  options: ResumeOptions,
): Promise<Rewind | undefined> {
  if (options.at <= 0 || lesson.steps.length === 0) return undefined;
  const steps = stepNames(lesson, options.workdir);
  const completed = (i: number): boolean => options.completed.has(lesson.steps[i]?.id ?? '');
  const known = new Map<string, boolean>();
  const exists = async (ref: NameRef): Promise<boolean> => {
    const k = key(ref);
    if (!known.has(k)) known.set(k, await options.exists(ref));
    return known.get(k)!;
  };
  const missing: { ref: NameRef; step: number }[] = [];
  let index = Math.min(options.at, lesson.steps.length - 1);
  for (;;) {
    const gone: { ref: NameRef; step: number }[] = [];
    for (const relied of reliedOn(steps, completed, index))
      if (!(await exists(relied.ref))) gone.push(relied);
    if (gone.length === 0) break;
    for (const g of gone) if (!missing.some((m) => key(m.ref) === key(g.ref))) missing.push(g);
    index = Math.min(...gone.map((g) => g.step));
  }
  if (missing.length === 0 || index >= options.at) return undefined;
  const last = Math.min(options.at, lesson.steps.length - 1);
  const redo = lesson.steps
    .slice(index, last + 1)
    .filter((step) => step.commands.length > 0)
    .map((step) => step.id);
  // In the order the lesson makes them.
  missing.sort((a, b) => a.step - b.step);
  return { index, missing, redo };
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 2 more` (in zh-CN with 、 和 and 等). */
function names(list: string[], lang: Lang): string {
  const more = list.length > 4 ? list.length - 3 : 0;
  const head = more > 0 ? list.slice(0, 3) : list;
  const last = head.at(-1)!;
  if (lang === 'zh-CN') {
    if (more > 0) return `${head.join('、')} 等 ${list.length} 个对象`;
    return head.length === 1 ? last : `${head.slice(0, -1).join('、')} 和 ${last}`;
  }
  if (more > 0) return `${head.join(', ')} and ${more} more`;
  return head.length === 1 ? last : `${head.slice(0, -1).join(', ')} and ${last}`;
}

/** What is gone, as the sentences below name it. */
function goneList(rewind: Rewind, lang: Lang): { list: string; one: boolean; gap: string } {
  const list = names(
    rewind.missing.map((m) => m.ref.name),
    lang,
  );
  // In Chinese, a Latin name and the words after it are set apart by a space.
  return { list, one: rewind.missing.length === 1, gap: /[!-~]$/.test(list) ? ' ' : '' };
}

/** The one sentence that says why the lesson starts again where it does. */
export function describeRewind(rewind: Rewind, lang: Lang): string {
  const { list, one, gap } = goneList(rewind, lang);
  const step = rewind.index + 1;
  if (lang === 'zh-CN') {
    return one
      ? `${list}${gap}在你离开这一课时被删除了：从第 ${step} 步重新开始，这一步会创建它。`
      : `${list}${gap}在你离开这一课时被删除了：从第 ${step} 步重新开始，从这一步起会重新创建它们。`;
  }
  return one
    ? `${list} was removed when you left the lesson: starting again at step ${step}, which creates it.`
    : `${list} were removed when you left the lesson: starting again at step ${step}, the first step that creates them.`;
}

/**
 * `exists` on the daemon, through the Engine with its deadline: by name, exactly (the Engine
 * also finds a container or network by a prefix of its id). A daemon that cannot answer throws.
 */
export function existsOnDaemon(engine: Engine): Exists {
  const { docker } = engine;
  return async (ref) => {
    const handle = {
      container: () => docker.getContainer(ref.name),
      volume: () => docker.getVolume(ref.name),
      network: () => docker.getNetwork(ref.name),
      image: () => docker.getImage(ref.name),
    }[ref.type]() as unknown as {
      inspect(options: object): Promise<{ Name?: string; RepoTags?: string[] }>;
    };
    try {
      const found = await engine.call((abortSignal) => handle.inspect({ abortSignal }));
      if (ref.type === 'container') return found.Name === `/${ref.name}`;
      if (ref.type === 'network') return found.Name === ref.name;
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  };
}

// ---- the choice: start again, or make it all again now ----

/** `step 2` or `steps 2–3` (1-based), in the learner's language. */
function stepRange(from: number, to: number, lang: Lang): string {
  if (lang === 'zh-CN') return from === to ? `第 ${from} 步` : `第 ${from}–${to} 步`;
  return from === to ? `step ${from}` : `steps ${from}–${to}`;
}

/** The words of the offer to make what is gone again (a yes/no prompt). */
export function describeRecreate(
  rewind: Rewind,
  at: number,
  lang: Lang,
): { title: string; question: string; done: string; failed: (step: number) => string } {
  const { list, one, gap } = goneList(rewind, lang);
  const steps = stepRange(rewind.index + 1, at, lang);
  if (lang === 'zh-CN') {
    return {
      title: `${list}${gap}在你离开这一课时被删除了。${steps}的这些命令会重新创建${one ? '它' : '它们'}：`,
      question: `按 y 现在运行它们，然后从第 ${at + 1} 步继续；按 n 从第 ${rewind.index + 1} 步重新开始。[Y/n]`,
      done: `已重新创建 ${list}${gap}：从第 ${at + 1} 步继续。`,
      failed: (step) => `第 ${step + 1} 步重新运行后没有通过：从这一步重新开始。`,
    };
  }
  return {
    title: `${list} ${one ? 'was' : 'were'} removed when you left the lesson. These commands of ${steps} make ${one ? 'it' : 'them'} again:`,
    question: `y runs them now and goes on at step ${at + 1}; n starts again at step ${rewind.index + 1}. [Y/n]`,
    done: `Made ${list} again: going on at step ${at + 1}.`,
    failed: (step) => `Step ${step + 1} did not pass when run again: starting again there.`,
  };
}

/** What of a lesson run making it all again uses. */
export type RerunRun = Pick<
  LessonRun,
  'beginStep' | 'writeFiles' | 'inTheWay' | 'runsHere' | 'runCommand' | 'outright' | 'evaluate'
> & { readonly daemonLost: string | undefined; readonly workdir: string };

/** The commands that make a step again without the learner: those docker-lab runs itself. */
function rerunnable(step: Step, run: Pick<RerunRun, 'runsHere'>): Command[] {
  return step.commands.filter((c) => c.mode === 'run' && run.runsHere(c));
}

/**
 * The commands that would make steps `from` to `to - 1` again, or undefined when one of them
 * cannot be done without the learner: a command they type themselves, a terminal session with
 * no scripted input, a step whose checks no command of docker-lab's satisfies (a challenge).
 */
export function recreatePlan(
  lesson: Lesson,
  from: number,
  to: number,
  run: Pick<RerunRun, 'runsHere'>,
): { step: number; command: Command }[] | undefined {
  const plan: { step: number; command: Command }[] = [];
  for (let i = from; i < to; i++) {
    const step = lesson.steps[i]!;
    const commands = rerunnable(step, run);
    if (step.commands.some((c) => c.mode === 'manual' && run.runsHere(c))) return undefined;
    if (commands.some((c) => c.interactive && c.input === undefined)) return undefined;
    if (commands.length === 0 && step.checks.length > 0) return undefined;
    plan.push(...commands.map((command) => ({ step: i, command })));
  }
  return plan.length > 0 ? plan : undefined;
}

/**
 * Makes steps `from` to `to - 1` again: each step's files, its commands, its checks (which
 * must pass), as the learner would have. Returns the first step that did not pass (`to` when
 * all did), and the sentence that says what went wrong when there is one.
 */
export async function recreate(
  lesson: Lesson,
  from: number,
  to: number,
  run: RerunRun,
): Promise<{ reached: number; problem?: string }> {
  for (let i = from; i < to; i++) {
    const step = lesson.steps[i]!;
    await run.beginStep(step, i);
    const refused = await run.writeFiles(step);
    if (refused.length > 0) return { reached: i, problem: refused.join('\n') };
    // A name taken by something not the lesson's: the step asks the learner when they run it.
    if ((await run.inTheWay(step)).length > 0) return { reached: i };
    for (const command of rerunnable(step, run)) {
      const record = await run.runCommand(step, command);
      if (run.daemonLost) return { reached: i, problem: run.daemonLost };
      const outright = run.outright(step, record);
      if (outright) return { reached: i, problem: outright };
    }
    const findings = await run.evaluate(step, 'after');
    if (!findings.every((f) => f.ok)) return { reached: i };
  }
  return { reached: to };
}

export interface ResumeLessonOptions {
  /** Ids of the steps progress says are completed. */
  completed: ReadonlySet<string>;
  /** The step progress says the learner was on (0-based). */
  at: number;
  lang: Lang;
  /** A yes/no prompt; without one, the lesson starts again where the rule says. */
  ask?: (prompt: {
    title: string;
    items: string[];
    question: string;
    defaultYes: boolean;
  }) => Promise<boolean>;
  /** Prints one sentence for the learner. */
  say: (text: string) => void;
  /** Defaults to asking the run's daemon. */
  exists?: Exists;
}

/**
 * Where a learner opening a lesson resumes, on this daemon: at `at` when what it relies on is
 * there; else, when every step in between can be done again without them, they choose between
 * making it all again now (and going on at `at`) and starting again at the step that makes it;
 * else they start again there. `redo` lists the completed steps to be done again (a view shows
 * them as not passed); `said` is true when a sentence was printed (the step is shown again
 * below it). A daemon that cannot answer changes nothing: the step says so itself.
 */
export async function resumeLesson(
  lesson: Lesson,
  run: RerunRun,
  engine: Engine,
  options: ResumeLessonOptions,
): Promise<{ index: number; redo: string[]; said: boolean }> {
  const stay = { index: options.at, redo: [], said: false };
  const rewind = await resumePoint(lesson, {
    workdir: run.workdir,
    completed: options.completed,
    at: options.at,
    exists: options.exists ?? existsOnDaemon(engine),
  }).catch(() => undefined);
  if (!rewind) return stay;
  const plan = options.ask && recreatePlan(lesson, rewind.index, options.at, run);
  if (plan && options.ask) {
    const words = describeRecreate(rewind, options.at, options.lang);
    const yes = await options.ask({
      title: words.title,
      items: plan.map(
        (p) =>
          `${stepRange(p.step + 1, p.step + 1, options.lang)}: $ ${p.command.script.split('\n').join('\n  ')}`,
      ),
      question: words.question,
      defaultYes: true,
    });
    if (yes) {
      const { reached, problem } = await recreate(lesson, rewind.index, options.at, run);
      if (reached >= options.at) {
        options.say(words.done);
        return { ...stay, said: true };
      }
      options.say([words.failed(reached), ...(problem ? [problem] : [])].join('\n'));
      const from = lesson.steps[reached]!.id;
      const redo = rewind.redo.slice(Math.max(0, rewind.redo.indexOf(from)));
      return { index: reached, redo, said: true };
    }
  }
  options.say(describeRewind(rewind, options.lang));
  return { index: rewind.index, redo: rewind.redo, said: true };
}
