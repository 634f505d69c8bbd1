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
import { isGone } from '../docker/deadline.js';
import { stepNames, type NameRef, type NameUse } from '../lesson/created-names.js';
import type { Lesson } from '../lesson/schema.js';

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

/** The one sentence that says why the lesson starts again where it does. */
export function describeRewind(rewind: Rewind, lang: Lang): string {
  const list = names(
    rewind.missing.map((m) => m.ref.name),
    lang,
  );
  const step = rewind.index + 1;
  const one = rewind.missing.length === 1;
  if (lang === 'zh-CN') {
    // A Latin name and the Chinese after it are set apart by a space; Chinese words are not.
    const gap = /[!-~]$/.test(list) ? ' ' : '';
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
