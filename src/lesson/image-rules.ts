/**
 * Every image a lesson uses is declared in its front matter `images`, unless the lesson makes it
 * itself first (`docker build -t`, `tag`, `commit`, `import`). `docker-lab images` pulls or
 * builds exactly the declared images, the list shows which lessons cannot run, and verify skips
 * a lesson whose images are missing: an image used but not declared breaks the lesson offline,
 * on the learner's machine, at the step that needs it.
 */
import { parse as parseYaml } from 'yaml';
import { normalizeRef } from '../docker/inventory.js';
import { fromImages, lessonFiles, scriptNames } from './created-names.js';
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson, Located } from './schema.js';
import type { Position } from './source.js';

const RULE = 'undeclared-image';

/** Compose's file names, and any YAML file of the lesson with a `services:` map. */
function composeImages(content: string): string[] {
  let doc: unknown;
  try {
    doc = parseYaml(content, { maxAliasCount: 100 });
  } catch {
    return [];
  }
  const services = (doc as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object') return [];
  const out: string[] = [];
  for (const service of Object.values(services as Record<string, unknown>)) {
    const s = service as { image?: unknown; build?: unknown } | null;
    // An image with `build:` is the name compose gives what it builds: made here.
    if (s && typeof s.image === 'string' && s.build === undefined && !/[$`]/.test(s.image))
      out.push(s.image);
  }
  return out;
}

function isDockerfile(file: { path: string; lang: string }): boolean {
  const name = file.path.split('/').pop() ?? '';
  return file.lang === 'dockerfile' || /(^|\.)dockerfile$|^dockerfile(\.|$)/i.test(name);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where an image is written in a block whose first line of content follows the fence at `at`:
 * the first line naming it (as written, or without its `:latest`), else the fence.
 */
function locate(content: string, at: Located, ref: string): Position {
  const forms = [ref, ref.replace(/:latest$/, '')];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    for (const form of forms) {
      const match = new RegExp(`(^|[\\s=:"'])${escape(form)}(?=$|[\\s;|&)"'])`).exec(lines[i]!);
      if (match) return { line: at.line + 1 + i, col: match.index + match[1]!.length + 1 };
    }
  }
  return at;
}

export function checkImagesDeclared(lesson: Lesson, sink: DiagnosticSink): void {
  if (lesson.invalidMeta?.includes('images')) return;
  const declared = new Set((lesson.meta.images ?? []).map(normalizeRef));
  const made = new Set<string>();
  const reported = new Set<string>();
  const files = lessonFiles(lesson);
  const at = lesson.metaPositions.images;
  const use = (raw: string, where: Position, how: string): void => {
    const ref = normalizeRef(raw);
    if (declared.has(ref) || made.has(ref) || reported.has(ref)) return;
    reported.add(ref);
    const fix = at
      ? `add ${ref.replace(/:latest$/, '')} to \`images\` (line ${at.line})`
      : `add \`images: [${ref.replace(/:latest$/, '')}]\` to the front matter`;
    sink.error(
      where,
      RULE,
      `${how} ${ref}, which the front matter does not declare: ${fix}, so \`docker-lab images\` provides it and the lesson runs offline (or build it in an earlier step)`,
    );
  };
  for (const step of lesson.steps) {
    // Files first: a step writes its files before its commands run.
    for (const file of step.files) {
      const dockerfile = isDockerfile(file);
      const images = dockerfile
        ? fromImages(file.content)
        : /\.ya?ml$/i.test(file.path)
          ? composeImages(file.content)
          : [];
      const how = dockerfile ? 'starts from the image' : 'runs a service of the image';
      for (const image of images)
        use(image, locate(file.content, file, image), `${file.path} ${how}`);
    }
    for (const command of step.commands) {
      for (const names of scriptNames(command.script, files, '')) {
        // `inspect` names any kind of object, made or pulled elsewhere: it uses no image.
        const uses = names.verb === 'inspect' ? names.fetches : [...names.needs, ...names.fetches];
        for (const ref of uses)
          if (ref.type === 'image')
            use(ref.name, locate(command.script, command, ref.name), 'this command uses the image');
        for (const ref of names.makes) if (ref.type === 'image') made.add(ref.name);
      }
    }
    for (const check of step.checks) {
      if (check.not) continue;
      if (check.kind === 'container' && check.spec.ancestor && check.spec.exists !== false)
        use(check.spec.ancestor, check, `check "${check.id}" looks for containers of the image`);
      if (check.kind === 'image' && check.spec.exists !== false)
        use(check.spec.name, check, `check "${check.id}" looks at the image`);
    }
  }
}
