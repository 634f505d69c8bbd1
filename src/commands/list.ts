import { learnerLanguage } from '../lesson/language.js';
import { courseDir } from '../lesson/course.js';
import { courseIn, loadCourse, type CourseLesson } from '../progress/course.js';
import { formatCourseList, type ListRow } from '../report/course-list.js';
import { loadProgress } from '../progress/store.js';
import { lessonStatus } from '../progress/update.js';
import { styleFor } from '../report/diagnostics.js';
import { parseCommandArgs } from './args.js';
import { type CommandIO, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab list [--lang en|zh-CN] [--images] [--json]

Lists the course's lessons in order: id, title, duration and your progress (steps done of
steps, ✓ when a lesson is completed). The language is --lang, else your locale (LANG).

Options:
  --images     also ask the Docker daemon which lessons' images are missing
  --json       print the list as JSON
  --lang L     the course in language L (en or zh-CN)`;

/** Each lesson's images that the daemon lacks (by the one rule), or why it could not be asked. */
async function imagesMissing(
  io: CommandIO,
  lessons: readonly CourseLesson[],
): Promise<
  { missing: Map<string, string[]>; error?: undefined } | { missing?: undefined; error: string }
> {
  // dockerode loads only for --images: a plain list must stay fast and work without a daemon.
  const [{ connectFromEnv }, { missingImages }] = await Promise.all([
    import('../docker/client.js'),
    import('../images/status.js'),
  ]);
  try {
    const engine = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
    const absent = new Set(
      await missingImages(
        engine,
        lessons.flatMap((lesson) => lesson.images),
      ),
    );
    return {
      missing: new Map(
        lessons.map((lesson) => [lesson.key, lesson.images.filter((ref) => absent.has(ref))]),
      ),
    };
  } catch (error) {
    // The first line says what happened; doctor explains the fix at length.
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { error: first ?? 'unknown error' };
  }
}

function jsonLesson(row: ListRow) {
  const { lesson } = row;
  return {
    id: lesson.id,
    lang: lesson.lang,
    title: lesson.title,
    order: lesson.order ?? null,
    duration: lesson.duration ?? null,
    done: row.status.done,
    total: row.status.total,
    completed: row.status.completed,
    currentStep: row.status.current ?? null,
    images: lesson.images,
    ...(row.missingImages ? { missingImages: row.missingImages } : {}),
  };
}

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    {
      lang: { type: 'string' },
      json: { type: 'boolean' },
      images: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  if (parsed.values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const lang = learnerLanguage({ flag: parsed.values.lang, env: io.env });
  const { progress, warning } = await loadProgress({ env: io.env });
  if (warning) io.stderr.write(`docker-lab: ${warning}\n`);

  const lessons = courseIn(await loadCourse(courseDir(io.env)), lang);
  let imageError: string | undefined;
  let missing: Map<string, string[]> | undefined;
  if (parsed.values.images) {
    const result = await imagesMissing(io, lessons);
    if (result.missing) missing = result.missing;
    else {
      imageError = result.error;
      io.stderr.write(`docker-lab: images not checked: ${imageError}\n`);
    }
  }
  const rows: ListRow[] = lessons.map((lesson) => ({
    lesson,
    status: lessonStatus(progress, lesson),
    ...(missing ? { missingImages: missing.get(lesson.key) ?? [] } : {}),
  }));

  if (parsed.values.json) {
    const out = {
      lang,
      ...(warning ? { warning } : {}),
      ...(imageError ? { imagesError: imageError } : {}),
      lessons: rows.map(jsonLesson),
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80;
  const style = styleFor(io.stdout, io.env);
  io.stdout.write(`${formatCourseList(rows, { lang, width, style })}\n`);
  return 0;
};
