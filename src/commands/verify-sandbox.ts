/**
 * `verify --sandbox [--jobs N]`: every lesson in a throwaway Docker daemon of its own
 * (sandbox/sandbox.ts), N at a time. The learner's daemon only hosts the sandboxes: before the
 * run, sandboxes that killed runs left are removed (by label, owner pid gone); each lesson's
 * sandbox is removed when the lesson ends, whatever way it ends.
 *
 * Lessons publish fixed ports (8080, 3306). In a sandbox they are the sandbox's own, but the
 * bridge brings them to this machine's loopback, where two sandboxes would collide: with more
 * than one job, each sandbox gets an address of its own in 127.0.0.0/8 (127.0.0.2, .3, ...),
 * and ${DAEMON_HOST} says it to the lesson's checks.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { connectFromEnv } from '../docker/client.js';
import { catalogEntry } from '../images/catalog.js';
import type { SandboxEngine } from '../images/sandbox-image.js';
import { missingImages } from '../images/status.js';
import type { Lesson } from '../lesson/schema.js';
import type { SelectedLesson } from '../lesson/select.js';
import { formatDiagnostic, styleFor } from '../report/diagnostics.js';
import { createJobsOutput } from '../report/verify-jobs.js';
import type { VerifiedLesson } from '../report/verify-files.js';
import { lessonForThisMachine } from '../run/compose-flavor.js';
import type { LessonReport, RunnerEvent } from '../run/events.js';
import { verifyLesson, type LessonRunOptions } from '../run/lesson-run.js';
import { WarmSlot } from '../sandbox/pool.js';
import { chooseEngine, imagesForSandbox, Sandbox, sweepSandboxes } from '../sandbox/sandbox.js';
import {
  expectedMs,
  nextFor,
  readDurations,
  rememberDurations,
  startOrder,
  type Durations,
} from '../sandbox/schedule.js';
import type { CommandIO } from './types.js';

/** One lesson per CPU, and at most one per 2 GiB of memory (a sandbox with MySQL takes ~1 GiB). */
export function defaultJobs(
  cpus: number = availableParallelism(),
  memoryBytes: number = totalmem(),
): number {
  return Math.max(1, Math.min(cpus, Math.floor(memoryBytes / 2 ** 31)));
}

/**
 * A lesson whose images are not on the daemon cannot be proven here, which is not the same as
 * passing: skipped, with which image and how to get it; failed with --require-images. (The one
 * rule for verify, on the learner's daemon and in a sandbox.)
 */
export function missingImagesReport(
  lesson: Lesson,
  missing: readonly string[],
  required: boolean,
): LessonReport {
  const how = missing.map((ref) =>
    catalogEntry(ref)?.kind === 'online-only'
      ? `${ref} has no offline stand-in: "docker-lab images pull", or "docker-lab images import" a bundle`
      : catalogEntry(ref)
        ? `${ref}: "docker-lab images pull", or offline "docker-lab images build-standins"`
        : `${ref} is not a course image: docker pull or docker build it`,
  );
  return {
    id: lesson.meta.id,
    lang: lesson.meta.lang,
    file: lesson.file,
    title: lesson.title,
    status: required ? 'failed' : 'skipped',
    reason: `image${missing.length === 1 ? '' : 's'} not on the daemon${required ? ' (--require-images)' : ''}: ${how.join('; ')}`,
    steps: [],
    durationMs: 0,
  };
}

/** The report of a lesson file that does not parse (its diagnostics were printed). */
export function unparsedReport(shown: string): LessonReport {
  return {
    id: shown,
    lang: '',
    file: shown,
    title: shown,
    status: 'failed',
    reason: 'the lesson does not parse (see above)',
    steps: [],
    durationMs: 0,
  };
}

/**
 * Verifies a lesson, and again after a failure, up to `retries` more times (each attempt cleans
 * up what it made, so the next starts as the first did); a later pass is flaky. The one attempt
 * loop of verify, on this daemon and in a sandbox. `run` is how the lesson is run (daemon,
 * environment, nodes), `print` gets its events, each verdict with the attempt it was.
 */
