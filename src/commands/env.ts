/**
 * `docker-lab env LESSON`: the lines that point a terminal's docker at the sandbox a lesson runs
 * in (opened with --sandbox), for sh-like shells or fish. The sandbox is found on the learner's
 * daemon by its labels, never by name; one of a run that is gone does not count.
 */
import { basename } from 'node:path';
import { connectFromEnv } from '../docker/client.js';
import { learnerLanguage } from '../lesson/language.js';
import { messages } from '../i18n/messages.js';
import { findSandboxes, nodesEnv, type FoundSandbox } from '../sandbox/sandbox.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CommandMain } from './types.js';

const HELP = `Usage: docker-lab env LESSON [--shell sh|fish] [--lang en|zh-CN]

Prints the lines that point your terminal's docker at the sandbox LESSON runs in (the TUI or
practice opened with --sandbox): paste them in another terminal. --shell: sh (bash, zsh, the
default) or fish (the default when $SHELL is fish). Exit code 1 when no sandbox runs for it.`;

/**
 * What a shell needs: DOCKER_HOST, and nothing else choosing another daemon; for a cluster
 * sandbox, each node's variables too (MANAGER, WORKER1, MANAGER_IP, ...: sandbox.ts nodesEnv),
 * as the lesson's own commands get them.
 */
export function envLines(
  dockerHost: string,
  shell: 'sh' | 'fish',
  nodes: Record<string, string> = {},
): { set: string[]; nodes: string[]; back: string[] } {
  const others = ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS'];
  const names = Object.keys(nodes);
  return shell === 'fish'
    ? {
        set: [`set -gx DOCKER_HOST ${dockerHost}`, `set -e ${others.join(' ')}`],
        nodes: names.map((name) => `set -gx ${name} ${nodes[name]}`),
        back: [`set -e ${['DOCKER_HOST', ...names].join(' ')}`],
      }
    : {
        set: [`export DOCKER_HOST=${dockerHost}`, `unset ${others.join(' ')}`],
        nodes: names.map((name) => `export ${name}=${nodes[name]}`),
        back: [`unset ${['DOCKER_HOST', ...names].join(' ')}`],
      };
}

/** The sandbox of a lesson: its own, else the TUI's course sandbox (it runs every lesson). */
export function sandboxFor(found: FoundSandbox[], lesson: string): FoundSandbox | undefined {
  return found.find((s) => s.purpose === lesson) ?? found.find((s) => s.purpose === 'course');
}

export const main: CommandMain = async (args, io) => {
  const parsed = parseCommandArgs(
    args,
    {
      shell: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    HELP,
  );
  if (parsed.values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const lang = learnerLanguage({ flag: parsed.values.lang, env: io.env });
  const t = messages(lang).sandbox;
  const shell = parsed.values.shell ?? (/fish$/.test(io.env.SHELL ?? '') ? 'fish' : 'sh');
  if (shell !== 'sh' && shell !== 'fish') throw new UsageError(t.envShell(shell));
  if (parsed.positionals.length !== 1)
    throw new UsageError('docker-lab env takes one lesson: docker-lab env first-run');
  const lesson = basename(parsed.positionals[0]!).replace(/\.md$/, '');
  const outer = await connectFromEnv(io.env, io.signal ? { signal: io.signal } : {});
  const sandbox = sandboxFor(await findSandboxes(outer), lesson);
  if (!sandbox) {
    io.stderr.write(`${t.envNone(lesson)}\n${t.envStart(lesson)}\n`);
    return 1;
  }
  const lines = envLines(sandbox.dockerHost, shell, nodesEnv(sandbox.nodes));
  io.stdout.write(
    [
      `# ${t.envHeader(lesson, sandbox.engine)}`,
      ...lines.set,
      ...(lines.nodes.length > 0 ? [`# ${messages(lang).cluster.envNodes}`, ...lines.nodes] : []),
      `# ${t.envBack} ${lines.back.join('; ')}`,
      '',
    ].join('\n'),
  );
  return 0;
};
