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
import type { Lang } from '../i18n/lang.js';
import { messages } from '../i18n/messages.js';
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

/** What is gone, named as the sentences below name it (at most three, then how many more). */
function goneList(rewind: Rewind, lang: Lang): { list: string; one: boolean } {
  const all = rewind.missing.map((m) => m.ref.name);
  const more = all.length > 4 ? all.length - 3 : 0;
  const list = messages(lang).run.resumeNames(more > 0 ? all.slice(0, 3) : all, more);
  return { list, one: rewind.missing.length === 1 };
}

/** The one sentence that says why the lesson starts again where it does. */
export function describeRewind(rewind: Rewind, lang: Lang): string {
  const { list, one } = goneList(rewind, lang);
  return messages(lang).run.resumeRewound(list, one, rewind.index + 1);
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

/** The words of the offer to make what is gone again (a yes/no prompt). */
export function describeRecreate(
  rewind: Rewind,
  at: number,
  lang: Lang,
): { title: string; question: string; done: string; failed: (step: number) => string } {
  const { list, one } = goneList(rewind, lang);
  const m = messages(lang).run;
  return {
    title: m.resumeRecreateTitle(list, one, m.resumeSteps(rewind.index + 1, at)),
    question: m.resumeRecreateQuestion(at + 1, rewind.index + 1),
    done: m.resumeRecreateDone(list, at + 1),
    failed: (step) => m.resumeRecreateFailed(step + 1),
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
          `${messages(options.lang).run.resumeSteps(p.step + 1, p.step + 1)}: $ ${p.command.script.split('\n').join('\n  ')}`,
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
