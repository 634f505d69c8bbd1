/**
 * Types scripted input into an interactive command the way a person would: one line at a time,
 * each once the program is ready for it. Written all at once, the lines land in whatever reads
 * the terminal first (apt-get, a pager) and are lost to the shell they were meant for.
 * Ready means: the output ends like a prompt (`# `, `$ `, `> `, `: `) and has been still a
 * moment, or it has been quiet for a while (a program that prompts without those characters).
 */
const PROMPT = /[#$>%:?\]]\s?$/;
// SGR and cursor sequences would hide a prompt's last character.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export interface TypistOptions {
  promptSettleMs?: number;
  quietMs?: number;
}

export class Typist {
  private tail = '';
  private lastOutput = Date.now();
  private waiters: (() => void)[] = [];

  constructor(private readonly options: TypistOptions = {}) {}

  /** Feed everything the command prints. */
  saw(chunk: string): void {
    this.tail = (this.tail + chunk.replace(ANSI, '')).slice(-200);
    this.lastOutput = Date.now();
    for (const wake of this.waiters.splice(0)) wake();
  }

  private ready(now: number): boolean {
    const still = now - this.lastOutput;
    if (PROMPT.test(this.tail) && still >= (this.options.promptSettleMs ?? 80)) return true;
    return still >= (this.options.quietMs ?? 1_200);
  }

  /** Resolves when the program looks ready for the next line, or when `stopped` fires. */
  async waitReady(stopped: AbortSignal): Promise<void> {
    while (!stopped.aborted && !this.ready(Date.now())) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 40);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** What was typed since is not a prompt: the next line waits for a fresh one. */
  typed(): void {
    this.tail = '';
    this.lastOutput = Date.now();
  }
}

export async function typeLines(
  input: string,
  write: (text: string) => void,
  typist: Typist,
  stopped: AbortSignal,
): Promise<void> {
  const lines = input.endsWith('\n') ? input.slice(0, -1).split('\n') : input.split('\n');
  for (const line of lines) {
    await typist.waitReady(stopped);
    if (stopped.aborted) return;
    typist.typed();
    write(`${line}\n`);
  }
}
