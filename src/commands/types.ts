import type { CommandIO } from '../io.js';

export type { CommandIO } from '../io.js';

/** A subcommand: takes its own argv (after the subcommand name) and returns the exit code. */
export type CommandMain = (args: string[], io: CommandIO) => Promise<number>;

export { UsageError } from '../errors.js';
