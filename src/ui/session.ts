/**
 * The learner's session: the TUI's controller. It owns the UI state (in a store the components
 * read), turns the learner's intents into calls on the one step runner (LessonRun), and keeps
 * progress on disk. No Ink here: the same session could drive another view.
 */
import { formatFailure, styleFromPalette } from '../checks/report.js';
import type { Lang } from '../i18n/lang.js';
import { messages, type UiStrings } from '../i18n/messages.js';
import type { CheckResult } from '../checks/types.js';
import type { Engine } from '../docker/client.js';
import type { Command, Lesson, Step } from '../lesson/schema.js';
import { saveProgress, type ProgressOptions } from '../progress/store.js';
import type { Progress } from '../progress/schema.js';
import {
  completeStep,
  recordCaptures,
  lessonKey,
  lessonStatus,
  recordQuizAnswer,
  revealHint,
  setCurrentStep,
  startLesson,
} from '../progress/update.js';
import { COLOR, PLAIN } from '../report/diagnostics.js';
import type { CommandRecord, RunnerEvent } from '../run/events.js';
import { LessonRun, type RunNode } from '../run/lesson-run.js';
import { gradeQuiz } from '../run/quiz.js';
import { removalCommand } from '../run/names-in-the-way.js';
import { describeLeftovers, findLeftovers, removeLeftovers } from '../run/leftovers.js';
import { resumeLesson } from '../run/resume.js';
import { missingImages } from '../images/status.js';
import { renderMarkdown } from './markdown.js';
import { OutputTail } from './output-buffer.js';
import type { Intent } from './intents.js';
import {
  PracticeShell,
  type PracticeShellOptions,
  type TypedCommand,
} from '../run/practice-shell.js';
import { truncate } from '../report/columns.js';
import { showInPager } from '../run/pager.js';
import type { Check } from '../checks/schema.js';
import { createStore, type Store } from './store.js';
import {
  freshStep,
  moveCursor,
  toggleChoice,
  type CheckView,
  type LessonEntry,
  type PromptView,
  type StepView,
  type UiState,
} from './state.js';

/**
 * Gives the terminal to an interactive command: the view prints `banner` (what is happening,
 * the command) where the learner will read it, runs `work`, and takes the terminal back.
 */
/** The container a check looks at, by name, when it looks at one. */
function containerOf(check: Check): string | undefined {
  if (check.kind === 'container') return check.spec.name;
  if (check.kind === 'logs' || check.kind === 'exec') return check.spec.container;
  return undefined;
}

/** A value as a waiting line shows it: short, on one line. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

/** The words the practice shell knows as docker-lab's own. */
export const PRACTICE_WORDS = ['hint', 'solution', 'check', 'skip', 'back'] as const;
/** How long a check may wait after a typed command (a container still starting). */
const TYPED_WAIT_MS = 3_000;

/** The goal of a step: its prose up to the first command, file or blank-line-separated block. */
function firstParagraph(markdown: string): string {
  const text = markdown.trim().split(/\n\s*\n/)[0] ?? '';
  return text.startsWith('```') ? '' : text;
}

export type HandOff = (
  banner: string,
  work: (write: (text: string) => void) => Promise<void>,
) => Promise<void>;

export interface SessionOptions {
  lessons: Lesson[];
  lang: Lang;
  progress: Progress;
  progressOptions: ProgressOptions;
  readOnlyProgress: boolean;
  warning?: string;
  connect: () => Promise<Engine>;
  /**
   * With --sandbox: the daemon the lessons' images come from (the learner's, where the list's
   * marks look), and what brings a lesson's images into the sandbox before it runs.
   */
  sandbox?: { imagesFrom: () => Promise<Engine>; prepare: (lesson: Lesson) => Promise<void> };
  workdirFor: (lesson: Lesson) => string;
  baseEnv: Record<string, string | undefined>;
  color: boolean;
  /** Unmounts the UI, runs `work` with the real terminal, mounts the UI again. */
  handOff: HandOff;
  /** false: never offer the practice shell beside the lesson in tmux (tests of the plain shell). */
  practiceBeside?: boolean;
  /** Whether the learner has a terminal (the practice shell needs one). */
  terminal?: boolean;
  /** The terminal's width now (prose is rendered to it). */
  columns: () => number;
  /** Output lines kept visible while a command runs. */
  tailLines?: number;
  now?: () => Date;
  /** Quiet period after an Engine event before the live re-check (events come in bursts). */
  liveDelayMs?: number;
  /**
   * The daemons of a cluster sandbox, manager first (what `connect` gives is the manager's): a
   * lesson of several nodes opens only when there are enough of them.
   */
  nodes?: readonly RunNode[];
}

export class Session {
  readonly store: Store<UiState>;
  private progress: Progress;
  private run: LessonRun | undefined;
  private engine: Engine | undefined;
  private readonly missingImages = new Map<string, string[]>();
  private tail: OutputTail;
  private flushTimer: NodeJS.Timeout | undefined;
  private liveTimer: NodeJS.Timeout | undefined;
  private liveBusy = false;
  private promptAnswer: ((yes: boolean) => void) | undefined;
  private readonly t: UiStrings;
  private handOffImpl: HandOff;
  private quitWaiters: (() => void)[] = [];
  private practiceShell: PracticeShell | undefined;
  /** The last command's whole output, for the pager (the panel shows its last lines). */
  private lastOutput: { script: string; text: string } | undefined;
  /** Settles when the lesson being opened has its runner (keys pressed meanwhile wait for it). */
  private opening: Promise<void> = Promise.resolve();
  /** Completed steps to do again: what they made is gone (see run/resume.ts). */
  private redo = new Set<string>();

