/**
 * The one step runner. It executes a parsed lesson step by step against the resolved daemon and
 * reports everything as events; the TUI and `verify` are two views of it and neither runs a
 * command or evaluates a check by itself. It does not know which of them is watching.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutsideWorkdirError, prepareInside } from '../fs/inside.js';
import { runCheck } from '../checks/engine.js';
import { findNearMisses, type NearMiss } from '../checks/near-miss.js';
import { deadline } from '../docker/deadline.js';
import { logTail } from '../checks/kinds/snapshot.js';
import { plainTerminalText } from '../terminal-text.js';
import type { Lang } from '../i18n/lang.js';
import type { CheckContext, CommandOutput } from '../checks/types.js';
import type { Check } from '../checks/schema.js';
import type { Engine } from '../docker/client.js';
import { daemonNow } from '../docker/daemon-time.js';
import { DockerAccessError } from '../docker/errors.js';
import { DockerLabError } from '../errors.js';
import { MANAGER_NODE } from '../checks/nodes.js';
import { dockerChildEnv } from '../docker/endpoint.js';
import { startLedger, type Ledger } from '../docker/ledger.js';
import type { CleanupResult, EngineEvent, Resource } from '../docker/ledger.js';
import type { Command, Lesson, Quiz, Step } from '../lesson/schema.js';
import { startShell, type ProcessResult, type RunningProcess } from './process.js';
import { randomBytes } from 'node:crypto';
import { createdNames, lessonFiles } from '../lesson/created-names.js';
import { Attribution, RUN_LABEL } from './attribution.js';
import { DaemonBridge } from './daemon-bridge.js';
import { authorStatesExit, describeOutright, outrightFailure } from './outright.js';
import { installDockerShim, type DockerShim } from './docker-shim.js';
import { killMarked, LESSON_MARKER_VARIABLE } from './process-tracker.js';
import { gradeQuiz } from './quiz.js';
import { DaemonWatch, describeLostDaemon } from './daemon-watch.js';
import { RunRecord } from './leftovers.js';
import { RunJournal } from './journal.js';
import {
  namesInTheWay,
  removalCommand,
  removeInTheWay,
  type InTheWay,
} from './names-in-the-way.js';

export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
/** A container's "whole" log for a pager: enough for any lesson, bounded for a runaway one. */
const WHOLE_LOG_LINES = 20_000;

import type {
  CommandRecord,
  LessonReport,
  Phase,
  PhaseFinding,
  RunMode,
  RunnerEvent,
  StepReport,
} from './events.js';

export interface LessonRunOptions {
  lesson: Lesson;
  engine: Engine;
  mode: RunMode;
  /** The lesson's working directory (created if missing; removed at the end in verify mode). */
  workdir: string;
  lang: Lang;
  /** The environment commands start from (the daemon-choosing variables are replaced). */
  baseEnv: Record<string, string | undefined>;
  signal?: AbortSignal;
  emit?: (event: RunnerEvent) => void;
  /** Asked before a command marked `confirm` runs in learner mode; false skips it. */
  confirm?: (command: Command) => Promise<boolean>;
  /** When a command has no timeout of its own. */
  defaultTimeoutMs?: number;
  /** Every Engine event while the lesson runs (the TUI re-checks a step when state changes). */
  onDockerEvent?: () => void;
  /**
   * Narrows further which of the lesson's creations are recorded, for runs that share a daemon
   * (tests): it can only take away from what the lesson's identity rules accept.
   */
  accept?: (event: EngineEvent) => boolean;
  /**
   * Keep the run journal (journal.ts: the last commands and check verdicts, on disk under the
   * state folder, for `docker-lab report`). On by default for a learner's run, off for verify.
   */
  journal?: boolean;
  /**
   * On a daemon reached through the bridge (a sandbox), the loopback address its published
   * ports are forwarded to here (default 127.0.0.1); ${DAEMON_HOST} is this address.
   */
  loopback?: string;
  /**
   * A multi-node lesson's nodes (a cluster sandbox), manager first: a check with `node:` looks at
   * that node's daemon, and `${DAEMON_HOST}` in it is the node's address on the cluster's
   * network. `engine` is the manager's.
   */
  nodes?: readonly RunNode[];
}

