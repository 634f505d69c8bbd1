import { lessonForThisMachine } from '../run/compose-flavor.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectFromEnv, type Engine } from '../docker/client.js';
import { missingImages } from '../images/status.js';
import { courseDir } from '../lesson/course.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import { inShard, parseShard, selectLessons } from '../lesson/select.js';
import { formatDiagnostic, styleFor } from '../report/diagnostics.js';
import { createLivePrinter, formatVerifySummary } from '../report/verify-live.js';
import { verifyJson, verifyJunit } from '../report/verify-files.js';
import { acquireDaemonLock, type DaemonLock } from '../run/daemon-lock.js';
import type { LessonReport } from '../run/events.js';
import { verifyLesson } from '../run/lesson-run.js';
import { parseCommandArgs } from './args.js';
import { isSandboxEngine, SANDBOX_ENGINES, type SandboxEngine } from '../images/sandbox-image.js';
import { defaultJobs, missingImagesReport, verifyInSandboxes } from './verify-sandbox.js';
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
  --sandbox                run each lesson in a throwaway Docker daemon of its own, in a
                           container on this one (which is left as it was); a lesson
                           of several nodes (front matter nodes: 3) always runs so
  --engine 20.10|26.1      the sandbox's Docker Engine (default 26.1 if built, else 20.10;
                           docker-lab images build-sandbox builds them)
  --jobs N                 with --sandbox: N lessons side by side (default: one per CPU, at
                           most one per 2 GiB of memory)

