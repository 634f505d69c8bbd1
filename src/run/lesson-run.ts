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
import { mistakeMade, refusingChecks, type Mistake } from '../checks/mistakes.js';
import { formatFailure } from '../checks/report.js';
import { CREATION_FIELDS } from '../checks/kinds/container.js';
import type { CheckResult } from '../checks/types.js';
import { deadline } from '../docker/deadline.js';
import { logTail } from '../checks/kinds/snapshot.js';
import { plainTerminalText } from '../terminal-text.js';
import { substituteCaptures, substituteDeep } from '../checks/capture.js';
import type { Lang } from '../i18n/lang.js';
import type { CheckContext, CommandOutput, RunCreations } from '../checks/types.js';
import type { Check } from '../checks/schema.js';
import type { Engine } from '../docker/client.js';
import { daemonNow } from '../docker/daemon-time.js';
import { DockerAccessError } from '../docker/errors.js';
import { HELPER_LABEL } from '../docker/helper.js';
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
  MistakeFinding,
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
   * Values captured earlier in this lesson (`capture`), for a lesson resumed at a later step: the
   * TUI keeps them with the learner's progress (docs/lesson-format.md, "Captured values").
   */
  captures?: Readonly<Record<string, string>>;
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
  /** The same in daemon nanoseconds: what `createdBy: step` compares creation events with. */
  private stepStartedNs: bigint;
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
  /** How many times each command was run again by `output` checks with `rerun: true`. */
  private readonly reruns = new Map<Command, number>();
  /** Values passing checks captured (`capture`), by name: `${NAME}` in commands and checks. */
  private readonly captures: Map<string, string>;
  /** What the learner typed in the practice shell since the step began. */
  private typed: string[] = [];

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
    this.stepStartedNs = ledger.since;
    this.captures = new Map(Object.entries(options.captures ?? {}));
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
      onEvent: (event) => {
        // Written down as it happens (made and removed): a run killed before its cleanup
        // leaves the list behind, and nothing it already removed is on it.
        if (started.ledger) void record.save(started.ledger.created());
        // docker-lab's own containers (an image check's never-started probe) change nothing a
        // learner did: re-checking on them would probe again, and again.
        if (event.attributes[HELPER_LABEL] === undefined) options.onDockerEvent?.();
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
    this.typed = [];
    this.currentStep = step;
    this.stepStartedNs = await daemonNow(this.options.engine.docker, this.signal);
    this.stepStartedAt = seconds(this.stepStartedNs);
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

  /** Every value captured so far in this lesson run, by name. */
  get captured(): Record<string, string> {
    return Object.fromEntries(this.captures);
  }

  /** `text` with the values captured in this lesson as `${NAME}`; any other `${VAR}` stays. */
  substitute(text: string): string {
    return substituteCaptures(text, this.captures);
  }

  /**
   * Runs one command of a step; background commands are started and kept until `finish`. Values
   * captured earlier in the lesson are substituted first: the command is shown and run with them.
   */
  async runCommand(
    step: Step,
    written: Command,
    opts: { handOff?: boolean; quiet?: boolean } = {},
  ): Promise<CommandRecord> {
    // The scripted input too: it is typed into the command, with the same values.
    const script = this.substitute(written.script);
    const input = written.input === undefined ? undefined : this.substitute(written.input);
    const command =
      script === written.script && input === written.input
        ? written
        : { ...written, script, ...(input === undefined ? {} : { input }) };
    // A near miss verify tries is not one of the step's commands: no view shows it as one.
    const emit = (event: RunnerEvent) => {
      if (!opts.quiet) this.emit(event);
    };
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
    emit({ type: 'command-started', step, command });
    await this.bridge?.beforeCommand();
    const handOff = opts.handOff === true && command.interactive;
    // Handed the terminal, the session is recorded to a file so checks can read its output.
    const record = handOff
      ? join(this.options.workdir, `.docker-lab-session-${Date.now()}.log`)
      : undefined;
    // What `output` checks read: both streams as they come, and, for a background command,
    // an entry that grows while it runs (checks on it wait until it printed what they expect).
    const seen: CommandOutput = {
      ...(command.id ? { id: command.id } : {}),
      stdout: '',
      stderr: '',
      text: '',
      exitCode: null,
      ...(command.background ? { running: true } : {}),
    };
    const process = startShell(command.script, {
      cwd: this.options.workdir,
      env: this.env,
      timeoutMs: command.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      signal: this.signal,
      tty: command.interactive,
      inheritStdio: handOff,
      ...(record ? { recordTo: record } : {}),
      ...(command.interactive && !handOff ? { input: command.input ?? '' } : {}),
      onOutput: (chunk, stream) => {
        see(seen, chunk, stream);
        emit({ type: 'output', step, command, stream, chunk });
      },
    });
    if (command.background) {
      this.background.push({ command, process });
      this.outputs.push(seen);
      void process.result.then((ended) => {
        seen.running = false;
        seen.exitCode = ended.exitCode;
      });
      const result: ProcessResult = {
        stdout: '',
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false,
        durationMs: 0,
      };
      emit({ type: 'command-finished', step, command, result });
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
      // Recorded from a terminal, everything is one stream.
      text: record ? result.stdout : seen.text,
      exitCode: result.exitCode,
    });
    emit({ type: 'command-finished', step, command, result });
    return { command, result };
  }

  /**
   * Runs a step's command again for an `output` check with `rerun: true` (the one with this id,
   * else the step's last): like runCommand (own process group, the lesson's environment, killed
   * on its timeout, on the check's attempt deadline and on Ctrl-C), announced as a re-run.
   * Interactive and background commands are never run again (lint refuses such checks).
   */
  private async rerun(
    step: Step,
    id: string | undefined,
    signal: AbortSignal,
  ): Promise<CommandOutput | undefined> {
    const runs = step.commands.filter((c) => this.runsHere(c));
    const command = id === undefined ? runs.at(-1) : runs.findLast((c) => c.id === id);
    if (!command || command.interactive || command.background) return undefined;
    const count = (this.reruns.get(command) ?? 0) + 1;
    this.reruns.set(command, count);
    this.emit({ type: 'command-started', step, command, rerun: count });
    await this.bridge?.beforeCommand();
    const seen: CommandOutput = { stdout: '', stderr: '', text: '', exitCode: null };
    // Run with the values captured so far, as the step's own run was.
    const result = await startShell(this.substitute(command.script), {
      cwd: this.options.workdir,
      env: this.env,
      timeoutMs: command.timeoutMs ?? this.options.defaultTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      signal: AbortSignal.any([this.signal, signal]),
      onOutput: (chunk, stream) => {
        see(seen, chunk, stream);
        this.emit({ type: 'output', step, command, stream, chunk });
      },
    }).result;
    if (result.timedOut || result.aborted) this.killedCommand = true;
    if (this.bridge) this.bridgeProblems.push(...(await this.bridge.afterCommand()));
    const output: CommandOutput = {
      ...(command.id ? { id: command.id } : {}),
      stdout: result.stdout,
      stderr: result.stderr,
      text: seen.text,
      exitCode: result.exitCode,
    };
    this.outputs.push(output);
    this.emit({ type: 'command-finished', step, command, result, rerun: count });
    return output;
  }

  /**
   * The sentence that ends the step at once when this command failed outright (exit 125, 126,
   * 127) and the author did not say it must: undefined when the checks should decide.
   */
  outright(step: Step, record: CommandRecord, lang: Lang = this.options.lang): string | undefined {
    const failure = outrightFailure(record.result);
    if (!failure) return undefined;
    const runs = step.commands.filter((c) => this.runsHere(c));
    // By line: the record's command carries captured values, the step's is as written.
    const last = runs[runs.length - 1]?.line === record.command.line;
    if (authorStatesExit(step, record.command, last)) return undefined;
    return describeOutright(
      failure,
      { file: this.options.lesson.file, line: record.command.line },
      lang,
    );
  }

  /** The ledger's view for `createdBy` checks: ids created since the lesson or the step began. */
  private creations(): RunCreations {
    const stepSince = this.stepStartedNs;
    return {
      ids: async (type, scope, signal) => {
        await this.ledger.catchUp({ signal });
        const since = scope === 'step' ? stepSince : this.ledger.since;
        return new Set(
          this.ledger
            .createdTimed()
            .filter((r) => r.type === type && r.at >= since)
            .map((r) => r.id),
        );
      },
    };
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
    // What every check context has; a node's check reads that node's daemon, at its address.
    const shared = {
      workdir: this.options.workdir,
      outputs: this.outputs,
      stepStartedAt: this.stepStartedAt,
      lessonStartedAt: this.lessonStartedAt,
      signal: this.signal,
      lang: this.options.lang,
    };
    if (on)
      return {
        ...shared,
        docker: on.engine.docker,
        daemonHost: on.address,
        dockerEnv: { ...this.env, DOCKER_HOST: on.engine.endpoint.url },
        // The run's ledger watches the daemon the lesson runs on (the manager): only there does
        // it know what the lesson created.
        ...(on.engine === this.options.engine ? { created: this.creations() } : {}),
        ...(this.bridge ? { refresh: () => this.bridge!.refresh() } : {}),
      };
    return {
      ...shared,
      docker: this.options.engine.docker,
      daemonHost: this.bridge ? this.bridge.address : this.options.engine.endpoint.daemonHost,
      dockerEnv: this.env,
      created: this.creations(),
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
    for (const written of step.checks) {
      // Every string of the check with the values captured so far (an earlier check of this step
      // included), as the lesson format says.
      const check = substituteDeep(written, this.captures);
      const ctx: CheckContext = {
        ...this.checkContext(check.node),
        rerun: (id, signal) => this.rerun(step, id, signal),
      };
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
      // Kept only from the checks that follow the step's commands: before them nothing is made.
      if (phase === 'after' && result.pass && result.captured) {
        for (const [name, value] of Object.entries(result.captured)) this.captures.set(name, value);
        this.emit({ type: 'values-captured', step, values: result.captured, all: this.captured });
      }
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
    this.typed.push(typed.script);
    this.outputs.push({
      ...(like?.id ? { id: like.id } : {}),
      text: typed.output,
      stdout: typed.output,
      stderr: '',
      exitCode: typed.exitCode,
    });
  }

  /**
   * The step's known mistake the learner made that `check` refuses: one of the commands typed
   * in the practice shell since the step began is one of its near misses (blanks normalised).
   */
  mistakeFor(step: Step, check: Check): string | undefined {
    return mistakeMade(step.mistakes, this.typed, check.id)?.mistake;
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

  /**
   * verify's proof that the step's checks are strict: each near miss (`yaml near-miss`) is run
   * like a command of the step, the checks it names must refuse it, the report a learner would
   * read must say its sentence, and what it made is removed (by identity, from the ledger) so the
   * step itself starts as if it had not been tried.
   *
   * Waiting: each check is first looked at once; a refusal that cannot change by itself (a
   * terminal state, a setting fixed at creation, a finished command's output) proves it at once.
   * Otherwise the checks wait in order as in the step (their timeouts, or the near miss's `wait`
   * when shorter), and the first that fails proves it.
   */
  async tryMistakes(step: Step): Promise<MistakeFinding[]> {
    const findings: MistakeFinding[] = [];
    for (const mistake of step.mistakes) {
      if (this.signal.aborted) break;
      const finding = await this.tryMistake(step, mistake);
      findings.push(finding);
      this.emit({ type: 'mistake-tried', step, finding });
    }
    // The step itself: its own output and `logs` windows, after every near miss.
    this.outputs = [];
    this.stepStartedAt = seconds(await daemonNow(this.options.engine.docker, this.signal));
    return findings;
  }

  private async tryMistake(step: Step, mistake: Mistake): Promise<MistakeFinding> {
    const started = Date.now();
    const problems: string[] = [];
    const at = `the near miss at line ${mistake.line}`;
    const mark = await this.ledger.mark({ signal: this.signal });
    this.outputs = [];
    const command: Command = {
      script: mistake.command,
      mode: 'run',
      interactive: false,
      background: false,
      confirm: false,
      fromSolution: false,
      line: mistake.line,
      col: mistake.col,
    };
    const { result: run } = await this.runCommand(step, command, { quiet: true });
    if (run.timedOut) problems.push(`${at} was killed after the command timeout`);
    const ctx = this.checkContext();
    const checks = refusingChecks(mistake, step.checks);
    const passed = new Set<string>();
    let refusal: { result: CheckResult; settled: boolean } | undefined;
    let spentMs = 0;
    // One look each: a refusal that cannot change by itself needs no waiting.
    for (const check of checks) {
      const result = await runCheck({ ...check, timeoutMs: 0 }, ctx);
      spentMs += result.elapsedMs;
      if (!result.pass && result.error === undefined && settled(result)) {
        refusal = { result, settled: true };
        break;
      }
    }
    // Then as the step waits (or as long as the near miss allows), in order.
    if (!refusal) {
      for (const check of checks) {
        const timeoutMs = Math.min(check.timeoutMs, mistake.waitMs ?? check.timeoutMs);
        const result = await runCheck({ ...check, timeoutMs }, ctx);
        spentMs += result.elapsedMs;
        if (result.error !== undefined) {
          problems.push(`${at}: check "${check.id}" could not be evaluated: ${result.error}`);
          break;
        }
        if (result.pass) passed.add(check.id);
        else {
          refusal = { result, settled: settled(result) };
          break;
        }
      }
    }
    let learnerReport: string | undefined;
    if (refusal) {
      // The report a learner who typed this command reads, in the lesson's language.
      learnerReport = formatFailure(refusal.result, {
        lang: this.options.lang,
        learner: {
          mistake: (check) => mistakeMade(step.mistakes, [mistake.command], check.id)?.mistake,
        },
      });
      if (!learnerReport.includes(mistake.mistake))
        problems.push(
          `${at}: the report a learner reads for check "${refusal.result.check.id}" does not say the mistake ("${mistake.mistake}")`,
        );
    } else if (problems.length === 0) {
      const ids = checks.map((c) => c.id);
      problems.push(
        `${ids.length === 1 ? `check "${ids[0]}" is` : `checks ${ids.map((id) => `"${id}"`).join(', ')} are`} not strict: the mistake at line ${mistake.line} passes (${mistake.mistake}): ${mistake.command}. Make a check look at what the mistake gets wrong, or name in "fails" the checks that should refuse it.`,
      );
    }
    // What the near miss made goes, and nothing else: the step starts from a clean slate.
    const undone = await this.ledger.undo(mark, { signal: this.signal });
    for (const failure of undone.failed)
      problems.push(
        `${at}: could not remove the ${failure.resource.type} ${failure.resource.name} it made: ${failure.error}`,
      );
    return {
      command: mistake.command,
      mistake: mistake.mistake,
      line: mistake.line,
      proven: refusal !== undefined && problems.length === 0,
      ...(refusal
        ? {
            refusedBy: {
              id: refusal.result.check.id,
              settled: refusal.settled,
              elapsedMs: Math.round(spentMs),
            },
          }
        : {}),
      passed: [...passed],
      ...(learnerReport !== undefined ? { learnerReport } : {}),
      exitCode: run.exitCode,
      durationMs: Date.now() - started,
      problems,
    };
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
    const mistakes =
      problems.length > 0 || step.mistakes.length === 0 ? [] : await this.tryMistakes(step);
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
    // A near miss not proven fails the step, after the step itself has run as it would.
    for (const finding of mistakes) problems.push(...finding.problems);
    // A command that failed because the daemon went away: let the watch say so, not the checks.
    await this.watch.settled();
    if (this.signal.aborted) problems.push(this.daemonLost ?? 'the run was interrupted');
    const after =
      this.signal.aborted || endedOutright || taken.length > 0
        ? []
        : await this.evaluate(step, 'after');
    problems.push(...waitedTooLittle(mistakes, after));
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
      ...(mistakes.length > 0 ? { mistakes } : {}),
    };
    this.emit({ type: 'step-finished', step, report });
    return report;
  }
}

/** Adds a chunk a command printed to what `output` checks will read of it. */
function see(output: CommandOutput, chunk: string, stream: 'stdout' | 'stderr'): void {
  output[stream] = kept(output[stream] + chunk);
  output.text = kept((output.text ?? '') + chunk);
}

/** Like process.ts keeps a command's output: the last 16 MiB of a runaway one. */
const KEPT_CHARS = 16 * 1024 * 1024;
function kept(text: string): string {
  return text.length > KEPT_CHARS ? text.slice(text.length - KEPT_CHARS) : text;
}

/**
 * A refusal that waiting could not change: the container stopped for good, a setting fixed when
 * it was created is wrong, or a finished command's output.
 */
function settled(result: CheckResult): boolean {
  const { observation } = result;
  return (
    observation.terminal !== undefined ||
    observation.mismatches.some((m) => CREATION_FIELDS.has(m.field))
  );
}

/**
 * A near miss refused only because its check stopped waiting before the step's own commands made
 * that check pass proves nothing: the right command would have been refused too. Compared in
 * time since the commands ended, checks in order, as both were evaluated.
 */
function waitedTooLittle(
  mistakes: readonly MistakeFinding[],
  after: readonly PhaseFinding[],
): string[] {
  const problems: string[] = [];
  for (const finding of mistakes) {
    const refused = finding.refusedBy;
    if (!refused || refused.settled) continue;
    let sum = 0;
    for (const f of after) {
      sum += f.result.elapsedMs;
      if (f.check.id !== refused.id) continue;
      if (f.result.pass && sum > refused.elapsedMs + 500) {
        finding.proven = false;
        finding.problems.push(
          `the near miss at line ${finding.line} was refused by check "${refused.id}" after ${Math.round(refused.elapsedMs / 100) / 10} s of waiting, but the step itself needed ${Math.round(sum / 100) / 10} s for it to pass: that refusal proves nothing. Give the near miss a longer "wait" (or none), or a check that refuses it for what it gets wrong.`,
        );
        problems.push(finding.problems.at(-1)!);
      }
      break;
    }
  }
  return problems;
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