/** One daemon of a multi-node lesson. */
export interface RunNode {
  /** manager, worker1, ... (checks/nodes.ts) */
  node: string;
  engine: Engine;
  /** Its address on the cluster's network, reachable from this machine. */
  address: string;
}

function seconds(nanos: bigint): number {
  return Number(nanos / 1_000_000n) / 1000;
}

export class LessonRun {
  private readonly background: { command: Command; process: RunningProcess }[] = [];
  private readonly env: Record<string, string>;
  private outputs: CommandOutput[] = [];
  private stepStartedAt: number;
  /** Set when the daemon shares no folder with this machine (see daemon-bridge.ts). */
  private bridge: DaemonBridge | undefined;
  /** What the bridge could not do since the step began (a local port taken), for its report. */
  private bridgeProblems: string[] = [];
  /** The run's own signal: the caller's (Ctrl-C), or the daemon going away. */
  private readonly signal: AbortSignal;
  /** The step under way, for the sentence when the daemon goes away. */
  private currentStep: Step | undefined;
  /** A command was killed (timeout, Ctrl-C): a docker CLI may have been cut mid-request. */
  private killedCommand = false;
  /** What `docker-lab report` will show of this run; set for a learner's run. */
  private journal: RunJournal | undefined;

  private constructor(
    private readonly options: LessonRunOptions,
    private readonly ledger: Ledger,
    private readonly lessonStartedAt: number,
    private readonly shim: DockerShim | undefined,
    private readonly runId: string,
    private readonly watch: DaemonWatch,
    private readonly record: RunRecord,
  ) {
    this.stepStartedAt = lessonStartedAt;
    this.signal = options.signal ? AbortSignal.any([options.signal, watch.signal]) : watch.signal;
    this.env = {
      ...dockerChildEnv(options.engine.endpoint, options.baseEnv),
      ...shim?.env,
      [LESSON_MARKER_VARIABLE]: runId,
      DAEMON_HOST: options.engine.endpoint.daemonHost,
      DOCKER_LAB: '1',
      // The CLI's "What's next" hints are noise in a lesson's output.
      DOCKER_CLI_HINTS: 'false',
    };
  }

  /** Starts recording what the lesson creates, from the daemon's own clock. */
  static async start(options: LessonRunOptions): Promise<LessonRun> {
    await mkdir(options.workdir, { recursive: true });
    const names = createdNames(options.lesson, options.workdir);
    const attribution = new Attribution(names, randomBytes(8).toString('hex'));
    const shim = await installDockerShim(options.baseEnv, `${RUN_LABEL}=${attribution.runId}`);
    const watch = new DaemonWatch(options.engine);
    const record = RunRecord.create(options.baseEnv, {
      runId: attribution.runId,
      endpoint: options.engine.endpoint.url,
      lesson: {
        id: options.lesson.meta.id,
        lang: options.lesson.meta.lang,
        file: options.lesson.file,
      },
    });
    // The ledger's own events name it before startLedger returns it.
    const started: { ledger?: Ledger } = {};
    const ledger = await startLedger(options.engine.docker, {
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent: () => {
        // Written down as it happens (made and removed): a run killed before its cleanup
        // leaves the list behind, and nothing it already removed is on it.
        if (started.ledger) void record.save(started.ledger.created());
        options.onDockerEvent?.();
      },
      // The stream drops the moment the daemon does.
      onError: () => watch.suspect(),
      accept: (event) => attribution.accepts(event) && (options.accept?.(event) ?? true),
      ownsSwarm: names.swarm,
    }).catch(async (error: unknown) => {
      await shim?.remove();
      throw error;
    });
    started.ledger = ledger;
    const run = new LessonRun(
      options,
      ledger,
      seconds(ledger.since),
      shim,
      attribution.runId,
      watch,
      record,
    );
    try {
      run.bridge = await DaemonBridge.open(
        options.engine,
        options.workdir,
        { [RUN_LABEL]: attribution.runId },
        // A cluster's ports are reached at its nodes' addresses, never forwarded to this
        // machine's loopback: there, tasks of every node would want the same port.
        () =>
          options.nodes
            ? []
            : run
                .created()
                .filter((r) => r.type === 'container')
                .map((r) => r.id),
        options.loopback,
      );
    } catch (error) {
      await run.finish();
      throw error;
    }
    // Published ports are forwarded to this machine's loopback: the lesson reaches them there.
    if (run.bridge) run.env.DAEMON_HOST = options.nodes?.[0]?.address ?? run.bridge.address;
    // A journal that cannot be opened is no reason to stop a lesson (open reads, never throws
    // for a bad file; this is for the unforeseen).
    if (options.journal ?? options.mode === 'learner')
      run.journal = await RunJournal.open(options.lesson, { env: options.baseEnv }).catch(
        () => undefined,
      );
    run.emit({ type: 'lesson-started', lesson: options.lesson, workdir: options.workdir });
    return run;
  }

