/**
 * `docker-lab images`: the images the course (or the given lessons) needs, and four ways to
 * get them: pull (online), build-standins (offline, from Debian's packages), export / import
 * (a bundle carried from a connected machine).
 */
import { DockerLabError } from '../errors.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectFromEnv, type Engine } from '../docker/client.js';
import { LANGUAGES } from '../i18n/lang.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandIO, type CommandMain } from './types.js';
import { exportBundle, importBundle } from '../images/bundle.js';
import { createFeedback, formatDuration, formatSize, frameWidth } from '../images/feedback.js';
import { gatherNeeds, readLessonImages, type NeededImage } from '../images/needs.js';
import { courseDir } from '../images/paths.js';
import { pullImage, type PullOutcome } from '../images/pull.js';
import { plainPullLines, pullSummary, renderPullFrame } from '../images/pull-progress.js';
import { buildStandIns, type StandInResult } from '../images/standins.js';
import { imageStatuses, type ImageStatus } from '../images/status.js';

const HELP = `Usage: docker-lab images [list] [LESSON...] [--json]
       docker-lab images pull [LESSON...] [--standins] [--real]
       docker-lab images build-standins [LESSON...] [--force]
       docker-lab images build-sandbox [--engine 20.10|26.1] [--force]
       docker-lab images export FILE [LESSON...] [--skip-missing]
       docker-lab images import FILE

The images the course needs (or the lessons named), and how to get them:

  list            each image: present or missing, its size, and whether it is the real
                  image or an offline stand-in (the default)
  pull            pull what is missing from its registry, with progress; on failure, says
                  why and what to do. --standins: build stand-ins for what could not be
                  pulled. --real: also pull real images over stand-ins
  build-standins  build the offline stand-ins (Debian-based, labelled) of what is missing or
                  outdated; reuses current ones; never replaces a real image. --force:
                  rebuild current stand-ins too. Needs mmdebstrap and a Debian mirror
  build-sandbox   build the images --sandbox runs lessons in, docker-lab/sandbox:20.10
                  (Debian bookworm's Docker) and docker-lab/sandbox:26.1 (trixie's), or the
                  one --engine names; current ones are reused. Needs mmdebstrap
  export FILE     write every image to one bundle with a manifest (FILE.gz: compressed)
  import FILE     verify a bundle completely, then load it

Options:
  --image REF     these images instead of the lessons' (repeatable)
  --json          list: print JSON
  -h, --help      show this help

Details: docs/images.md
`;

interface Selection {
  needs: NeededImage[];
  /** "the course" or "2 lessons", for headings. */
  label: string;
}

async function select(positionals: string[], images: string[], io: CommandIO): Promise<Selection> {
  if (images.length > 0) {
    return {
      needs: gatherNeeds([{ id: '', images }], { withCatalog: false }).map((need) => ({
        ...need,
        lessons: [],
      })),
      label: `${images.length} image${images.length === 1 ? '' : 's'} named`,
    };
  }
  const course = positionals.length === 0;
  // A course lesson may be named by its id (`first-run`), in every language, as for verify.
  const paths = positionals.flatMap((arg) => {
    if (existsSync(resolve(io.cwd, arg))) return [arg];
    const found = LANGUAGES.map((lang) => join(courseDir(io.env), lang, `${arg}.md`)).filter((p) =>
      existsSync(p),
    );
    return found.length > 0 ? found : [arg];
  });
  const { lessons, unreadable } = await readLessonImages(
    course ? [courseDir(io.env)] : paths,
    io.cwd,
  );
  for (const { file } of unreadable) {
    io.stderr.write(
      `docker-lab: ${file}: its front matter cannot be read (docker-lab lint ${file})\n`,
    );
  }
  return {
    // The bundled course lists every image of the catalogue; a course of one's own, its own.
    needs: gatherNeeds(lessons, { withCatalog: course && !io.env.DOCKER_LAB_COURSE_DIR }),
    label: course ? 'the course' : `${lessons.length} lesson${lessons.length === 1 ? '' : 's'}`,
  };
}

