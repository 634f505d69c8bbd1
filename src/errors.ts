/**
 * The one error base: an error meant for a person, printed as its message alone, never with a
 * stack trace. It says what happened, where (a file, an endpoint, when that helps) and what to
 * do. At the bottom of the layers so every layer throws it: usage, lesson, engine, image and
 * progress errors all derive from it.
 */
export interface ErrorParts {
  /** What happened, one sentence. */
  what: string;
  /** Where: a file (with line:col when known), an endpoint, a folder. */
  where?: string;
  /** What to do, one line each. */
  fix?: readonly string[];
}

/** The one layout of such a message: "where: what", then the fix as a list. */
export function composeMessage(parts: ErrorParts): string {
  const head = parts.where ? `${parts.where}: ${parts.what}` : parts.what;
  const fix = parts.fix ?? [];
  if (fix.length === 0) return head;
  return `${head}\nWhat to do:\n${fix.map((line) => `  - ${line}`).join('\n')}`;
}

export class DockerLabError extends Error {
  override name = 'DockerLabError';
  readonly what: string;
  readonly where: string | undefined;
  readonly fix: readonly string[];

  constructor(
    parts: ErrorParts,
    /** The process's exit code when this error ends a command. */
    readonly exitCode = 1,
  ) {
    super(composeMessage(parts));
    this.what = parts.what;
    this.where = parts.where;
    this.fix = parts.fix ?? [];
  }
}

/** The command line asked for something that cannot be (exit code 2 unless said otherwise). */
export class UsageError extends DockerLabError {
  override name = 'UsageError';
  constructor(message: string, exitCode = 2) {
    super({ what: message }, exitCode);
  }
}
