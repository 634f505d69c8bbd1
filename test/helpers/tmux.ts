/**
 * A real pseudo-terminal for end-to-end tests: a tmux server of the test's own (`-L`, so tests
 * running at the same time never share one) with a fixed 100x30 window running `sh`. Tests type
 * into it with send-keys and read the screen with capture-pane, polling until the expected text
 * appears, never sleeping a fixed time.
 */
import { execFileSync } from 'node:child_process';

export interface TmuxOptions {
  /** Environment of the shell in the pane (added to a minimal one). */
  env?: Record<string, string>;
  cwd?: string;
  width?: number;
  height?: number;
}

export class Tmux {
  readonly socket: string;

  constructor(name: string, options: TmuxOptions = {}) {
    this.socket = `dl-e2e-${name}-${process.pid}`;
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      PS1: '$ ',
      ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      ...options.env,
    };
    this.tmux(
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(options.width ?? 100),
      '-y',
      String(options.height ?? 30),
      ...(options.cwd ? ['-c', options.cwd] : []),
      'env',
      '-i',
      ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
      'sh',
    );
    this.tmux('set-option', '-t', 'main', 'history-limit', '5000');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      timeout: 10_000,
    });
  }

  /** Types keys: literal text with `literal`, else tmux key names (Enter, C-c, Up). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Types a command line and Enter into the pane's shell. */
  line(command: string): void {
    this.type(command);
    this.keys('Enter');
  }

  /** The visible screen, or with `history` everything since the pane started. */
  screen(options: { history?: boolean; escapes?: boolean } = {}): string {
    return this.tmux(
      'capture-pane',
      '-p',
      '-t',
      'main',
      ...(options.history ? ['-S', '-'] : []),
      ...(options.escapes ? ['-e'] : []),
    );
  }

  /** Polls the screen until `until` holds (a string it contains, or a predicate); returns it. */
  async waitFor(
    until: string | RegExp | ((screen: string) => boolean),
    options: { timeoutMs?: number; history?: boolean; escapes?: boolean } = {},
  ): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    const test =
      typeof until === 'string'
        ? (s: string) => s.includes(until)
        : until instanceof RegExp
          ? (s: string) => until.test(s)
          : until;
    let screen = '';
    for (;;) {
      screen = this.screen(options);
      if (test(screen)) return screen;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${String(until)}; the screen was:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
