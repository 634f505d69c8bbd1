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
import { messages } from '../i18n/messages.js';

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
  const r = messages(lang).run;
  return [
    r.lost(r.lostDuring(where.lesson, where.step), error.summary),
    r.lostStopped,
    r.lostWhatToDo,
    r.lostRestart,
    ...error.fix.map((line) => `  - ${line}`),
  ].join('\n');
}
