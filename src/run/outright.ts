/**
 * A command that failed outright: the shell or docker refused it before it did anything (exit
 * 125 docker refused, 126 found but not runnable, 127 no such command). Waiting out the step's
 * checks then only makes the learner (or CI) wait minutes in silence for something that cannot
 * happen, so the step ends at once with what failed and what to do.
 *
 * The one place that decides it; verify and the TUI word it in their language.
 */
import type { Lang } from '../i18n/lang.js';
import type { Command, Step } from '../lesson/schema.js';
import type { ProcessResult } from './process.js';

export type OutrightKind = 'docker-refused' | 'not-runnable' | 'not-found';

export interface OutrightFailure {
  kind: OutrightKind;
  exitCode: number;
  /** The last thing the command said on stderr (or stdout), trimmed: usually the reason. */
  said: string;
  /** A program docker has no subcommand for (`docker compose` without the plugin). */
  missingDockerCommand?: string;
}

const KINDS: Record<number, OutrightKind> = {
  125: 'docker-refused',
  126: 'not-runnable',
  127: 'not-found',
};

const MAX_SAID = 240;

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines[lines.length - 1] ?? '';
  return line.length > MAX_SAID ? `${line.slice(0, MAX_SAID - 1)}…` : line;
}

/** The outright failure a finished command shows, or undefined when it ran (pass or fail). */
export function outrightFailure(result: ProcessResult): OutrightFailure | undefined {
  if (result.exitCode === null || result.timedOut || result.aborted) return undefined;
  // docker 20.10: "docker: 'compose' is not a docker command." (exit 125 or 1); 24+: "unknown
  // command: docker compose" (exit 1). Either way docker has no such command: outright.
  const missing =
    /docker: '([\w-]+)' is not a docker command/.exec(result.stderr)?.[1] ??
    /unknown command: docker ([\w-]+)/.exec(result.stderr)?.[1];
  const kind =
    KINDS[result.exitCode] ?? (missing && result.exitCode !== 0 ? 'not-found' : undefined);
  if (!kind) return undefined;
  const said = lastLine(result.stderr) || lastLine(result.stdout);
  return {
    kind,
    exitCode: result.exitCode,
    said,
    ...(missing ? { missingDockerCommand: missing } : {}),
  };
}

const WORDS: Record<Lang, Record<OutrightKind, string> & { fix: Record<OutrightKind, string> }> = {
  en: {
    'docker-refused': 'docker refused it',
    'not-runnable': 'a program it names is there but cannot be run',
    'not-found': 'a program it names was not found',
    fix: {
      'docker-refused':
        'Fix what docker says (a name already in use, an image not on the daemon, a flag it does not know), then run the step again.',
      'not-runnable': 'Make the program executable (chmod +x), or run it with its interpreter.',
      'not-found': 'Install the program, or correct its name, then run the step again.',
    },
  },
  'zh-CN': {
    'docker-refused': 'docker 拒绝执行',
    'not-runnable': '命令里的程序存在，但无法运行',
    'not-found': '找不到命令里的程序',
    fix: {
      'docker-refused':
        '按 docker 的提示修正（名称已被占用、守护进程上没有该镜像、不认识的参数），然后重新运行这一步。',
      'not-runnable': '给程序加上执行权限（chmod +x），或用它的解释器来运行。',
      'not-found': '安装这个程序，或改正它的名字，然后重新运行这一步。',
    },
  },
};

/** One sentence: which command, what happened, what it said, what to do. */
export function describeOutright(
  failure: OutrightFailure,
  where: { file: string; line: number },
  lang: Lang,
): string {
  const w = WORDS[lang];
  const said = failure.said
    ? lang === 'zh-CN'
      ? `：“${failure.said}”`
      : `: "${failure.said}"`
    : '';
  const fix =
    failure.missingDockerCommand === 'compose'
      ? lang === 'zh-CN'
        ? '这台机器上没有 Compose v2 插件。请安装 docker-compose-plugin（或 Debian 的 docker-compose 2.x），或使用 Compose v1 的 docker-compose。'
        : "This machine has no Compose v2 plugin: install it (docker-compose-plugin, or Debian's docker-compose 2.x), or use Compose v1's docker-compose."
      : w.fix[failure.kind];
  return lang === 'zh-CN'
    ? `${where.file}:${where.line}：命令以退出码 ${failure.exitCode} 失败，${w[failure.kind]}${said}。检查不再等待。${fix}`
    : `${where.file}:${where.line}: the command failed outright with exit ${failure.exitCode}, ${w[failure.kind]}${said}; its checks were not waited for. ${fix}`;
}

/**
 * Whether the author stated the exit code this command must end with (an `output` check naming
 * it, or naming none when it is the step's last command): then a 125 or 127 may be the lesson's
 * point, and the checks decide.
 */
export function authorStatesExit(step: Step, command: Command, isLast: boolean): boolean {
  return step.checks.some((check) => {
    if (check.kind !== 'output' || check.spec.exitCode === undefined) return false;
    const named = check.spec.command;
    return named === undefined ? isLast : named === command.id;
  });
}
