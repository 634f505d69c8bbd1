import { writeFile } from 'node:fs/promises';
import { connectFromEnv, type Engine } from '../docker/client.js';
import { missingImages } from '../images/status.js';
import { courseDir } from '../lesson/course.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { inShard, parseShard, selectLessons } from '../lesson/select.js';
import { formatDiagnostic, styleFor } from '../report/diagnostics.js';
import { createLivePrinter, formatVerifySummary } from '../report/verify-live.js';
import { isFlaky, verifyJson, verifyJunit, type VerifiedLesson } from '../report/verify-files.js';
import { acquireDaemonLock, type DaemonLock } from '../run/daemon-lock.js';
import type { LessonReport } from '../run/events.js';
import { parseCommandArgs } from './args.js';
import { isSandboxEngine, SANDBOX_ENGINES, type SandboxEngine } from '../images/sandbox-image.js';
import {
  defaultJobs,
  missingImagesReport,
  unparsedReport,
  verifyInSandboxes,
  verifyWithRetries,
} from './verify-sandbox.js';
import { UsageError, type CommandMain } from './types.js';

const REPORTERS = ['pretty', 'plain', 'json', 'junit'] as const;
type Reporter = (typeof REPORTERS)[number];

const HELP = `Usage: docker-lab verify [paths|lesson ids...] [options]

Runs lessons non-interactively against the Docker daemon and proves each step: its checks must
fail before the step runs and pass after it. Everything a lesson creates is removed at its end;
nothing that existed before is touched. With no arguments, verifies the bundled course.

Options:
  --lang en|zh-CN          only lessons in this language
  --bail                   stop after the first lesson that fails
  --shard i/n              run only the i-th of n stable shards (for CI matrices)
  --reporter NAME          pretty (default on a terminal), plain, json or junit
  --output FILE            write the json or junit report to FILE (progress still prints)
  --timeout DURATION       default command timeout, like 2m (a lesson's own timeout wins)
  --retries N              run a lesson that failed up to N more times; a later pass is
                           reported as flaky (and counts as passed)
  --require-images         a lesson whose images are not on the daemon fails (by default it
                           is skipped, with the reason)
  --watch                  verify the lessons named again each time one of them, its twin or
                           a file it names in its folder is saved; Ctrl-C ends
  --sandbox                run each lesson in a throwaway Docker daemon of its own, in a
                           container on this one (which is left as it was); a lesson
                           of several nodes (front matter nodes: 3) always runs so
  --engine 20.10|26.1      the sandbox's Docker Engine (default 26.1 if built, else 20.10;
                           docker-lab images build-sandbox builds them)
  --jobs N                 with --sandbox: N lessons side by side (default: one per CPU, at
                           most one per 2 GiB of memory)

Exit code: 0 when no lesson failed (skipped lessons do not fail a run), 1 when one failed,
2 on a usage error.`;

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    {
      lang: { type: 'string' },
      bail: { type: 'boolean' },
      shard: { type: 'string' },
      reporter: { type: 'string' },
      output: { type: 'string' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      'require-images': { type: 'boolean' },
      watch: { type: 'boolean' },
      sandbox: { type: 'boolean' },
      engine: { type: 'string' },
      jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (v.lang !== undefined && !(LANGUAGES as readonly string[]).includes(v.lang)) {
    throw new UsageError(`--lang is ${LANGUAGES.join(' or ')}, not "${v.lang}"`);
  }
  const reporter = (v.reporter ?? (io.stdout.isTTY ? 'pretty' : 'plain')) as Reporter;
  if (!REPORTERS.includes(reporter))
    throw new UsageError(`--reporter is one of ${REPORTERS.join(', ')}, not "${reporter}"`);
  const shard = v.shard ? parseShard(v.shard) : undefined;
  let defaultTimeoutMs: number | undefined;
  if (v.timeout) {
    const { DURATION_PATTERN, durationMs } = await import('../checks/schema.js');
    if (!DURATION_PATTERN.test(v.timeout))
      throw new UsageError(`--timeout takes a duration like 30s or 2m, not "${v.timeout}"`);
    defaultTimeoutMs = durationMs(v.timeout);
  }
  let retries = 0;
  if (v.retries !== undefined) {
    if (!/^\d+$/.test(v.retries) || Number(v.retries) > 10)
      throw new UsageError(
        `--retries takes how many more times a failed lesson runs, 0 to 10, like --retries 2, not "${v.retries}"`,
      );
    retries = Number(v.retries);
  }
  // --engine also chooses the sandboxes of multi-node lessons, which need no --sandbox.
  if (!v.sandbox && v.jobs !== undefined)
    throw new UsageError(
      `--jobs needs --sandbox: lessons run side by side only in daemons of their own`,
    );
  if (v.engine !== undefined && !isSandboxEngine(v.engine))
    throw new UsageError(`--engine is ${SANDBOX_ENGINES.join(' or ')}, not "${v.engine}"`);
  if (v.jobs !== undefined && !/^[1-9]\d*$/.test(v.jobs))
    throw new UsageError(`--jobs takes a number of lessons, like 4, not "${v.jobs}"`);

  if (v.watch && parsed.positionals.length === 0)
    throw new UsageError(
      '--watch takes the lesson files to watch, like: docker-lab verify --watch lessons/en/my-lesson.md',
    );

  const select = async () => {
    const found = await selectLessons(parsed.positionals, {
      cwd: io.cwd,
      courseDir: courseDir(io.env),
      ...(v.lang ? { lang: v.lang as Lang } : {}),
    });
    if (found.length === 0) {
      const where =
        parsed.positionals.length > 0 ? parsed.positionals.join(', ') : courseDir(io.env);
      throw new UsageError(
        `${where} holds no lesson files (*.md${v.lang ? ` in ${v.lang}` : ''}): a lesson is a Markdown file that starts with --- front matter; name lesson files or a folder that has some (the format: docs/lesson-format.md)`,
      );
    }
    return found.filter(
      (s) =>
        !shard ||
        inShard(s.lesson ? `${s.lesson.meta.lang}/${s.lesson.meta.id}` : s.source.shown, shard),
    );
  };

  // Data reporters own stdout unless they write to a file; progress then goes to stderr.
  const dataToStdout = (reporter === 'json' || reporter === 'junit') && !v.output;
  const progressStream = dataToStdout ? io.stderr : io.stdout;
  const style = styleFor(progressStream, io.env);
  const print = createLivePrinter({
    write: (t) => progressStream.write(t),
    style,
    plain: reporter !== 'pretty',
  });

  const ctx: VerifyContext = {
    io,
    print,
    say: (line) => progressStream.write(`${line}\n`),
    bail: Boolean(v.bail),
    retries,
    requireImages: Boolean(v['require-images']),
    ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}),
  };
  const inSandboxes = async (selected: Selected[]): Promise<VerifiedLesson[]> =>
    verifyInSandboxes(selected, {
      io,
      engine: v.engine as SandboxEngine | undefined,
      jobs: v.jobs ? Number(v.jobs) : v.sandbox ? defaultJobs() : 1,
      bail: Boolean(v.bail),
      retries,
      requireImages: Boolean(v['require-images']),
      write: (t) => progressStream.write(t),
      printerFor: (write) => createLivePrinter({ write, style, plain: reporter !== 'pretty' }),
      tty: reporter === 'pretty' && Boolean((progressStream as { isTTY?: boolean }).isTTY),
      ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}),
    });

  /**
   * The multi-node lessons, in sandboxes of their own even without --sandbox (a swarm needs
   * daemons of its own); on a daemon without a sandbox image (a fresh CI daemon) they cannot be
   * proven here, which is not the same as failing: skipped, with how.
   */
  const inClusters = async (clusters: Selected[]): Promise<VerifiedLesson[]> => {
    if (clusters.length === 0) return [];
    const { chooseEngine, SandboxImageMissing } = await import('../sandbox/sandbox.js');
    const outer = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
    try {
      await chooseEngine(outer, v.engine as SandboxEngine | undefined);
    } catch (error) {
      if (!(error instanceof SandboxImageMissing)) throw error;
      return clusters.map(({ lesson }) => {
        const report: LessonReport = {
          id: lesson!.meta.id,
          lang: lesson!.meta.lang,
          file: lesson!.file,
          title: lesson!.title,
          // Like a missing course image: skipped, or failed with --require-images.
          status: ctx.requireImages ? 'failed' : 'skipped',
          reason: `runs on ${lesson!.meta.nodes} nodes, only in a sandbox, and ${error.what} (docker-lab images build-sandbox builds it)`,
          steps: [],
          durationMs: 0,
        };
        print({ type: 'lesson-finished', report });
        return { report, earlier: [], maxAttempts: 1, lesson: lesson! };
      });
    }
    return inSandboxes(clusters);
  };

  /** Lessons of one node on this daemon, then those of several in sandboxes. */
  const here = async (selected: Selected[]): Promise<VerifiedLesson[]> => {
    const clusters = selected.filter((s) => (s.lesson?.meta.nodes ?? 1) > 1);
    for (const s of clusters)
      ctx.say(
        `${s.lesson!.meta.lang}/${s.lesson!.meta.id} runs on ${s.lesson!.meta.nodes} nodes: in a sandbox of its own (docker-lab images build-sandbox makes its image)`,
      );
    const results = await verifySelected(
      selected.filter((s) => !clusters.includes(s)),
      ctx,
    );
    const stopped =
      io.signal?.aborted ||
      results.some((r) => r.report.daemonLost) ||
      (ctx.bail && results.some((r) => r.report.status === 'failed'));
    return stopped ? results : [...results, ...(await inClusters(clusters))];
  };

  const once = async (): Promise<number> => {
    const selected = await select();
    const results = v.sandbox ? await inSandboxes(selected) : await here(selected);
    if (reporter === 'json' || reporter === 'junit') {
      const text = reporter === 'json' ? verifyJson(results) : verifyJunit(results);
      if (v.output) await writeFile(v.output, text);
      else io.stdout.write(text);
    }
    const reports = results.map((r) => r.report);
    progressStream.write(`${formatVerifySummary(reports, results.filter(isFlaky).length)}\n`);
    // Skipped lessons (an image not on the daemon) do not fail a run; --require-images makes
    // them failures. A flaky pass is a pass.
    return reports.some((r) => r.status === 'failed') ? 1 : 0;
  };

  if (!v.watch) return once();
  const { watchLessons } = await import('./verify-watch.js');
  return watchLessons({
    io,
    write: (text) => progressStream.write(text),
    style,
    clear: Boolean(progressStream.isTTY) && reporter === 'pretty',
    files: async () => (await select()).map((s) => ({ path: s.source.path, text: s.source.text })),
    run: once,
  });
};