Exit code: 0 when every lesson passed, 1 when one failed, 2 on a usage error.`;

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

  // --engine also chooses the sandboxes of multi-node lessons, which need no --sandbox.
  if (!v.sandbox && v.jobs !== undefined)
    throw new UsageError(
      `--jobs needs --sandbox: lessons run side by side only in daemons of their own`,
    );
  if (v.engine !== undefined && !isSandboxEngine(v.engine))
    throw new UsageError(`--engine is ${SANDBOX_ENGINES.join(' or ')}, not "${v.engine}"`);
  if (v.jobs !== undefined && !/^[1-9]\d*$/.test(v.jobs))
    throw new UsageError(`--jobs takes a number of lessons, like 4, not "${v.jobs}"`);

  const found = await selectLessons(parsed.positionals, {
    cwd: io.cwd,
    courseDir: courseDir(io.env),
    ...(v.lang ? { lang: v.lang as Lang } : {}),
  });
  if (found.length === 0) {
    const where = parsed.positionals.length > 0 ? parsed.positionals.join(', ') : courseDir(io.env);
    throw new UsageError(
      `${where} holds no lesson files (*.md${v.lang ? ` in ${v.lang}` : ''}): a lesson is a Markdown file that starts with --- front matter; name lesson files or a folder that has some (the format: docs/lesson-format.md)`,
    );
  }
  const selected = found.filter(
    (s) =>
      !shard ||
      inShard(s.lesson ? `${s.lesson.meta.lang}/${s.lesson.meta.id}` : s.source.shown, shard),
  );

  // Data reporters own stdout unless they write to a file; progress then goes to stderr.
  const dataToStdout = (reporter === 'json' || reporter === 'junit') && !v.output;
  const progressStream = dataToStdout ? io.stderr : io.stdout;
  const style = styleFor(progressStream, io.env);
  const print = createLivePrinter({
    write: (t) => progressStream.write(t),
    style,
    plain: reporter !== 'pretty',
  });

  // A lesson of several nodes runs only in a sandbox (its swarm needs daemons of its own), so
  // it goes there even without --sandbox; the others stay on this daemon.
  const clusters = v.sandbox ? [] : selected.filter((s) => (s.lesson?.meta.nodes ?? 1) > 1);
  const sandboxed = v.sandbox ? selected : clusters;
  const here = v.sandbox ? [] : selected.filter((s) => !clusters.includes(s));
  for (const s of clusters)
    progressStream.write(
      `${s.lesson!.meta.lang}/${s.lesson!.meta.id} runs on ${s.lesson!.meta.nodes} nodes: in a sandbox of its own (docker-lab images build-sandbox makes its image)\n`,
    );
  const sandboxReports = async (): Promise<LessonReport[]> =>
    sandboxed.length === 0
      ? []
      : verifyInSandboxes(sandboxed, {
          io,
          engine: v.engine as SandboxEngine | undefined,
          jobs: v.jobs ? Number(v.jobs) : v.sandbox ? defaultJobs() : 1,
          bail: Boolean(v.bail),
          write: (t) => progressStream.write(t),
          printerFor: (write) => createLivePrinter({ write, style, plain: reporter !== 'pretty' }),
          tty: reporter === 'pretty' && Boolean((progressStream as { isTTY?: boolean }).isTTY),
          ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}),
        });
  if (v.sandbox) return finishRun(await sandboxReports());

  /**
   * The multi-node lessons, in sandboxes; on a daemon without a sandbox image (a fresh CI
   * daemon) they cannot be proven here, which is not the same as failing: skipped, with how.
   */
  async function clusterReports(): Promise<LessonReport[]> {
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
          status: 'skipped',
          reason: `runs on ${lesson!.meta.nodes} nodes, only in a sandbox, and ${error.what} (docker-lab images build-sandbox builds it)`,
          steps: [],
          durationMs: 0,
        };
        print({ type: 'lesson-finished', report });
        return report;
      });
    }
    return sandboxReports();
  }

  const reports: LessonReport[] = [];
  let engine: Engine | undefined;
  let lock: DaemonLock | undefined;
  try {
    for (const { source, lesson, diagnostics } of here) {
      if (io.signal?.aborted) break;
      if (!lesson) {
        for (const d of diagnostics) progressStream.write(`${formatDiagnostic(d, style)}\n`);
        const report: LessonReport = {
          id: source.shown,
          lang: '',
          file: source.shown,
          title: source.shown,
          status: 'failed',
          reason: 'the lesson does not parse (see above)',
          steps: [],
          durationMs: 0,
        };
        print({ type: 'lesson-finished', report });
        reports.push(report);
        if (v.bail) break;
        continue;
      }
      if (!engine) {
        engine = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
        lock = await acquireDaemonLock(engine.endpoint.url, {
          ...(io.signal ? { signal: io.signal } : {}),
          onWait: (pid) =>
            progressStream.write(
              `waiting for another docker-lab run on ${engine!.endpoint.url} (pid ${pid}) to finish\n`,
            ),
        });
        await removeLeftoversOf(engine, io.env, (line) => progressStream.write(`${line}\n`));
      }
      const missing = await missingImages(engine, lesson.meta.images ?? []);
      if (missing.length > 0) {
        const report = missingImagesReport(lesson, missing);
        print({ type: 'lesson-finished', report });
        reports.push(report);
        if (v.bail) break;
        continue;
      }
      const workdir = await mkdtemp(join(tmpdir(), `docker-lab-${lesson.meta.id}-`));
      const report = await verifyLesson({
        lesson: await lessonForThisMachine(lesson, io.env),
        engine,
        workdir,
        lang: lesson.meta.lang,
        baseEnv: io.env,
        emit: print,
        ...(io.signal ? { signal: io.signal } : {}),
        ...(defaultTimeoutMs ? { defaultTimeoutMs } : {}),
      });
      reports.push(report);
      // Without a daemon no later lesson can run: say it once (the report did), and stop.
      if (report.daemonLost) break;
      if (v.bail && report.status === 'failed') break;
    }
  } finally {
    await lock?.release();
  }
  const stopped =
    io.signal?.aborted ||
    reports.some((r) => r.daemonLost) ||
    (v.bail && reports.some((r) => r.status === 'failed'));
  if (!stopped) reports.push(...(await clusterReports()));

  return finishRun(reports);

  async function finishRun(reports: LessonReport[]): Promise<number> {
    if (reporter === 'json' || reporter === 'junit') {
      const text = reporter === 'json' ? verifyJson(reports) : verifyJunit(reports);
      if (v.output) await writeFile(v.output, text);
      else io.stdout.write(text);
    }
    progressStream.write(`${formatVerifySummary(reports)}\n`);
    // Skipped lessons do not fail a run, but a run that proved nothing is not a success either.
    const failed = reports.some((r) => r.status === 'failed');
    return !failed && reports.some((r) => r.status === 'passed') ? 0 : 1;
  }
};

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