export async function verifyWithRetries(
  lesson: Lesson,
  retries: number,
  print: (event: RunnerEvent) => void,
  run: Omit<LessonRunOptions, 'mode' | 'lesson' | 'workdir' | 'lang' | 'emit'>,
): Promise<VerifiedLesson> {
  const maxAttempts = retries + 1;
  const earlier: LessonReport[] = [];
  const runnable = await lessonForThisMachine(lesson, run.baseEnv ?? {});
  for (let number = 1; ; number++) {
    const workdir = await mkdtemp(join(tmpdir(), `docker-lab-${lesson.meta.id}-`));
    const report = await verifyLesson({
      ...run,
      lesson: runnable,
      workdir,
      lang: lesson.meta.lang,
      emit: (event) => {
        if (event.type !== 'lesson-finished') print(event);
      },
    });
    print({ type: 'lesson-finished', report, attempt: { number, of: maxAttempts } });
    const again =
      report.status === 'failed' &&
      number < maxAttempts &&
      !report.daemonLost &&
      !run.signal?.aborted;
    if (!again) return { report, earlier, maxAttempts, lesson };
    earlier.push(report);
  }
}

/** Whether this machine can listen on `address` (every 127.x on Linux; only 127.0.0.1 on macOS). */
function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

export interface SandboxRunOptions {
  io: CommandIO;
  engine: SandboxEngine | undefined;
  jobs: number;
  bail: boolean;
  /** How many more times a failed lesson runs (in its sandbox); a later pass is flaky. */
  retries: number;
  requireImages: boolean;
  write: (text: string) => void;
  printerFor: (write: (text: string) => void) => (event: RunnerEvent) => void;
  tty: boolean;
  defaultTimeoutMs?: number;
}

