/**
 * Hints that contradict the checks: a hint that says "publish another port, like
 * `-p 127.0.0.1:3307:3306`" on a step whose checks demand 3306 sends the learner into a failure
 * the lesson made. Lint says so where the hint is, with the numbers or names that disagree.
 */
import type { DiagnosticSink } from './diagnostics.js';
import type { Lesson, Step } from './schema.js';

const RULE = 'hint-agrees';

/** Host ports a text publishes: `-p 127.0.0.1:3307:3306`, `-p 8080:80`, `--publish 9444:9443`. */
export function publishedPorts(text: string): number[] {
  const ports: number[] = [];
  const pattern = /(?:-p|--publish)[ =]+(?:[\d.]+:|\[[\da-f:]+\]:)?(\d{1,5}):\d{1,5}/gi;
  for (const match of text.matchAll(pattern)) ports.push(Number(match[1]));
  return ports;
}

/** Numbers that look like ports (1-65535, at least two digits) anywhere in a text. */
function portNumbers(text: string): Set<number> {
  const found = new Set<number>();
  for (const match of text.matchAll(/(?<![\w.])(\d{2,5})(?![\w.])/g)) {
    const n = Number(match[1]);
    if (n > 0 && n <= 65535) found.add(n);
  }
  return found;
}

/** Lesson-owned names (the course's `dl-` prefix) mentioned in a text. */
export function lessonNames(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])dl-[a-z0-9][a-z0-9_.-]*[a-z0-9]/gi)].map((m) => m[0]);
}

/** Everything the lesson itself runs, checks and writes: where a name must come from. */
function lessonText(lesson: Lesson): string {
  return lesson.steps
    .flatMap((step) => [
      ...step.commands.map((c) => c.script),
      ...step.files.map((f) => `${f.path}\n${f.content}`),
      ...step.checks.map((c) => JSON.stringify(c.spec)),
      step.solution?.markdown ?? '',
      step.markdown,
    ])
    .join('\n');
}

function stepFacts(step: Step): { checkPorts: Set<number>; known: Set<number> } {
  const checks = step.checks.map((c) => JSON.stringify(c.spec)).join('\n');
  const commands = [...step.commands.map((c) => c.script), step.solution?.markdown ?? ''].join(
    '\n',
  );
  const checkPorts = new Set<number>();
  // Where a check speaks of a port: `port: 3306`, `127.0.0.1:3306`, `3306/tcp`.
  for (const m of checks.matchAll(/(?:"port":|[\w.\]}]:)(\d{2,5})(?!\d)|(\d{2,5})\/(?:tcp|udp)/g)) {
    const n = Number(m[1] ?? m[2]);
    if (n > 0 && n <= 65535) checkPorts.add(n);
  }
  return { checkPorts, known: new Set([...checkPorts, ...portNumbers(commands)]) };
}

export function checkHintsAgree(lesson: Lesson, sink: DiagnosticSink): void {
  const everything = lessonText(lesson);
  for (const step of lesson.steps) {
    const { checkPorts, known } = stepFacts(step);
    for (const hint of step.hints) {
      for (const port of publishedPorts(hint.markdown)) {
        if (checkPorts.size === 0 || known.has(port)) continue;
        sink.error(
          hint,
          RULE,
          `this hint publishes port ${port}, but the checks of step "${step.id}" expect ${[...checkPorts].join(', ')}: a learner who follows it fails the step. Say what frees the expected port instead, or make the checks accept the other one`,
        );
      }
      for (const name of new Set(lessonNames(hint.markdown))) {
        if (everything.includes(name)) continue;
        sink.error(
          hint,
          RULE,
          `this hint names ${name}, which no command, check or file of the lesson uses: say the name the checks look for`,
        );
      }
    }
  }
}
