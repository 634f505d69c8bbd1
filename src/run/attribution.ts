import type { EngineEvent } from '../docker/events.js';
import type { Lesson } from '../lesson/schema.js';

/**
 * Which creations on the daemon are the lesson's. The Engine does not say which client made an
 * object, and the learner (or anything else) may use the daemon while a lesson runs, so an
 * object counts as the lesson's only when it was created while one of the lesson's commands was
 * running (or just after: events trail the command's exit), or when its name appears in the
 * lesson itself (a command the learner typed in a terminal of their own, a swarm task of the
 * lesson's service). Anything else is left alone at cleanup.
 */
const TRAILING_MS = 3_000;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9_.:/-]*/g;

export class Attribution {
  private running = 0;
  private lastEnd = 0;
  private readonly names = new Set<string>();

  constructor(lesson: Lesson) {
    for (const step of lesson.steps) {
      const texts = [
        ...step.commands.map((c) => c.script),
        ...step.files.map((f) => f.content),
        ...step.checks.map((c) => JSON.stringify(c.spec)),
      ];
      for (const text of texts) for (const [token] of text.matchAll(TOKEN)) this.addName(token);
    }
  }

  private addName(token: string): void {
    const clean = token.replace(/[.:/-]+$/, '');
    this.names.add(clean);
    // `-v dl-data:/data`, `-p 8080:80`: the parts of a colon-joined spec name things too.
    for (const part of clean.split(':')) if (part) this.names.add(part);
    // `dl-web:latest`, `localhost:5000/my-ubuntu`: the repository alone names it too.
    const colon = clean.lastIndexOf(':');
    if (colon > clean.lastIndexOf('/')) this.names.add(clean.slice(0, colon));
  }

  commandStarted(): void {
    this.running += 1;
  }

  commandEnded(now = Date.now()): void {
    this.running = Math.max(0, this.running - 1);
    this.lastEnd = now;
  }

  private mentioned(value: string | undefined): boolean {
    if (!value) return false;
    const clean = value.replace(/^\//, '');
    const colon = clean.lastIndexOf(':');
    return (
      this.names.has(clean) ||
      (colon > clean.lastIndexOf('/') && this.names.has(clean.slice(0, colon)))
    );
  }

  accepts(event: EngineEvent, now = Date.now()): boolean {
    if (this.running > 0 || now - this.lastEnd < TRAILING_MS) return true;
    const a = event.attributes;
    return (
      this.mentioned(a.name) ||
      this.mentioned(event.id) ||
      this.mentioned(a['com.docker.swarm.service.name']) ||
      this.mentioned(a['com.docker.compose.project']) ||
      this.mentioned(a['com.docker.stack.namespace'])
    );
  }
}
