import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './types.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A subcommand's arguments, parsed strictly with Node's own parser. A mistake is a usage error
 * that says what was wrong, followed by the command's help.
 */
export function parseCommandArgs<const T extends Options>(
  args: string[],
  options: T,
  help: string,
) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${help}`);
  }
}