  constructor(private readonly options: SessionOptions) {
    this.progress = options.progress;
    this.handOffImpl = options.handOff;
    this.t = messages(options.lang).ui;
    this.tail = new OutputTail(options.tailLines ?? 12);
    this.store = createStore<UiState>({
      screen: 'list',
      lang: options.lang,
      entries: this.entries(),
      cursor: 0,
      stepIndex: 0,
      step: freshStep(),
      ...(options.warning ? { warning: options.warning } : {}),
      log: [],
      stepLogStart: 0,
      color: options.color,
      quitting: false,
    });
  }

  get strings(): UiStrings {
    return this.t;
  }

  /** The view decides how the terminal is handed over (Ink unmounts; plain mode does nothing). */
  setHandOff(handOff: HandOff): void {
    this.handOffImpl = handOff;
  }

  /** Resolves when the learner has quit. */
  untilQuit(): Promise<void> {
    if (this.store.get().quitting) return Promise.resolve();
    return new Promise((resolve) => this.quitWaiters.push(resolve));
  }

  /** Prints lesson prose above the live screen (laid out by the view, at its width). */
  private print(markdown: string, options: { stepStart?: boolean } = {}): void {
    this.set((s) => ({
      ...s,
      log: [...s.log, { markdown }],
      ...(options.stepStart ? { stepLogStart: s.log.length } : {}),
    }));
  }

