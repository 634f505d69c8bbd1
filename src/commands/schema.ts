import { jsonSchema, SCHEMA_PARTS, type SchemaPart } from '../lesson/json-schema.js';
import { didYouMean } from '../lesson/suggest.js';
import { UsageError, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab schema [${SCHEMA_PARTS.join('|')}]

Prints the JSON Schema of the lesson format's YAML parts, for editors (for example the YAML
language server). With no argument, prints all parts under $defs.`;

export const main: CommandMain = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args.length > 1) throw new UsageError(`schema takes at most one part\n\n${HELP}`);
  const part = args[0];
  if (part !== undefined && !(SCHEMA_PARTS as readonly string[]).includes(part)) {
    throw new UsageError(
      `unknown schema part "${part}"${didYouMean(part, SCHEMA_PARTS)}: choose ${SCHEMA_PARTS.join(', ')}`,
    );
  }
  io.stdout.write(`${JSON.stringify(jsonSchema(part as SchemaPart | undefined), null, 2)}\n`);
  return 0;
};