  get lesson(): Lesson {
    return this.options.lesson;
  }

  private emit(event: RunnerEvent): void {
    this.journal?.record(event);
    this.options.emit?.(event);
  }

  /**
   * Why the lesson stopped when its daemon went away (what happened, that progress is kept,
   * what to do), or undefined while the daemon answers.
   */
  get daemonLost(): string | undefined {
    const lost = this.watch.lost;
    if (!lost) return undefined;
    return describeLostDaemon(
      lost,
      {
        lesson: this.options.lesson.meta.id,
        ...(this.currentStep ? { step: this.currentStep.title } : {}),
      },
      // Verify reports to authors and CI in one language, whatever the lesson's.
      this.options.mode === 'verify' ? 'en' : this.options.lang,
    );
  }

  /** A step failed on an Engine call: if the daemon could not be reached, find out whether it is gone. */
  async noticeFailure(error: unknown): Promise<void> {
    if (!(error instanceof DockerAccessError)) return;
    this.watch.suspect();
    await this.watch.settled();
  }

  /** Marks the beginning of a step: its output and `logs` windows start now. */
  async beginStep(step: Step, index: number): Promise<void> {
    this.outputs = [];
    this.currentStep = step;
    this.stepStartedAt = seconds(await daemonNow(this.options.engine.docker, this.signal));
    this.emit({ type: 'step-started', step, index });
  }

  /**
   * Writes the step's file blocks. A block whose path would leave the working directory through
   * a link is not written: the sentence saying so (file:line:col and the fix) is returned, and
   * the step's commands must not run on a file that is not there.
   */
  async writeFiles(step: Step): Promise<string[]> {
    const paths: string[] = [];
    const refused: string[] = [];
    for (const file of step.files) {
      let target: string;
      try {
        target = await prepareInside(this.options.workdir, file.path);
      } catch (error) {
        if (!(error instanceof OutsideWorkdirError)) throw error;
        refused.push(
          `${this.options.lesson.file}:${file.line}:${file.col}: the file block file=${file.path} was not written: ${error.message}, outside the lesson's working directory. Write the file to a folder of the working directory that is not a link.`,
        );
        continue;
      }
      await writeFile(target, file.content);
      if (file.mode !== undefined) await chmod(target, file.mode);
      paths.push(file.path);
    }
    if (paths.length > 0) this.emit({ type: 'files-written', step, paths });
    return refused;
  }

  /**
   * What the step's commands would create under a name that something not the lesson's already
   * has (the learner's own container, a volume kept from an earlier run): ask before the step.
   */
  async inTheWay(step: Step): Promise<InTheWay[]> {
    // What the previous step just made must be known as the lesson's before names are judged.
    await this.ledger.catchUp({ signal: this.signal });
    return namesInTheWay(
      this.options.engine,
      step.commands.filter((c) => this.runsHere(c)).map((c) => c.script),
      {
        files: lessonFiles(this.options.lesson),
        workdir: this.options.workdir,
        owned: this.ledger.created(),
      },
    );
  }

  /** Removes what is in the way, once the learner said so. */
  async removeInTheWay(items: InTheWay[]): Promise<void> {
    await removeInTheWay(this.options.engine, items);
  }

  /** Whether a command runs in this mode (ci-only commands never run for a learner, and back). */
  runsHere(command: Command): boolean {
    if (command.when === 'ci') return this.options.mode === 'verify';
    if (command.when === 'learner') return this.options.mode === 'learner';
    return true;
  }

