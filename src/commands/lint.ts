import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors } from '../lesson/diagnostics.js';
import { lintSources } from '../lesson/lint.js';
import { loadLessonSources, readIfExists } from '../lesson/loader.js';
import { formatDiagnostic, formatLintSummary, styleFor } from '../report/diagnostics.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab lint [paths...] [--format pretty|json]

Checks lesson files (and the lessons inside folders) and reports every problem as
file:line:col  severity  message. Exits 0 when there are no errors, 1 when there are.
With no paths, lints ./lessons. The format is described in docs/lesson-format.md.`;

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    {
      format: { type: 'string', default: 'pretty' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  if (parsed.values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const format = parsed.values.format;
  if (format !== 'pretty' && format !== 'json')
    throw new UsageError(`--format is pretty or json, not "${format}"`);
  let paths = parsed.positionals;
  if (paths.length === 0) {
    if (!existsSync(join(io.cwd, 'lessons')))
      throw new UsageError(`no lessons folder here: name the lessons to lint\n\n${HELP}`);
    paths = ['lessons'];
  }
  const sources = await loadLessonSources(paths, io.cwd);
  const { diagnostics, lessons } = await lintSources(sources, readIfExists, io.cwd);
  if (format === 'json') {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.stdout.write(
      `${JSON.stringify({ lessons, errors, warnings: diagnostics.length - errors, diagnostics }, null, 2)}\n`,
    );
  } else {
    const style = styleFor(io.stdout, io.env);
    for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d, style)}\n`);
    io.stdout.write(`${formatLintSummary(diagnostics, lessons, style)}\n`);
  }
  return hasErrors(diagnostics) ? 1 : 0;
};