interface VerifyContext {
  io: Parameters<CommandMain>[1];
  print: ReturnType<typeof createLivePrinter>;
  say: (line: string) => void;
  bail: boolean;
  retries: number;
  requireImages: boolean;
  defaultTimeoutMs?: number;
}

type Selected = Awaited<ReturnType<typeof selectLessons>>[number];

/**
 * Verifies the lessons one after another on one daemon, under its lock (taken for this run
 * only: a watching author does not hold other runs back while editing).
 */
async function verifySelected(
  selected: readonly Selected[],
  ctx: VerifyContext,
): Promise<VerifiedLesson[]> {
  const { io, print } = ctx;
  const results: VerifiedLesson[] = [];
  let engine: Engine | undefined;
  let lock: DaemonLock | undefined;
  try {
    for (const { source, lesson, diagnostics } of selected) {
      if (io.signal?.aborted) break;
      if (!lesson) {
        for (const d of diagnostics)
          ctx.say(formatDiagnostic(d, styleFor(io.stdout, io.env)).trimEnd());
        const report = unparsedReport(source.shown);
        print({ type: 'lesson-finished', report });
        results.push({ report, earlier: [], maxAttempts: 1 });
        if (ctx.bail) break;
        continue;
      }
      if (!engine) {
        engine = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
        const url = engine.endpoint.url;
        lock = await acquireDaemonLock(url, {
          ...(io.signal ? { signal: io.signal } : {}),
          onWait: (pid) =>
            ctx.say(`waiting for another docker-lab run on ${url} (pid ${pid}) to finish`),
        });
        await removeLeftoversOf(engine, io.env, ctx.say);
      }
      const missing = await missingImages(engine, lesson.meta.images ?? []);
      if (missing.length > 0) {
        const report = missingImagesReport(lesson, missing, ctx.requireImages);
        print({ type: 'lesson-finished', report });
        results.push({ report, earlier: [], maxAttempts: 1, lesson });
        if (ctx.bail && report.status === 'failed') break;
        continue;
      }
      const result = await verifyWithRetries(lesson, ctx.retries, ctx.print, {
        engine,
        baseEnv: io.env,
        ...(io.signal ? { signal: io.signal } : {}),
        ...(ctx.defaultTimeoutMs ? { defaultTimeoutMs: ctx.defaultTimeoutMs } : {}),
      });
      results.push(result);
      // Without a daemon no later lesson can run: say it once (the report did), and stop.
      if (result.report.daemonLost) break;
      if (ctx.bail && result.report.status === 'failed') break;
    }
  } finally {
    await lock?.release();
  }
  return results;
}

/**
 * What an interrupted earlier run left on this daemon (its ledger on disk says which objects,
 * by id) is removed before anything else runs, and named: it is that lesson's, never the
 * learner's, and a lesson run over it would fail on its names.
 */
async function removeLeftoversOf(
  engine: Engine,
  env: Record<string, string | undefined>,
  say: (line: string) => void,
): Promise<void> {
  const { describeLeftovers, findLeftovers, removeLeftovers } = await import('../run/leftovers.js');
  try {
    const found = await findLeftovers(engine, env);
    if (found.length === 0) return;
    const failed = await removeLeftovers(engine, env, found);
    const removed = found
      .map((f) => ({
        ...f,
        present: f.present.filter((r) => !failed.some((x) => x.resource === r)),
      }))
      .filter((f) => f.present.length > 0);
    for (const line of describeLeftovers(removed))
      say(`removed what an interrupted run left: ${line}`);
    for (const { resource, error } of failed)
      say(
        `could not remove ${resource.type} ${resource.name}, left by an interrupted run: ${error}`,
      );
  } catch (error) {
    // The lessons themselves will say what is wrong with the daemon.
    say(
      `could not look for what an interrupted run left: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}