  /** Runs one command of a step; background commands are started and kept until `finish`. */
  async runCommand(
    step: Step,
    command: Command,
    opts: { handOff?: boolean } = {},
  ): Promise<CommandRecord> {
    if (command.confirm && this.options.mode === 'learner' && this.options.confirm) {
      if (!(await this.options.confirm(command))) {
        const result: ProcessResult = {
          stdout: '',
          stderr: 'skipped: not confirmed\n',
          exitCode: null,
          timedOut: false,
          aborted: true,
          durationMs: 0,
        };
        return { command, result };
      }
    }
    this.emit({ type: 'command-started', step, command });
    await this.bridge?.beforeCommand();
    const handOff = opts.handOff === true && command.interactive;
    // Handed the terminal, the session is recorded to a file so checks can read its output.
    const record = handOff
      ? join(this.options.workdir, `.docker-lab-session-${Date.now()}.log`)
      : undefined;
    const process = startShell(command.script, {
      cwd: this.options.workdir,
      env: this.env,
      timeoutMs: command.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      signal: this.signal,
      tty: command.interactive,
      inheritStdio: handOff,
      ...(record ? { recordTo: record } : {}),
      ...(command.interactive && !handOff ? { input: command.input ?? '' } : {}),
      onOutput: (chunk, stream) => this.emit({ type: 'output', step, command, stream, chunk }),
    });
    if (command.background) {
      this.background.push({ command, process });
      const result: ProcessResult = {
        stdout: '',
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false,
        durationMs: 0,
      };
      this.emit({ type: 'command-finished', step, command, result });
      return { command, result };
    }
    let result = await process.result;
    if (result.timedOut || result.aborted) this.killedCommand = true;
    if (this.bridge) this.bridgeProblems.push(...(await this.bridge.afterCommand()));
    if (record) {
      const recorded = await readFile(record, 'utf8').catch(() => '');
      await rm(record, { force: true });
      result = { ...result, stdout: recorded.replace(/\r\n/g, '\n') };
    }
    this.outputs.push({
      ...(command.id ? { id: command.id } : {}),
      stdout: result.stdout,
      stderr: result.stderr,
      exitCode: result.exitCode,
    });
    this.emit({ type: 'command-finished', step, command, result });
    return { command, result };
  }

  /**
   * The sentence that ends the step at once when this command failed outright (exit 125, 126,
   * 127) and the author did not say it must: undefined when the checks should decide.
   */
  outright(step: Step, record: CommandRecord, lang: Lang = this.options.lang): string | undefined {
    const failure = outrightFailure(record.result);
    if (!failure) return undefined;
    const runs = step.commands.filter((c) => this.runsHere(c));
    if (authorStatesExit(step, record.command, runs[runs.length - 1] === record.command))
      return undefined;
    return describeOutright(
      failure,
      { file: this.options.lesson.file, line: record.command.line },
      lang,
    );
  }

  /**
   * The context every check of the current step is evaluated in; with `node` (a multi-node
   * lesson's check), on that node's daemon, its ports at the node's address.
   */
  checkContext(node?: string): CheckContext {
    const on =
      node === undefined
        ? this.options.nodes?.[0]
        : this.options.nodes?.find((n) => n.node === node);
    if (node !== undefined && node !== MANAGER_NODE && !on)
      throw new DockerLabError({
        what: `a check looks at node ${node}, which this run does not have`,
        where: this.options.lesson.file,
        fix: ['the lesson says how many nodes it runs on in its front matter: nodes: 3'],
      });
    if (on)
      return {
        docker: on.engine.docker,
        daemonHost: on.address,
        dockerEnv: { ...this.env, DOCKER_HOST: on.engine.endpoint.url },
        workdir: this.options.workdir,
        outputs: this.outputs,
        stepStartedAt: this.stepStartedAt,
        lessonStartedAt: this.lessonStartedAt,
        signal: this.signal,
        lang: this.options.lang,
        ...(this.bridge ? { refresh: () => this.bridge!.refresh() } : {}),
      };
    return {
      docker: this.options.engine.docker,
      daemonHost: this.bridge ? this.bridge.address : this.options.engine.endpoint.daemonHost,
      dockerEnv: this.env,
      workdir: this.options.workdir,
      outputs: this.outputs,
      stepStartedAt: this.stepStartedAt,
      lessonStartedAt: this.lessonStartedAt,
      signal: this.signal,
      lang: this.options.lang,
      ...(this.bridge
        ? {
            refresh: () => this.bridge!.refresh(),
            remote: {
              url: this.options.engine.endpoint.url,
              forwarded: () => this.bridge?.forwardedPorts() ?? [],
            },
          }
        : {}),
    };
  }