function kindText(status: ImageStatus): string {
  switch (status.kind) {
    case 'real':
      return 'real image';
    case 'stand-in':
      return 'stand-in';
    case 'stand-in-outdated':
      return 'stand-in (outdated)';
    case 'missing':
      return status.entry?.kind === 'stand-in' ? 'stand-in available' : 'online-only';
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows.map((row) =>
    `  ${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd(),
  );
}

async function list(
  selection: Selection,
  engine: Engine,
  io: CommandIO,
  json: boolean,
): Promise<number> {
  const statuses = await imageStatuses(engine, selection.needs);
  if (json) {
    io.stdout.write(
      `${JSON.stringify(
        statuses.map((status) => ({
          ref: status.ref,
          present: status.kind !== 'missing',
          kind: status.kind,
          size: status.image?.size ?? null,
          id: status.image?.id ?? null,
          offline: status.entry?.kind === 'stand-in' ? 'stand-in' : 'online-only',
          ...(status.entry?.kind === 'online-only' ? { reason: status.entry.reason } : {}),
          lessons: status.lessons,
        })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const rows = [['IMAGE', 'STATE', 'SIZE', 'KIND', 'LESSONS']];
  for (const status of statuses) {
    rows.push([
      status.ref,
      status.kind === 'missing' ? 'missing' : 'present',
      status.image ? formatSize(status.image.size) : '-',
      kindText(status),
      // A tag the catalogue builds for the seed tutorial's own commands, which no lesson names.
      status.lessons.join(', ') || '(seed tutorial)',
    ]);
  }
  const out: string[] = [`Images for ${selection.label}:`, ...table(rows), ''];
  const missing = statuses.filter((status) => status.kind === 'missing');
  const outdated = statuses.filter((status) => status.kind === 'stand-in-outdated');
  // Said of what is missing only: a present image needs no way to get it.
  const onlineOnly = missing.filter((status) => status.entry?.kind !== 'stand-in');
  out.push(
    missing.length === 0
      ? `All ${statuses.length} present.`
      : `${statuses.length - missing.length} of ${statuses.length} present. Get the rest online with "docker-lab images pull", offline with "docker-lab images build-standins" or "docker-lab images import FILE".`,
  );
  if (outdated.length > 0)
    out.push(
      `Outdated stand-ins (rebuilt by "docker-lab images build-standins"): ${outdated.map((s) => s.ref).join(', ')}.`,
    );
  for (const status of onlineOnly) {
    const why =
      status.entry?.kind === 'online-only' ? status.entry.reason : 'no stand-in exists for it';
    const lessons =
      status.lessons.length > 0 ? `; lessons that need it: ${status.lessons.join(', ')}` : '';
    out.push(`Online-only: ${status.ref} (${why}${lessons}).`);
  }
  io.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function pull(
  selection: Selection,
  engine: Engine,
  io: CommandIO,
  options: { standins: boolean; real: boolean },
): Promise<number> {
  const feedback = createFeedback(io.stderr);
  const statuses = await imageStatuses(engine, selection.needs);
  const wanted = statuses.filter(
    (status) =>
      status.kind === 'missing' ||
      (options.real && (status.kind === 'stand-in' || status.kind === 'stand-in-outdated')),
  );
  if (wanted.length === 0) {
    io.stdout.write(
      `Nothing to pull: ${statuses.length === 1 ? 'the image is' : `all ${statuses.length} images are`} present.\n`,
    );
    return 0;
  }
  const failed: PullOutcome[] = [];
  const notTried: string[] = [];
  for (const status of wanted) {
    if (failed.some((outcome) => outcome.failure?.fatal)) {
      notTried.push(status.ref);
      continue;
    }
    const width = frameWidth(io.stderr as { columns?: number });
    const outcome = await pullImage(engine, status.ref, {
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
      onChange(before, after) {
        if (feedback.tty) feedback.live(renderPullFrame(after, width));
        else for (const line of plainPullLines(before, after)) feedback.line(line);
      },
    });
    feedback.clear();
    if (outcome.ok) {
      feedback.line(pullSummary(outcome.state));
      continue;
    }
    failed.push(outcome);
    const failure = outcome.failure!;
    feedback.line(failure.summary);
    feedback.line(`What to do:\n${failure.fix.map((line) => `  - ${line}`).join('\n')}`);
    if (status.entry?.kind !== 'stand-in') {
      const why =
        status.entry?.kind === 'online-only' ? status.entry.reason : 'no stand-in exists for it';
      const lessons =
        status.lessons.length > 0 ? ` Lessons that need it: ${status.lessons.join(', ')}.` : '';
      feedback.line(`Note: ${status.ref} is online-only (${why}).${lessons}`);
    }
  }
  if (notTried.length > 0) {
    feedback.line(`Not tried, for the same reason: ${notTried.join(', ')}.`);
  }
  if (failed.length === 0) return 0;
  if (!options.standins) return 1;
  const refs = new Set([...failed.map((outcome) => outcome.ref), ...notTried]);
  feedback.line('Building stand-ins for what could not be pulled (--standins):');
  const summary = await buildStandIns({
    engine,
    env: io.env,
    needs: selection.needs.filter((need) => refs.has(need.ref)),
    feedback,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  reportStandIns(summary.results, (line) => feedback.line(line));
  return summary.ok && summary.results.every((result) => result.outcome !== 'online-only') ? 0 : 1;
}

function reportStandIns(results: readonly StandInResult[], say: (line: string) => void): void {
  const rows = [['IMAGE', 'RESULT']];
  for (const result of results) {
    const text: Record<StandInResult['outcome'], string> = {
      built: `built in ${formatDuration(result.ms ?? 0)}`,
      rebuilt: `rebuilt (recipe changed) in ${formatDuration(result.ms ?? 0)}`,
      reused: 'current stand-in, reused',
      real: 'the real image is here, left alone',
      'online-only': `online-only: ${result.detail ?? ''}`,
      failed: 'FAILED (see above)',
    };
    rows.push([result.ref, text[result.outcome]]);
  }
  for (const line of table(rows)) say(line);
}

async function buildCommand(
  selection: Selection,
  engine: Engine,
  io: CommandIO,
  force: boolean,
): Promise<number> {
  const feedback = createFeedback(io.stderr);
  const started = Date.now();
  const summary = await buildStandIns({
    engine,
    env: io.env,
    needs: selection.needs,
    feedback,
    force,
    ...(io.signal ? { signal: io.signal } : {}),
  });
  // The outcome goes to stdout (progress went to stderr): scripts can keep it.
  const say = (line: string): void => void io.stdout.write(`${line}\n`);
  reportStandIns(summary.results, say);
  const count = (outcome: StandInResult['outcome']): number =>
    summary.results.filter((result) => result.outcome === outcome).length;
  const built = count('built') + count('rebuilt');
  say(
    `${summary.ok ? 'Done' : 'Failed'} in ${formatDuration(Date.now() - started)}: ${built} built, ${count('reused')} reused, ` +
      `${count('real')} real, ${count('online-only')} online-only${count('failed') ? `, ${count('failed')} failed` : ''}.`,
  );
  return summary.ok ? 0 : 1;
}

async function exportCommand(
  selection: Selection,
  engine: Engine,
  io: CommandIO,
  file: string,
  skipMissing: boolean,
): Promise<number> {
  const feedback = createFeedback(io.stderr);
  let refs = selection.needs.map((need) => need.ref);
  if (skipMissing) {
    const statuses = await imageStatuses(engine, selection.needs);
    const missing = statuses.filter((status) => status.kind === 'missing').map((s) => s.ref);
    if (missing.length > 0) feedback.line(`Leaving out what is not here: ${missing.join(', ')}.`);
    refs = refs.filter((ref) => !missing.includes(ref));
    if (refs.length === 0)
      throw new DockerLabError({
        what: 'None of the images is on this daemon: nothing to export.',
      });
  }
  const started = Date.now();
  const manifest = await exportBundle({
    engine,
    refs,
    file,
    ...(io.signal ? { signal: io.signal } : {}),
    onProgress: (bytes) => feedback.live(`writing ${file}: ${formatSize(bytes)}`),
  });
  feedback.clear();
  const standIns = manifest.images.filter((image) => image.standInFor !== undefined).length;
  const bytes = manifest.entries.reduce((sum, entry) => sum + entry.size, 0);
  io.stdout.write(
    `Wrote ${file} in ${formatDuration(Date.now() - started)}: ${manifest.images.length} images ` +
      `(${standIns} stand-in${standIns === 1 ? '' : 's'}, ${manifest.images.length - standIns} real), ${formatSize(bytes)} before compression, for ${manifest.arch}.\n` +
      `Load it elsewhere with: docker-lab images import ${file}\n`,
  );
  return 0;
}

async function importCommand(engine: Engine, io: CommandIO, file: string): Promise<number> {
  const feedback = createFeedback(io.stderr);
  feedback.live(`verifying ${file} ...`);
  const result = await importBundle({
    engine,
    file,
    ...(io.signal ? { signal: io.signal } : {}),
    onVerified: (manifest) => {
      feedback.clear();
      feedback.line(`${file}: verified, ${manifest.images.length} images; loading ...`);
      if (manifest.arch !== engine.server.arch) {
        feedback.line(
          `Warning: the bundle was made on ${manifest.arch} and this daemon is ${engine.server.arch}: its images may not run here.`,
        );
      }
    },
  });
  for (const ref of result.loaded) io.stdout.write(`loaded ${ref}\n`);
  for (const ref of result.keptReal) {
    io.stdout.write(`kept ${ref}: the real image is here; the bundle's stand-in was not used\n`);
  }
  return 0;
}

async function buildSandboxCommand(
  io: CommandIO,
  engineFlag: string | undefined,
  force: boolean,
): Promise<number> {
  const { ensureSandboxImage, isSandboxEngine, sandboxImage, SANDBOX_ENGINES } =
    await import('../images/sandbox-image.js');
  if (engineFlag !== undefined && !isSandboxEngine(engineFlag))
    throw new UsageError(`--engine is ${SANDBOX_ENGINES.join(' or ')}, not "${engineFlag}"`);
  const engines = engineFlag ? [engineFlag] : [...SANDBOX_ENGINES];
  const engine = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
  const feedback = createFeedback(io.stderr);
  for (const which of engines) {
    const started = Date.now();
    const outcome = await ensureSandboxImage(which, {
      engine,
      env: io.env,
      force,
      say: (line) => feedback.line(line),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    io.stdout.write(
      `${sandboxImage(which)}: ${outcome === 'reused' ? 'current, reused' : `${outcome} in ${formatDuration(Date.now() - started)}`}\n`,
    );
  }
  return 0;
}

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    {
      image: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      standins: { type: 'boolean', default: false },
      real: { type: 'boolean', default: false },
      'skip-missing': { type: 'boolean', default: false },
      engine: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    HELP,
  );
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const SUBCOMMANDS = ['list', 'pull', 'build-standins', 'build-sandbox', 'export', 'import'];
  let [sub, ...rest] = parsed.positionals;
  if (sub === undefined || !SUBCOMMANDS.includes(sub)) {
    // `docker-lab images lessons/en/mysql.md` (or a lesson id, `mysql`) lists that lesson's
    // images; a near-miss of a subcommand (`pul`) is a typo, said as such.
    const { suggest } = await import('../lesson/suggest.js');
    const guess = sub === undefined || /[./\\]/.test(sub) ? undefined : suggest(sub, SUBCOMMANDS);
    if (guess) {
      throw new UsageError(
        `docker-lab images: unknown subcommand "${sub}" (did you mean "${guess}"?).\nRun "docker-lab images --help" for the subcommands.`,
      );
    }
    rest = parsed.positionals;
    sub = 'list';
  }
  let file: string | undefined;
  if (sub === 'export' || sub === 'import') {
    file = rest.shift();
    if (!file) throw new UsageError(`docker-lab images ${sub}: name the bundle FILE.\n\n${HELP}`);
    if (sub === 'import' && rest.length > 0)
      throw new UsageError(
        'docker-lab images import takes one FILE and no lessons: it loads the whole bundle.',
      );
  }
  if (sub === 'build-sandbox') {
    if (rest.length > 0)
      throw new UsageError('docker-lab images build-sandbox takes no lessons: only --engine.');
    return buildSandboxCommand(io, values.engine, values.force);
  }
  const selection = sub === 'import' ? undefined : await select(rest, values.image, io);
  if (selection && selection.needs.length === 0) {
    io.stdout.write(`No images needed by ${selection.label}.\n`);
    return 0;
  }
  const engine = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
  switch (sub) {
    case 'pull':
      return pull(selection!, engine, io, { standins: values.standins, real: values.real });
    case 'build-standins':
      return buildCommand(selection!, engine, io, values.force);
    case 'export':
      return exportCommand(selection!, engine, io, file!, values['skip-missing']);
    case 'import':
      return importCommand(engine, io, file!);
    default:
      return list(selection!, engine, io, values.json);
  }
};
