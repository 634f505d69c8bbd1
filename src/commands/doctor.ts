/**
 * `docker-lab doctor`: which daemon, where that choice came from, and whether the course can
 * run against it. Exit 0 when it can (warnings allowed), 1 when it cannot, 2 on bad usage.
 */
import type { CommandMain } from './types.js';
import { diagnose } from '../doctor/diagnose.js';
import { renderReport, wantsColor } from '../doctor/render.js';

const HELP = `Usage: docker-lab doctor [--json] [--verbose]

Diagnoses the Docker daemon and this machine for the course: which daemon docker-lab talks to
and why (DOCKER_HOST, DOCKER_CONTEXT, the docker CLI's current context, or a local socket),
versions, storage driver, cgroups, architecture, free disk, host ports, compose and registry.

Options:
  --json      print the report as JSON
  --verbose   show every endpoint strategy tried, and why it did not apply
  -h, --help  show this help

Exit status: 0 the course can run (warnings allowed), 1 it cannot, 2 bad usage.
`;

export const main: CommandMain = async (args, io) => {
  let json = false;
  let verbose = false;
  for (const arg of args) {
    if (arg === '--json') json = true;
    else if (arg === '--verbose') verbose = true;
    else if (arg === '-h' || arg === '--help') {
      io.stdout.write(HELP);
      return 0;
    } else {
      io.stderr.write(
        `docker-lab doctor: unknown option "${arg}".\nRun "docker-lab doctor --help" for the options.\n`,
      );
      return 2;
    }
  }
  const report = await diagnose({ env: io.env, ...(io.signal ? { signal: io.signal } : {}) });
  if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else
    io.stdout.write(renderReport(report, { color: wantsColor(io.env, io.stdout.isTTY), verbose }));
  return report.ok ? 0 : 1;
};