  /**
   * Evaluates a step's checks. Before the step each check is tried once (waiting for something
   * that must not have happened yet would only slow verify down); after, with its own waiting.
   */
  async evaluate(step: Step, phase: Phase): Promise<PhaseFinding[]> {
    const findings: PhaseFinding[] = [];
    for (const check of step.checks) {
      const ctx = this.checkContext(check.node);
      const expected = phase === 'after' ? 'pass' : check.before === 'fail' ? 'fail' : check.before;
      const result = await runCheck(phase === 'before' ? { ...check, timeoutMs: 0 } : check, ctx, {
        onWaiting: ({ observation, elapsedMs, timeoutMs }) => {
          const first = observation.mismatches[0];
          this.emit({
            type: 'check-waiting',
            step,
            check,
            subject: observation.subject,
            ...(first ? { found: { field: first.field, actual: first.actual } } : {}),
            elapsedMs,
            timeoutMs,
          });
        },
      });
      // A check that could not be evaluated (daemon gone) is never "as expected".
      const ok =
        result.error === undefined && (expected === 'any' || (expected === 'pass') === result.pass);
      findings.push({ check, result, expected, ok });
      this.emit({ type: 'check-result', step, phase, result, expected });
    }
    return findings;
  }

  /**
   * The environment a learner's own shell gets (practice mode): the lesson's daemon, the docker
   * shim that marks what it creates as the lesson's, the process marker that lets a timeout or
   * Ctrl-C end what it started.
   */
  get commandEnv(): Record<string, string> {
    return { ...this.env };
  }

  get workdir(): string {
    return this.options.workdir;
  }

  /**
   * A command the learner typed in the practice shell: its output is what the step's output
   * checks read. It stands for the step's command it resembles (same first two words), else
   * for the step's last command.
   */
  recordTyped(step: Step, typed: { script: string; output: string; exitCode: number }): void {
    const head = (script: string) => script.trim().split(/\s+/).slice(0, 2).join(' ');
    const commands = step.commands.filter((c) => this.runsHere(c));
    const like =
      commands.find((c) => head(c.script) === head(typed.script)) ?? commands[commands.length - 1];
    this.journal?.typed(step, typed);
    this.outputs.push({
      ...(like?.id ? { id: like.id } : {}),
      stdout: typed.output,
      stderr: '',
      exitCode: typed.exitCode,
    });
  }

  /** What the daemon has under names close to those the failing checks look for. */
  async nearMisses(failing: readonly Check[]): Promise<NearMiss[]> {
    return findNearMisses(failing, this.options.engine.docker, deadline(this.signal));
  }

  /** A container's whole log (stdout and stderr together), for a learner to read in a pager. */
  async containerLog(name: string): Promise<string> {
    const docker = this.options.engine.docker;
    const info = await docker.getContainer(name).inspect({ abortSignal: deadline(this.signal) });
    const lines = await logTail(docker, info.Id, info.Config.Tty, this.signal, WHOLE_LOG_LINES);
    return plainTerminalText(lines.join('\n'));
  }

  /** Grades a learner's (or verify's) answer to a quiz. */
  answerQuiz(step: Step, quiz: Quiz, chosen: number[]): boolean {
    const pass = gradeQuiz(quiz, chosen);
    this.emit({ type: 'quiz-result', step, quiz, pass });
    return pass;
  }

  created(): Resource[] {
    return this.ledger.created();
  }

  /** Background commands, and anything any command left running (a `setsid ... &`), end. */
  private async endProcesses(): Promise<void> {
    for (const { process } of this.background.splice(0)) await process.stop();
    await killMarked(this.runId, false, LESSON_MARKER_VARIABLE);
  }