  private prose(markdown: string): string {
    return renderMarkdown(markdown, Math.max(40, this.options.columns() - 2), this.options.color);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private entries(): LessonEntry[] {
    return this.options.lessons.map((lesson) => {
      const missing = this.missingImages.get(lessonKey(lesson));
      return {
        lesson,
        ...lessonStatus(this.progress, lesson),
        ...(missing ? { imagesMissing: missing } : {}),
      };
    });
  }

  /**
   * Which lessons' images are not on the daemon, shown in the list. Asked once, after the list
   * is drawn, so a slow or absent daemon never delays the first frame; no daemon, no marks.
   */
  async checkImages(): Promise<void> {
    try {
      this.engine ??= await this.options.connect();
      const engine = this.options.sandbox ? await this.options.sandbox.imagesFrom() : this.engine;
      for (const lesson of this.options.lessons)
        this.missingImages.set(
          lessonKey(lesson),
          await missingImages(engine, lesson.meta.images ?? []),
        );
      this.set((s) => ({ ...s, entries: this.entries() }));
    } catch {
      // No daemon yet: opening a lesson says so, with what to do.
    }
  }

  private set(update: (state: UiState) => UiState): void {
    this.store.set(update);
  }

  private setStep(update: (step: StepView) => StepView): void {
    this.set((s) => ({ ...s, step: update(s.step) }));
  }

  private async updateProgress(update: (p: Progress) => Progress): Promise<void> {
    this.progress = update(this.progress);
    this.set((s) => ({ ...s, entries: this.entries() }));
    if (this.options.readOnlyProgress) return;
    try {
      await saveProgress(this.progress, this.options.progressOptions);
    } catch (error) {
      this.set((s) => ({ ...s, warning: (error as Error).message }));
    }
  }

  get lesson(): Lesson | undefined {
    const { lessonIndex } = this.store.get();
    return lessonIndex === undefined ? undefined : this.options.lessons[lessonIndex];
  }

  /** The open lesson's working directory, the home folder written as ~. */
  get workdir(): string | undefined {
    const lesson = this.lesson;
    if (!lesson) return undefined;
    const dir = this.options.workdirFor(lesson);
    const home = this.options.baseEnv.HOME;
    return home && dir.startsWith(`${home}/`) ? `~${dir.slice(home.length)}` : dir;
  }

  get currentStep(): Step | undefined {
    return this.lesson?.steps[this.store.get().stepIndex];
  }

  /** Does what the learner meant (a key in the Ink view, a line in the plain view). */
  async dispatch(intent: Intent): Promise<void> {
    switch (intent.type) {
      case 'answer':
        return this.answer(intent.yes);
      case 'quit':
        return this.quit();
      case 'cursor':
        return this.moveCursor(intent.delta);
      case 'open':
        return this.openLesson(intent.index);
      case 'choose':
        return this.toggleQuizChoice(intent.choice);
      case 'quiz-answer':
        return this.answerQuiz(intent.choices);
      case 'run':
        return this.runStep();
      case 'practice':
        return this.practice();
      case 'output':
        return this.showOutput();
      case 'logs':
        return this.showLogs();
      case 'check':
        return void (await this.checkStep());
      case 'hint':
        return this.nextHint();
      case 'solution':
        return this.toggleSolution();
      case 'step':
        return this.goStep(intent.delta);
      case 'reset':
        return this.resetStep();
      case 'leave':
        return this.leaveLesson();
    }
  }

  // ---- the lesson list ----

  moveCursor(delta: number): void {
    this.set((s) => moveCursor(s, delta));
  }

  async openLesson(index = this.store.get().cursor): Promise<void> {
    const lesson = this.options.lessons[index];
    if (!lesson) return;
    // A lesson of several nodes never runs on the learner's daemon: only in a sandbox of them.
    const nodes = lesson.meta.nodes ?? 1;
    if (nodes > 1 && (this.options.nodes?.length ?? 1) < nodes) {
      this.set((s) => ({
        ...s,
        warning: messages(this.options.lang).cluster.openAlone(lesson.meta.id, nodes),
      }));
      return;
    }
    const status = lessonStatus(this.progress, lesson);
    this.redo.clear();
    let stepIndex = Math.max(
      0,
      lesson.steps.findIndex((s) => s.id === status.current),
    );
    await this.updateProgress((p) => startLesson(p, lesson, this.now()));
    this.print(`# ${lesson.title}\n\n${lesson.intro}`, { stepStart: true });
    this.set((s) => ({ ...s, screen: 'lesson', lessonIndex: index, stepIndex, step: freshStep() }));
    // The step shows at once, while the daemon is reached: keys pressed meanwhile (a quiz
    // choice) act on the step as it will stay, not on a state about to be replaced.
    this.showStep(stepIndex);
    let opened = () => {};
    this.opening = new Promise((resolve) => (opened = resolve));
    try {
      this.engine ??= await this.options.connect();
      await this.options.sandbox?.prepare(lesson);
      await this.offerLeftovers(this.engine);
      this.run = await LessonRun.start({
        lesson,
        engine: this.engine,
        mode: 'learner',
        workdir: this.options.workdirFor(lesson),
        lang: this.options.lang,
        baseEnv: this.options.baseEnv,
        ...(this.options.nodes && (lesson.meta.nodes ?? 1) > 1
          ? { nodes: this.options.nodes }
          : {}),
        emit: (event) => this.onRunnerEvent(event),
        confirm: (command) => this.confirmCommand(command),
        onDockerEvent: () => this.scheduleLiveCheck(),
        // Values captured before the learner left: later steps still use them.
        captures: this.progress.lessons[lessonKey(lesson)]?.captures ?? {},
      });
      // True resume: what earlier steps made and this one relies on may be gone since.
      const resumed = await resumeLesson(lesson, this.run, this.engine, {
        completed: new Set(Object.keys(this.progress.lessons[lessonKey(lesson)]?.completed ?? {})),
        at: stepIndex,
        lang: this.options.lang,
        ask: (prompt) => this.ask(prompt),
        say: (text) => this.set((s) => ({ ...s, log: [...s.log, `\n${text}`] })),
      });
      this.redo = new Set(resumed.redo);
      if (resumed.said) {
        stepIndex = resumed.index;
        this.showStep(stepIndex);
      }
      await this.prepareStep(stepIndex);
    } catch (error) {
      this.setStep((st) => ({ ...st, note: (error as Error).message }));
    } finally {
      opened();
    }
  }

  /** What an interrupted earlier run left on this daemon: named, and removed if the learner says so. */
  private async offerLeftovers(engine: Engine): Promise<void> {
    // Looking is a courtesy: a daemon that cannot answer is the lesson's to report.
    const found = await findLeftovers(engine, this.options.baseEnv).catch(() => []);
    if (found.length === 0) return;
    const yes = await this.ask({
      title: this.t.leftoversTitle,
      items: describeLeftovers(found),
      question: this.t.cleanupAsk,
      defaultYes: true,
    });
    if (!yes) return;
    const failed = await removeLeftovers(engine, this.options.baseEnv, found).catch(
      (error: unknown) => [{ error: (error as Error).message }],
    );
    const removed = found.reduce((n, f) => n + f.present.length, 0) - failed.length;
    this.set((s) => ({
      ...s,
      log: [...s.log, this.t.cleanedUp(Math.max(0, removed)), ...failed.map((f) => f.error)],
    }));
  }

  private async enterStep(index: number): Promise<void> {
    this.showStep(index);
    await this.prepareStep(index);
  }

  /** Prints a step's prose and shows its panel, as progress left it. */
  private showStep(index: number): void {
    const lesson = this.lesson;
    const step = lesson?.steps[index];
    if (!lesson || !step) return;
    const completed = Object.hasOwn(
      this.progress.lessons[lessonKey(lesson)]?.completed ?? {},
      step.id,
    );
    const hints = this.progress.lessons[lessonKey(lesson)]?.hints?.[step.id] ?? 0;
    this.tail = new OutputTail(this.options.tailLines ?? 12);
    // The step's prose is printed once, above the live region: it scrolls like a document and
    // keeps the redrawn part small enough for 80x24 without flicker.
    this.print(
      `## ${this.t.stepHeading(index + 1, lesson.steps.length, step.title)}\n\n${step.markdown}`,
      { stepStart: true },
    );
    this.set((s) => ({
      ...s,
      stepIndex: index,
      step: {
        ...freshStep(),
        phase: completed && !this.redo.has(step.id) ? 'passed' : 'idle',
        hintsShown: Math.min(hints, step.hints.length),
      },
    }));
  }

  /** Records the step as the current one and starts it in the runner (files, time window). */
  private async prepareStep(index: number): Promise<void> {
    const lesson = this.lesson;
    const step = lesson?.steps[index];
    if (!lesson || !step) return;
    // The run as it is now: the learner may leave the lesson (and its run end) while this waits.
    const run = this.run;
    await this.updateProgress((p) => setCurrentStep(p, lessonKey(lesson), step.id, this.now()));
    if (!run) return;
    try {
      await run.beginStep(step, index);
      const refused = await run.writeFiles(step);
      if (refused.length > 0) this.setStep((st) => ({ ...st, note: refused.join('\n') }));
    } catch (error) {
      // Left meanwhile: nothing to prepare any more. Otherwise the step says what went wrong.
      if (this.run === run) this.setStep((st) => ({ ...st, note: (error as Error).message }));
    }
  }

  /** The commands Enter runs: the step's own, and its solution's once the learner opened it. */
  runnableCommands(step: Step, showSolution = this.store.get().step.showSolution): Command[] {
    return step.commands.filter(
      (c) => c.when !== 'ci' && c.mode === 'run' && (!c.fromSolution || showSolution),
    );
  }

  /**
   * A command as the learner is shown it: with the values the lesson captured so far in place of
   * their `${NAME}` (the lesson format's "Captured values"), as it will run.
   */
  shownScript(script: string): string {
    return this.run?.substitute(script) ?? script;
  }

  /** Commands the learner types in a terminal of their own. */
  manualCommands(step: Step): Command[] {
    return step.commands.filter((c) => c.when !== 'ci' && c.mode === 'manual');
  }

  // ---- a step ----

  async runStep(): Promise<void> {
    // Enter pressed as the lesson opens runs the step once its runner is there, not never.
    await this.opening;
    const step = this.currentStep;
    const run = this.run;
    const { phase } = this.store.get().step;
    if (!step || !run || phase === 'running' || phase === 'checking') return;
    // Enter on a finished step moves on, like turning a page.
    if (phase === 'passed') return this.goStep(1);
    if (step.quizzes.length > 0 && step.commands.length === 0) return this.submitQuiz();
    if (!(await this.clearTheWay(step, run))) return;
    for (const command of this.runnableCommands(step)) {
      this.tail = new OutputTail(this.options.tailLines ?? 12);
      this.setStep((st) => ({
        ...st,
        phase: 'running',
        running: run.substitute(command.script),
        output: [],
        outputTotal: 0,
      }));
      let record: CommandRecord | undefined;
      if (command.interactive) {
        await this.handOffImpl(
          `\n${this.t.handOff}\n$ ${run.substitute(command.script)}\n`,
          async () => {
            record = await run.runCommand(step, command, { handOff: true });
          },
        );
      } else {
        record = await run.runCommand(step, command);
      }
      if (this.showLostDaemon(run)) return;
      // No such command, docker refused it: nothing to wait for; say what failed, at once.
      const outright = record && run.outright(step, record);
      if (outright) {
        if (this.currentStep === step)
          this.setStep((st) => ({ ...st, phase: 'failed', note: outright }));
        return;
      }
    }
    await this.checkStep();
  }

  /**
   * Names the step creates that something not the lesson's has: the learner chooses. True when
   * the step may run (nothing in the way, or removed on a yes); a no skips the step.
   */
  private async clearTheWay(step: Step, run: LessonRun): Promise<boolean> {
    let taken;
    try {
      taken = await run.inTheWay(step);
    } catch (error) {
      this.setStep((st) => ({ ...st, phase: 'failed', note: (error as Error).message }));
      return false;
    }
    if (taken.length === 0) return true;
    const yes = await this.ask({
      title: this.t.inTheWayTitle,
      items: taken.map(
        (item) => `${this.t.inTheWayItem(item.type, item.name)}    $ ${removalCommand(item)}`,
      ),
      question: this.t.inTheWayAsk,
      defaultYes: false,
    });
    if (yes) {
      try {
        await run.removeInTheWay(taken);
      } catch (error) {
        // In use by another of the learner's containers, the daemon gone: say so, run nothing.
        this.setStep((st) => ({ ...st, phase: 'failed', note: (error as Error).message }));
        return false;
      }
      return true;
    }
    this.set((s) => ({ ...s, log: [...s.log, this.t.inTheWaySkipped] }));
    await this.goStep(1);
    return false;
  }

  private onRunnerEvent(event: RunnerEvent): void {
    if (event.type === 'output') {
      this.tail.push(event.chunk);
      // Output can arrive far faster than a terminal redraws: coalesce into one update a frame.
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.setStep((st) => ({ ...st, output: this.tail.tail(), outputTotal: this.tail.total }));
      }, 33);
    } else if (event.type === 'check-waiting') {
      const found = event.found ? `${event.found.field} ${shown(event.found.actual)}` : undefined;
      const waiting = this.t.waiting(
        event.subject,
        found,
        Math.round(event.elapsedMs / 1000),
        Math.round(event.timeoutMs / 1000),
      );
      if (this.store.get().step.waiting !== waiting) this.setStep((st) => ({ ...st, waiting }));
    } else if (event.type === 'check-result') {
      if (this.store.get().step.waiting) this.setStep((st) => ({ ...st, waiting: undefined }));
    } else if (event.type === 'command-started' && event.rerun !== undefined) {
      // A check runs the command again: shown like the first run, and said to be a re-run.
      this.tail = new OutputTail(this.options.tailLines ?? 12);
      this.setStep((st) => ({ ...st, running: event.command.script, output: [], outputTotal: 0 }));
    } else if (event.type === 'values-captured') {
      const lesson = this.lesson;
      if (lesson)
        void this.updateProgress((p) =>
          recordCaptures(p, lessonKey(lesson), event.values, this.now()),
        );
    } else if (event.type === 'command-finished') {
      this.lastOutput = {
        script: event.command.script,
        text: `${event.result.stdout}${event.result.stderr}`,
      };
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      const lines = this.tail.tail();
      const total = this.tail.total;
      const summary = [
        ...(event.rerun !== undefined ? [this.t.rerun(event.rerun)] : []),
        `$ ${event.command.script.split('\n').join('\n  ')}`,
        ...lines.map((l) => `  ${l}`),
        ...(total > lines.length ? [`  … ${this.t.outputMore(lines.length, total)}`] : []),
        `  (${this.t.exitCode(event.result.exitCode)})`,
      ];
      // Finished output leaves the live region: it is printed once, above it.
      this.set((s) => ({
        ...s,
        log: [...s.log, summary.join('\n')],
        step: {
          ...s.step,
          output: [],
          outputTotal: 0,
          running: undefined,
          lastExit: event.result.exitCode,
        },
      }));
    }
  }

  private renderResult(result: CheckResult): CheckView {
    const style = styleFromPalette(this.options.color ? COLOR : PLAIN);
    const { id, description } = result.check;
    const title = description?.trim() || id;
    if (result.pass) return { id, title, pass: true };
    // A learner's report: the check in words (its id when the lesson gave none), and under a fix
    // that makes the container again, the lesson's own command for it (127.0.0.1, names kept).
    const shown = { ...result, check: { ...result.check, description: title } };
    return {
      id,
      title,
      pass: false,
      report: formatFailure(shown, {
        lang: this.options.lang,
        style,
        learner: {
          command: (check) => this.commandMaking(check),
          // A near miss of the step the learner typed: its sentence says what is wrong.
          mistake: (check) =>
            this.currentStep ? this.run?.mistakeFor(this.currentStep, check) : undefined,
        },
      }),
    };
  }

  /** The current step's command (or its solution's) that creates the container a check names. */
  private commandMaking(check: Check): string | undefined {
    if (check.kind !== 'container' || !check.spec.name) return undefined;
    const name = check.spec.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const makes = new RegExp(
      `\\bdocker\\s+(?:container\\s+)?(?:run|create)\\b[^\\n]*--name[ =]${name}(?![\\w.-])`,
    );
    return this.currentStep?.commands.find((c) => makes.test(c.script))?.script;
  }

  /** The daemon went away: the step says so, once, instead of its checks. */
  private showLostDaemon(run: LessonRun): boolean {
    const lost = run.daemonLost;
    if (!lost) return false;
    this.setStep((st) => ({ ...st, phase: 'failed', note: lost, checks: [] }));
    return true;
  }

  /** Evaluates the step's checks (waiting as each check allows) and records the verdict. */
  async checkStep(options: { quick?: boolean } = {}): Promise<boolean> {
    return (await this.evaluateStep(options.quick ? { waitMs: 0 } : {})).pass;
  }

  /**
   * The checks of the current step, each waiting at most `waitMs` when given (quietly: a
   * failure is not shown). Returns the verdict and the checks that did not pass.
   */
  private async evaluateStep(
    options: { waitMs?: number } = {},
  ): Promise<{ pass: boolean; failing: Check[] }> {
    await this.opening;
    const step = this.currentStep;
    const lesson = this.lesson;
    const run = this.run;
    const none = { pass: false, failing: [] };
    if (!step || !lesson || !run) return none;
    if (step.checks.length === 0) {
      if (step.quizzes.length > 0) return none;
      await this.markPassed(step);
      return { pass: true, failing: [] };
    }
    const quiet = options.waitMs !== undefined;
    if (!quiet) this.setStep((st) => ({ ...st, phase: 'checking' }));
    const checks = quiet
      ? step.checks.map((c) => ({ ...c, timeoutMs: Math.min(c.timeoutMs, options.waitMs ?? 0) }))
      : step.checks;
    const findings = await run.evaluate({ ...step, checks }, 'after');
    if (this.currentStep !== step) return none;
    if (this.showLostDaemon(run)) return none;
    const views = findings.map((f) => this.renderResult(f.result));
    const pass = findings.every((f) => f.ok);
    if (pass) {
      this.setStep((st) => ({ ...st, checks: views }));
      await this.markPassed(step);
    } else if (!quiet) {
      this.setStep((st) => ({ ...st, phase: 'failed', checks: views }));
    }
    return { pass, failing: findings.filter((f) => !f.ok).map((f) => f.check) };
  }

  private async markPassed(step: Step): Promise<void> {
    const lesson = this.lesson;
    if (!lesson) return;
    this.redo.delete(step.id);
    this.setStep((st) => ({ ...st, phase: 'passed' }));
    await this.updateProgress((p) => completeStep(p, lessonKey(lesson), step.id, this.now()));
  }

  /**
   * Live checking: the learner may type the command in another terminal. When the Engine reports
   * a change, the current step's checks are tried once, quietly; passing completes the step.
   */
  private scheduleLiveCheck(): void {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      void this.liveCheck();
    }, this.options.liveDelayMs ?? 40);
  }

  private async liveCheck(): Promise<void> {
    const { phase } = this.store.get().step;
    const step = this.currentStep;
    if (this.liveBusy || !step || (phase !== 'idle' && phase !== 'failed')) return;
    if (step.checks.length === 0 || step.checks.some((c) => c.kind === 'output')) return;
    if (this.practiceShell?.commandRunning) return;
    this.liveBusy = true;
    try {
      const passed = await this.checkStep({ quick: true });
      // Done from elsewhere while the practice shell waits at its prompt: say so there.
      if (passed && this.practiceShell)
        this.practiceShell.say(`\n${await this.practiceNext(step)}`);
    } finally {
      this.liveBusy = false;
    }
  }

  async nextHint(): Promise<void> {
    const step = this.currentStep;
    const lesson = this.lesson;
    if (!step || !lesson) return;
    const shown = this.store.get().step.hintsShown;
    if (shown >= step.hints.length) {
      this.setStep((st) => ({
        ...st,
        note: step.hints.length === 0 ? this.t.noHints : this.t.noMoreHints,
      }));
      return;
    }
    this.setStep((st) => ({ ...st, hintsShown: shown + 1, note: undefined }));
    await this.updateProgress((p) => revealHint(p, lessonKey(lesson), step.id, this.now()));
  }

  toggleSolution(): void {
    const step = this.currentStep;
    if (!step) return;
    this.setStep((st) => ({
      ...st,
      showSolution: !st.showSolution,
      note: step.solution ? undefined : this.t.noSolution,
    }));
  }

  async goStep(delta: number): Promise<void> {
    const lesson = this.lesson;
    const { stepIndex, step } = this.store.get();
    if (!lesson || step.phase === 'running' || step.phase === 'checking') return;
    const next = stepIndex + delta;
    if (next < 0 || next >= lesson.steps.length) return;
    await this.enterStep(next);
  }

  /** Starts the step over: its output and verdict are forgotten (Docker state stays as it is). */
  async resetStep(): Promise<void> {
    await this.enterStep(this.store.get().stepIndex);
    this.setStep((st) => ({ ...st, phase: 'idle' }));
  }

  toggleQuizChoice(choice: number): void {
    const quiz = this.currentStep?.quizzes[0];
    if (quiz) this.setStep((st) => toggleChoice(st, quiz, choice));
  }

  /** A whole answer at once (a typed line in plain mode): these choices, then graded. */
  async answerQuiz(choices: number[]): Promise<void> {
    const quiz = this.currentStep?.quizzes[0];
    if (!quiz) return;
    if (choices.some((c) => c < 1 || c > quiz.choices.length)) {
      const note = messages(this.options.lang).plain.choiceRange(quiz.choices.length);
      this.setStep((st) => ({ ...st, note }));
      return;
    }
    const picked = [...new Set(choices)].sort((a, b) => a - b);
    this.setStep((st) => ({ ...st, quizPicked: picked, quizVerdict: undefined }));
    await this.submitQuiz();
  }

  async submitQuiz(): Promise<void> {
    const step = this.currentStep;
    const lesson = this.lesson;
    const quiz = step?.quizzes[0];
    if (!step || !lesson || !quiz) return;
    const picked = this.store.get().step.quizPicked;
    if (picked.length === 0) return;
    // The run grades it and says so to its listeners, as in verify; a quiz needs no daemon, so
    // without a run (the daemon never answered) it is graded all the same.
    const correct = this.run ? this.run.answerQuiz(step, quiz, picked) : gradeQuiz(quiz, picked);
    this.setStep((st) => ({
      ...st,
      quizVerdict: correct,
      note: correct ? this.t.quizRight : this.t.quizWrong,
    }));
    await this.updateProgress((p) =>
      recordQuizAnswer(
        p,
        lessonKey(lesson),
        { stepId: step.id, quizId: quiz.id, choices: picked, correct },
        this.now(),
      ),
    );
    if (correct) await this.markPassed(step);
  }

  /** The last command's whole output in a pager (o): the panel shows only its last lines. */
  async showOutput(): Promise<void> {
    const last = this.lastOutput;
    if (!last) {
      this.setStep((st) => ({ ...st, note: this.t.noOutput }));
      return;
    }
    await this.handOffImpl('', async (write) => {
      const text = `$ ${last.script}\n${last.text}`;
      if (!(await showInPager(text, this.options.baseEnv))) write(`${text}\n`);
    });
  }

  /**
   * The whole log of the container the step's failing check looks at (l): a failure report
   * shows its last lines only, condensed.
   */
  async showLogs(): Promise<void> {
    const step = this.currentStep;
    const run = this.run;
    const failing = new Set(
      this.store
        .get()
        .step.checks.filter((c) => !c.pass)
        .map((c) => c.id),
    );
    const check = step?.checks.find((c) => failing.has(c.id) && containerOf(c));
    const name = check && containerOf(check);
    if (!run || !name) {
      this.setStep((st) => ({ ...st, note: this.t.noLogs }));
      return;
    }
    let text: string;
    try {
      text = await run.containerLog(name);
    } catch (error) {
      this.setStep((st) => ({ ...st, note: (error as Error).message }));
      return;
    }
    await this.handOffImpl('', async (write) => {
      const shown = `$ docker logs ${name}\n${text}`;
      if (!(await showInPager(shown, this.options.baseEnv))) write(`${shown}\n`);
    });
  }

  // ---- the practice shell ----

  /**
   * The learner types: a shell of their own in the lesson's folder, on the lesson's daemon.
   * Each command they type is checked at once; a passed step moves on in the shell. Leaving the
   * shell comes back here, at the step reached.
   */
  async practice(): Promise<void> {
    await this.opening;
    const run = this.run;
    const lesson = this.lesson;
    if (!run || !lesson || this.options.terminal === false) {
      const note =
        this.options.terminal === false ? this.t.practice.needsTerminal : this.t.practice.noStep;
      this.setStep((st) => ({ ...st, note }));
      return;
    }
    const p = this.t.practice;
    if (this.practiceShell) return;
    // In tmux, the shell can sit beside the lesson: the learner sees both, and the step here
    // follows what they type there.
    if (this.options.baseEnv.TMUX && this.options.practiceBeside !== false) {
      const beside = await this.ask({
        title: p.besideTitle,
        items: [],
        question: p.besideAsk,
        defaultYes: true,
      });
      if (beside) return this.practiceBeside(run);
    }
    await this.handOffImpl('', async (write) => {
      const shell = await PracticeShell.open(this.practiceOptions(run, { write }));
      this.practiceShell = shell;
      try {
        await shell.finished;
      } finally {
        this.practiceShell = undefined;
      }
      write(`${p.leaving}\n`);
    });
  }

  /** The practice shell for the lesson as it stands: its folder, daemon, step and words. */
  private practiceOptions(
    run: LessonRun,
    where: Pick<PracticeShellOptions, 'write' | 'beside'>,
  ): PracticeShellOptions {
    return {
      cwd: run.workdir,
      env: run.commandEnv,
      baseEnv: this.options.baseEnv,
      prompt: this.practicePrompt(),
      banner: `\n${this.t.practice.where(run.workdir)}\n\n${this.practiceBanner()}`,
      words: PRACTICE_WORDS,
      onCommand: (typed) => this.onTyped(typed),
      ...where,
    };
  }

  private async practiceBeside(run: LessonRun): Promise<void> {
    const p = this.t.practice;
    let shell: PracticeShell;
    try {
      shell = await PracticeShell.open(
        this.practiceOptions(run, { write: () => {}, beside: true }),
      );
    } catch (error) {
      this.setStep((st) => ({ ...st, note: (error as Error).message }));
      return;
    }
    this.practiceShell = shell;
    this.setStep((st) => ({ ...st, note: p.besideOpen }));
    try {
      await shell.finished;
    } finally {
      if (this.practiceShell === shell) this.practiceShell = undefined;
    }
    this.setStep((st) => ({ ...st, note: p.leaving }));
  }

  private practicePrompt(): string {
    const lesson = this.lesson;
    if (!lesson) return 'docker-lab';
    return `${lesson.meta.id} ${this.store.get().stepIndex + 1}/${lesson.steps.length}`;
  }

  /** The current step as the shell shows it: title, goal, what to type (unless a challenge). */
  private practiceBanner(): string {
    const lesson = this.lesson;
    const step = this.currentStep;
    if (!lesson || !step) return '';
    const p = this.t.practice;
    const width = Math.max(40, this.options.columns() - 2);
    const title = `── ${this.t.stepOf(this.store.get().stepIndex + 1, lesson.steps.length)} · ${step.title} ──`;
    // Cut by columns (a Chinese character takes two), never mid-character.
    const goal = this.prose(firstParagraph(step.markdown));
    const commands = this.runnableCommands(step, false).concat(this.manualCommands(step));
    const what =
      step.quizzes.length > 0 && step.checks.length === 0
        ? [p.quiz]
        : commands.length > 0
          ? [p.type, ...commands.map((c) => `  ${c.script.split('\n').join('\n  ')}`)]
          : step.checks.length > 0
            ? [p.challenge]
            : [];
    return (
      [truncate(title, width), goal, ...what, p.words, ''].filter((l) => l !== '').join('\n') + '\n'
    );
  }

  /** After a passed step: its ✓ line, then the next step's banner (or the lesson's end). */
  private async practiceNext(step: Step): Promise<string> {
    const lesson = this.lesson;
    const p = this.t.practice;
    const lines = [p.passed(step.title)];
    if (!lesson) return `${lines.join('\n')}\n`;
    const index = this.store.get().stepIndex;
    if (index + 1 >= lesson.steps.length) return `${lines.join('\n')}\n${p.lessonDone}\n`;
    await this.goStep(1);
    await this.practiceShell?.setPrompt(this.practicePrompt());
    return `${lines.join('\n')}\n\n${this.practiceBanner()}`;
  }

  /** What the shell prints after a command the learner typed. */
  private async onTyped(typed: TypedCommand): Promise<string> {
    const step = this.currentStep;
    const run = this.run;
    if (!step || !run) return '';
    const word = typed.script.trim();
    if ((PRACTICE_WORDS as readonly string[]).includes(word))
      return this.practiceWord(word as (typeof PRACTICE_WORDS)[number]);
    if (this.store.get().step.phase === 'passed') return '';
    run.recordTyped(step, typed);
    const { pass, failing } = await this.evaluateStep({ waitMs: TYPED_WAIT_MS });
    if (pass) return this.practiceNext(step);
    const misses = await run.nearMisses(failing).catch(() => []);
    const p = this.t.practice;
    return misses
      .flatMap((miss) =>
        miss.found.map((found) => p.nearMiss(p.objects[miss.type], found, miss.expected)),
      )
      .map((line) => `${line}\n`)
      .join('');
  }

  private async practiceWord(word: (typeof PRACTICE_WORDS)[number]): Promise<string> {
    const step = this.currentStep;
    if (!step) return '';
    switch (word) {
      case 'hint': {
        await this.nextHint();
        const { hintsShown, note } = this.store.get().step;
        const hint = note ?? step.hints[hintsShown - 1]?.markdown ?? this.t.noHints;
        this.setStep((st) => ({ ...st, note: undefined }));
        const label = note ? '' : `${this.t.hint(hintsShown, step.hints.length)}: `;
        return `${label}${this.prose(hint)}\n`;
      }
      case 'solution':
        return `${this.prose(step.solution?.markdown ?? this.t.noSolution)}\n`;
      case 'check': {
        const passed = await this.checkStep();
        if (passed) return this.practiceNext(step);
        const reports = this.store.get().step.checks.flatMap((c) => (c.report ? [c.report] : []));
        return `${this.t.practice.notYet}\n${reports.join('\n')}\n`;
      }
      case 'skip':
      case 'back':
        await this.goStep(word === 'skip' ? 1 : -1);
        await this.practiceShell?.setPrompt(this.practicePrompt());
        return `\n${this.practiceBanner()}`;
    }
  }

  // ---- prompts ----

  private ask(prompt: PromptView): Promise<boolean> {
    this.set((s) => ({ ...s, prompt }));
    return new Promise((resolve) => {
      this.promptAnswer = (yes) => {
        this.promptAnswer = undefined;
        this.set((s) => ({ ...s, prompt: undefined }));
        resolve(yes);
      };
    });
  }

  /** y/n/Enter while a prompt is open. */
  answer(yes: boolean | 'default'): void {
    const prompt = this.store.get().prompt;
    if (!prompt || !this.promptAnswer) return;
    this.promptAnswer(yes === 'default' ? prompt.defaultYes : yes);
  }

  private confirmCommand(command: Command): Promise<boolean> {
    return this.ask({
      title: this.t.confirmCommand,
      items: [command.script],
      question: this.t.yesNo,
      defaultYes: false,
    });
  }

  /** Leaving a lesson: show what it created and remove it on confirmation. */
  async leaveLesson(): Promise<void> {
    // A shell beside the lesson belongs to it: it closes with it.
    this.practiceShell?.closePane();
    // Leaving while the lesson opens: wait for its runner, or what it starts is never stopped
    // (its event stream would keep docker-lab from exiting) nor cleaned up.
    await this.opening;
    const run = this.run;
    this.run = undefined;
    if (run) {
      const created = run.created().filter((r) => r.type !== 'compose-project');
      // Without a daemon nothing can be removed: the list is kept for the next run.
      if (created.length === 0 || run.daemonLost) {
        await run.finish();
      } else {
        const yes = await this.ask({
          title: this.t.cleanupTitle,
          items: created.map((r) => `${r.type} ${r.name}`),
          question: this.t.cleanupAsk,
          defaultYes: true,
        });
        if (yes) {
          const result = await run.finish();
          this.set((s) => ({ ...s, log: [...s.log, this.t.cleanedUp(result.removed.length)] }));
        } else {
          await run.abandon();
          this.set((s) => ({ ...s, log: [...s.log, this.t.keptResources] }));
        }
      }
    }
    this.set((s) => ({ ...s, screen: 'list', entries: this.entries(), step: freshStep() }));
  }

  /** Quits; `ask: false` (an outside signal) leaves the lesson's resources as they are. */
  async quit(options: { ask?: boolean } = {}): Promise<void> {
    if (this.store.get().screen === 'lesson') {
      if (options.ask === false) {
        await this.opening;
        const run = this.run;
        this.run = undefined;
        await run?.abandon();
      } else {
        await this.leaveLesson();
      }
    }
    this.set((s) => ({ ...s, quitting: true }));
    for (const resolve of this.quitWaiters.splice(0)) resolve();
  }
}
