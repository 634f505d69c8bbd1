/**
 * Notices, within seconds, that the daemon went away while a lesson runs (killed, stopped,
 * its machine gone), so the lesson stops at once with one sentence instead of every check
 * waiting out its timeout and cleanup retrying forever. The Engine's event stream is the
 * tripwire: it drops the moment the daemon does; the watch then pings, and a daemon that does
 * not answer three pings in about two seconds is lost (one that restarts in a blink is not).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from '../docker/client.js';
import { DockerAccessError } from '../docker/errors.js';
import type { Lang } from '../i18n/lang.js';

const PINGS = 3;
const PING_TIMEOUT_MS = 2_000;
const PING_EVERY_MS = 700;

export class DaemonWatch {
  private readonly controller = new AbortController();
  private lostError: DockerAccessError | undefined;
  private probing: Promise<void> | undefined;

  constructor(private readonly engine: Engine) {}

  /** Fires when the daemon is lost; its reason is the DockerAccessError. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the daemon is lost (what happened, where, what to do), or undefined. */
  get lost(): DockerAccessError | undefined {
    return this.lostError;
  }

  /** Something suggests the daemon is gone (its event stream dropped): find out, once at a time. */
  suspect(): void {
    if (this.probing || this.lostError) return;
    this.probing = this.probe().finally(() => {
      this.probing = undefined;
    });
  }

  /** Waits for a probe under way (tests, and a run that is about to report). */
  async settled(): Promise<void> {
    await this.probing;
  }

  private async probe(): Promise<void> {
    let last: DockerAccessError | undefined;
    for (let i = 0; i < PINGS; i++) {
      if (i > 0) await sleep(PING_EVERY_MS);
      try {
        await this.engine.call(
          (abortSignal) =>
            this.engine.docker.ping({ abortSignal } as never) as unknown as Promise<unknown>,
          PING_TIMEOUT_MS,
        );
        return;
      } catch (error) {
        // Only "cannot reach the daemon" counts; any other answer means it is there.
        if (!(error instanceof DockerAccessError)) return;
        last = error;
      }
    }
    this.lostError = last;
    this.controller.abort(last);
  }
}

/** One sentence for a lesson stopped because its daemon went away, with what to do. */
export function describeLostDaemon(
  error: DockerAccessError,
  where: { lesson: string; step?: string },
  lang: Lang = 'en',
): string {
  const fixes = error.fix.map((line) => `  - ${line}`);
  if (lang === 'zh-CN') {
    const during = where.step
      ? `在课程 ${where.lesson} 的“${where.step}”这一步中`
      : `在课程 ${where.lesson} 中`;
    return [
      `${during}，Docker 守护进程不见了。${error.summary}`,
      'docker-lab 已停止本课以及它启动的所有命令；你的进度已保存。本课创建的东西还留在那个守护进程上：下次在它上面运行 docker-lab 时，会列出剩下的东西并删除它们。',
      '怎么办：',
      '  - 重新启动守护进程（sudo systemctl start docker，或启动 Docker Desktop；用 docker-lab 的脚本安装的机器：bash scripts/setup-docker.sh），然后再运行本课。',
      ...fixes,
    ].join('\n');
  }
  const during = where.step
    ? `during step "${where.step}" of ${where.lesson}`
    : `during ${where.lesson}`;
  return [
    `The Docker daemon went away ${during}. ${error.summary}`,
    'docker-lab stopped the lesson and every command it had started; your progress is kept. What the lesson had created is still on that daemon: the next docker-lab run on it names what is left and removes it.',
    'What to do:',
    '  - Start the daemon again (sudo systemctl start docker, or start Docker Desktop; on a machine set up by docker-lab: bash scripts/setup-docker.sh), then run the lesson again.',
    ...fixes,
  ].join('\n');
}