  /**
   * Ends the lesson: stops background commands, removes exactly what the lesson created, and in
   * verify mode removes the working directory. Safe to call more than once.
   */
  async finish(): Promise<CleanupResult> {
    const cut = this.killedCommand || this.background.length > 0 || this.signal.aborted;
    await this.endProcesses();
    // A docker CLI killed after sending its request leaves the daemon finishing it (a container
    // created a moment later): give that moment before cleanup reads the last events.
    if (cut && !this.watch.lost) await new Promise((resolve) => setTimeout(resolve, 500));
    await this.watch.settled();
    const created = this.ledger.created();
    let result: CleanupResult;
    // Before cleanup: the helper is the run's, and the copy on the daemon host goes with it.
    await this.bridge?.close().catch(() => undefined);
    this.bridge = undefined;
    try {
      if (this.watch.lost) throw this.watch.lost;
      this.emit({ type: 'cleanup-started', resources: created });
      // Cleanup must happen even after Ctrl-C, so it gets its own deadline, not the run's signal.
      result = await this.ledger.cleanup();
    } catch (error) {
      // The daemon is gone: nothing can be removed now. The list stays on disk for the next run.
      const why = (error as Error).message.split('\n')[0]!;
      result = {
        removed: [],
        failed: created.map((resource) => ({ resource, error: why })),
        kept: [],
        restored: [],
      };
    } finally {
      await this.ledger.stop();
      await this.shim?.remove();
    }
    if (result.failed.length === 0) await this.record.discard();
    else await this.record.save(result.failed.map((f) => f.resource));
    if (this.options.mode === 'verify')
      await rm(this.options.workdir, { recursive: true, force: true });
    this.emit({ type: 'cleanup-finished', result });
    await this.journal?.flush();
    return result;
  }

  /**
   * Ends the lesson keeping what it created (the learner said no to cleanup): background
   * commands stop and the ledger stops listening; nothing is removed.
   */
  async abandon(): Promise<void> {
    await this.endProcesses();
    await this.bridge?.close({ keepFiles: true }).catch(() => undefined);
    this.bridge = undefined;
    await this.ledger.stop();
    await this.shim?.remove();
    // Kept on purpose: the learner's now, not leftovers of an interrupted run. Unless the
    // daemon went away: then nothing was chosen, and the next run offers to remove them.
    if (!this.watch.lost) await this.record.discard();
    await this.journal?.flush();
  }

  /** The verify pipeline for one step: files, checks must fail, commands, checks must pass. */
  async verifyStep(step: Step, index: number): Promise<StepReport> {
    const started = Date.now();
    await this.beginStep(step, index);
    this.bridgeProblems = [];
    const problems = await this.writeFiles(step);
    // Another's object under the step's name would make its checks look at the wrong thing (and
    // "unsound" would blame the author): say whose it is and stop before touching it.
    const taken = await this.inTheWay(step);
    if (taken.length > 0) problems.push(describeTaken(step, taken));
    const before = taken.length > 0 ? [] : await this.evaluate(step, 'before');
    const commands: CommandRecord[] = [];
    let endedOutright = false;
    for (const command of step.commands.filter((c) => this.runsHere(c))) {
      if (this.signal.aborted || problems.length > 0) break;
      const record = await this.runCommand(step, command);
      commands.push(record);
      if (record.result.timedOut) {
        problems.push(
          `the command at line ${command.line} was killed after its timeout of ${Math.round((command.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS) / 1000)} s`,
        );
      }
      // Verify reports to authors and CI in one language, whatever the lesson's.
      const outright = this.outright(step, record, 'en');
      if (outright) {
        problems.push(outright);
        endedOutright = true;
        break;
      }
    }
    problems.push(...this.bridgeProblems.splice(0));
    // A command that failed because the daemon went away: let the watch say so, not the checks.
    await this.watch.settled();
    if (this.signal.aborted) problems.push(this.daemonLost ?? 'the run was interrupted');
    const after =
      this.signal.aborted || endedOutright || taken.length > 0
        ? []
        : await this.evaluate(step, 'after');
    const quizzes = step.quizzes.map((quiz) => {
      const answers = Array.isArray(quiz.answer) ? quiz.answer : [quiz.answer];
      const right = this.answerQuiz(step, quiz, answers);
      // A quiz that accepts a wrong answer proves nothing, like a check that passes before its step.
      const wrong = quiz.choices.map((_, i) => i + 1).find((choice) => !answers.includes(choice));
      const sound = wrong === undefined || !gradeQuiz(quiz, [wrong]);
      return {
        id: quiz.id,
        pass: right && sound,
        detail: !right
          ? 'the declared answer is not accepted'
          : !sound
            ? `a wrong answer (${wrong}) is accepted`
            : 'ok',
      };
    });
    const unsound = before.some(
      (f) => !f.ok && f.expected === 'fail' && f.result.error === undefined,
    );
    const failed =
      problems.length > 0 ||
      before.some((f) => !f.ok) ||
      after.some((f) => !f.ok) ||
      quizzes.some((q) => !q.pass);
    const report: StepReport = {
      id: step.id,
      title: step.title,
      status: unsound ? 'unsound' : failed ? 'failed' : 'passed',
      commands,
      before,
      after,
      quizzes,
      durationMs: Date.now() - started,
      problems,
    };
    this.emit({ type: 'step-finished', step, report });
    return report;
  }
}

