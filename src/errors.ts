/**
 * The one error base: an error meant for a person, printed as its message alone, never with a
 * stack trace. At the bottom of the layers so every layer can throw it; commands/types.ts
 * re-exports it for the commands.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