export async function verifyInSandboxes(
  selected: SelectedLesson[],
  options: SandboxRunOptions,
): Promise<VerifiedLesson[]> {
  const { io } = options;
  const signal = io.signal;
  // Not tied to Ctrl-C: the sandboxes are removed through it after the signal.
  const outer = await connectFromEnv(io.env);
  const which = await chooseEngine(outer, options.engine);
  for (const id of await sweepSandboxes(outer))
    options.write(`removed sandbox ${id}, left by a docker-lab run that was killed\n`);

  let jobs = Math.min(options.jobs, Math.max(1, selected.length));
  if (jobs > 1 && !(await canBind('127.0.0.2'))) {
    options.write(
      `this machine has no loopback address but 127.0.0.1 (macOS): lessons run one at a time\n`,
    );
    jobs = 1;
  }
  const output = createJobsOutput({
    write: options.write,
    tty: options.tty && jobs > 1,
    printerFor: options.printerFor,
  });
  const results: (VerifiedLesson | undefined)[] = new Array(selected.length);
  // The longest lessons first, by how long they took here last time (sandbox/schedule.ts).
  const lessons = selected.map((s) => s.lesson);
  const length = expectedMs(lessons, await readDurations(io.env));
  const waiting = startOrder(length, jobs);
  const measured: Durations = {};
  let stop = false;
  const style = styleFor(io.stdout, io.env);
  const removals: Promise<void>[] = [];
  const runStarted = Date.now();
  // DOCKER_LAB_SANDBOX_TRACE=1: a line on stderr for each sandbox not reused, and why, and for
  // each lesson its slot, when it started, and how long its sandbox and the lesson took.
  const trace = (line: string): void => {
    if (io.env.DOCKER_LAB_SANDBOX_TRACE) io.stderr.write(`${line}\n`);
  };
  // One warm sandbox per job slot (sandbox/pool.ts): removing one full of image layers takes
  // seconds, so the next lesson does not wait for it; the run does, before it ends.
  const slots = Array.from(
    { length: jobs },
    (_, slot) =>
      new WarmSlot<Sandbox>({
        start: (images) =>
          Sandbox.start({
            outer,
            engine: which,
            purpose: 'verify',
            images,
            loopback: jobs > 1 ? `127.0.0.${slot + 2}` : '127.0.0.1',
            ...(signal ? { signal } : {}),
          }),
        lacking: (box, refs) => missingImages(box.daemon, refs),
        discard: (box) => {
          removals.push(box.remove());
        },
        ...(signal ? { signal } : {}),
      }),
  );

  const runOne = async (index: number, slotIndex: number): Promise<VerifiedLesson> => {
    const { source, lesson, diagnostics } = selected[index]!;
    const emit = output.emitFor(
      index,
      lesson ? `${lesson.meta.lang}/${lesson.meta.id}` : source.shown,
    );
    if (!lesson) {
      for (const d of diagnostics) options.write(`${formatDiagnostic(d, style)}\n`);
      const report = unparsedReport(source.shown);
      emit({ type: 'lesson-finished', report });
      return { report, earlier: [], maxAttempts: 1 };
    }
    const slot = slots[slotIndex]!;
    const nodes = lesson.meta.nodes ?? 1;
    output.status(
      index,
      nodes > 1
        ? `starting a Docker ${which} sandbox of ${nodes} nodes`
        : `starting a Docker ${which} sandbox`,
    );
    const images = imagesForSandbox([lesson]);
    const began = Date.now();
    // A lesson of several nodes gets a cluster of its own, never kept: the slots' sandboxes have
    // one node, and a swarm's nodes are not worth proving clean.
    const sandbox =
      nodes > 1
        ? await Sandbox.start({
            outer,
            engine: which,
            nodes,
            purpose: lesson.meta.id,
            images,
            loopback: jobs > 1 ? `127.0.0.${slotIndex + 2}` : '127.0.0.1',
            ...(signal ? { signal } : {}),
          })
        : await slot.acquire(images);
    const ready = Date.now();
    // Reused only when the lesson ended cleanly and left nothing (sandbox/pool.ts).
    let clean = false;
    try {
      const inner = sandbox.primary.engine;
      const missing = await missingImages(inner, lesson.meta.images ?? []);
      if (missing.length > 0) {
        const report = missingImagesReport(lesson, missing, options.requireImages);
        emit({ type: 'lesson-finished', report });
        clean = true;
        return { report, earlier: [], maxAttempts: 1, lesson };
      }
      const result = await verifyWithRetries(lesson, options.retries, emit, {
        engine: inner,
        baseEnv: { ...io.env, ...sandbox.nodeEnv() },
        loopback: sandbox.loopback,
        ...(nodes > 1
          ? {
              nodes: sandbox.nodes.map((n) => ({
                node: n.node,
                engine: n.engine,
                address: n.address,
              })),
            }
          : {}),
        ...(signal ? { signal } : {}),
        ...(options.defaultTimeoutMs ? { defaultTimeoutMs: options.defaultTimeoutMs } : {}),
      });
      const { report } = result;
      if (report.status === 'passed') measured[lesson.meta.id] = report.durationMs;
      clean =
        report.status !== 'failed' &&
        !report.daemonLost &&
        !signal?.aborted &&
        (report.cleanup?.failed ?? []).length === 0;
      return result;
    } finally {
      trace(
        `slot ${slotIndex + 1}: ${lesson.meta.id} at ${((began - runStarted) / 1000).toFixed(1)} s: sandbox ready in ${((ready - began) / 1000).toFixed(1)} s, lesson ${((Date.now() - ready) / 1000).toFixed(1)} s`,
      );
      if (nodes > 1) removals.push(sandbox.remove());
      else {
        const released = await slot.release({ clean });
        if (!released.kept) trace(`sandbox of ${lesson.meta.id} not reused: ${released.why}`);
      }
    }
  };

  const worker = async (slot: number): Promise<void> => {
    while (!stop && !signal?.aborted && waiting.length > 0) {
      // With one job, strictly in order; with several, a slot may take a lesson whose images
      // its sandbox holds before a longer one (sandbox/schedule.ts).
      const at =
        jobs > 1
          ? nextFor(waiting, length, (i) =>
              slots[slot]!.holds(imagesForSandbox(lessons[i] ? [lessons[i]] : [])),
            )
          : 0;
      const index = waiting.splice(at, 1)[0]!;
      try {
        const result = await runOne(index, slot);
        results[index] = result;
        const { report } = result;
        if (options.bail && report.status === 'failed') stop = true;
        if (report.daemonLost) stop = true;
      } finally {
        output.finish(index);
      }
    }
    // Nothing left for this slot: its sandbox goes now, beside the other slots' last lessons,
    // rather than after them.
    slots[slot]!.close();
  };
  try {
    await Promise.all(Array.from({ length: jobs }, (_, slot) => worker(slot)));
  } finally {
    output.close();
    for (const slot of slots) slot.close();
    trace(
      `sandboxes started: ${slots.reduce((n, s) => n + s.started, 0)}, reused: ${slots.reduce((n, s) => n + s.reused, 0)}`,
    );
    await Promise.allSettled(removals);
    // Only an order depends on it: a cache folder that cannot be written costs nothing else.
    await rememberDurations(io.env, measured).catch(() => undefined);
  }
  return results.filter((r): r is VerifiedLesson => r !== undefined);
}
