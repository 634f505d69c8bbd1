/**
 * The tail of a running command's output: a bounded ring of lines, so a command that prints
 * 100,000 lines costs the same memory as one that prints 20, and rendering stays cheap.
 */
export class OutputTail {
  private lines: string[] = [];
  private partial = '';
  private count = 0;

  constructor(private readonly keep: number) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.count += parts.length;
    if (parts.length >= this.keep) {
      this.lines = parts.slice(-this.keep);
    } else {
      this.lines.push(...parts);
      if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    }
  }

  /** The last lines, the unfinished one included. */
  tail(n = this.keep): string[] {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-n);
  }

  get total(): number {
    return this.count + (this.partial ? 1 : 0);
  }
}