/** For authors and CI: which names are taken, by what, and what to do. */
function describeTaken(step: Step, taken: InTheWay[]): string {
  const list = taken.map((t) => `${t.type} ${t.name}`).join(', ');
  const fix = taken.map(removalCommand).join('; ');
  return `step "${step.title}" creates names that something not this lesson's already has on this daemon (${list}): it was made before the lesson, or outside it, and is left alone. Remove it if it is not needed (${fix}), then run the lesson again.`;
}

function skippedStep(step: Step): StepReport {
  return {
    id: step.id,
    title: step.title,
    status: 'skipped',
    commands: [],
    before: [],
    after: [],
    quizzes: [],
    durationMs: 0,
    problems: [],
  };
}

/**
 * Verifies a whole lesson: every step in order, stopping at the first step that does not pass
 * (later steps build on it); cleanup always runs, also on failure and on abort.
 */
export async function verifyLesson(options: Omit<LessonRunOptions, 'mode'>): Promise<LessonReport> {
  const started = Date.now();
  const { lesson } = options;
  const base = {
    id: lesson.meta.id,
    lang: lesson.meta.lang,
    file: lesson.file,
    title: lesson.title,
  };
  let run: LessonRun;
  try {
    run = await LessonRun.start({ ...options, mode: 'verify' });
  } catch (error) {
    // The lesson could not begin here (the daemon went away, the helper image is missing): this
    // lesson failed for that reason, and the next one is still tried.
    if (options.signal?.aborted) throw error;
    const report: LessonReport = {
      ...base,
      status: 'failed',
      reason: (error as Error).message,
      // No daemon: no later lesson can begin either.
      ...(error instanceof DockerAccessError ? { daemonLost: true } : {}),
      steps: [],
      durationMs: Date.now() - started,
    };
    options.emit?.({ type: 'lesson-finished', report });
    return report;
  }
  const steps: StepReport[] = [];
  let report: LessonReport | undefined;
  try {
    for (const [index, step] of lesson.steps.entries()) {
      const previous = steps[steps.length - 1];
      if ((previous && previous.status !== 'passed') || options.signal?.aborted) {
        steps.push(skippedStep(step));
        continue;
      }
      try {
        steps.push(await run.verifyStep(step, index));
      } catch (error) {
        // The daemon went away, a file could not be written...: the step failed, for this reason.
        await run.noticeFailure(error);
        const failed: StepReport = {
          ...skippedStep(step),
          status: 'failed',
          problems: [run.daemonLost ?? (error as Error).message],
        };
        steps.push(failed);
        options.emit?.({ type: 'step-finished', step, report: failed });
      }
    }
  } finally {
    const cleanup = await run.finish();
    const lost = run.daemonLost;
    const failed =
      steps.some((s) => s.status === 'failed' || s.status === 'unsound') ||
      cleanup.failed.length > 0;
    report = {
      ...base,
      status: failed ? 'failed' : 'passed',
      steps,
      durationMs: Date.now() - started,
      cleanup,
    };
    if (lost) report = { ...report, status: 'failed', reason: lost, daemonLost: true };
    else if (options.signal?.aborted)
      report = { ...report, status: 'failed', reason: 'interrupted' };
    options.emit?.({ type: 'lesson-finished', report });
  }
  return report;
}
