/**
 * Just enough of the POSIX shell grammar to read a lesson's commands the way `sh` will: words
 * with their quotes removed, line continuations joined, comments, redirections and here-documents
 * left out, split into simple commands and pipelines. Not an interpreter: `$VAR`, `$(...)` and
 * globs stay as written. Offsets point into the script, for diagnostics.
 */

export interface ShellWord {
  /** The word after quote removal (`"$PWD/data":/x` is `$PWD/data:/x`). */
  value: string;
  /** The word as written, from `start` to `end` in the script. */
  raw: string;
  start: number;
  end: number;
}

/** A command substitution or process substitution inside a word: `$(...)`, `<(...)`, `` `...` ``. */
export interface Substitution {
  /** Offset of the inner text in the script. */
  start: number;
  text: string;
}

export interface SimpleCommand {
  words: ShellWord[];
}

/** Commands joined by `|`: each one's output is the next one's input. */
export interface Pipeline {
  commands: SimpleCommand[];
}

export interface ParsedScript {
  pipelines: Pipeline[];
  /** Every `$(...)` and `<(...)` found, to be read as scripts of their own. */
  substitutions: Substitution[];
}

const BLANK = new Set([' ', '\t', '\r']);
const ENDS_WORD = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);

class Lexer {
  private pos = 0;
  private readonly pipelines: Pipeline[] = [];
  private readonly substitutions: Substitution[] = [];
  private words: ShellWord[] = [];
  private commands: SimpleCommand[] = [];
  private heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  /** The next word is a redirection's target (or a here-document's delimiter). */
  private redirect: 'target' | 'heredoc' | 'heredoc-tabs' | undefined;

  constructor(private readonly s: string) {}

  parse(): ParsedScript {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      const next = s[this.pos + 1];
      if (c === '\\' && next === '\n') this.pos += 2;
      else if (c === '\\' && next === '\r' && s[this.pos + 2] === '\n') this.pos += 3;
      else if (BLANK.has(c)) this.pos++;
      else if (c === '\n') {
        this.endPipeline();
        this.pos++;
        this.skipHeredocs();
      } else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === ';' || c === '(' || c === ')') {
        this.endPipeline();
        this.pos++;
      } else if (c === '&' && next === '>') {
        this.redirection();
      } else if (c === '&') {
        this.endPipeline();
        this.pos += next === '&' ? 2 : 1;
      } else if (c === '|') {
        if (next === '|') {
          this.endPipeline();
          this.pos += 2;
        } else {
          this.endCommand();
          this.pos += next === '&' ? 2 : 1;
        }
      } else if ((c === '<' || c === '>') && next !== '(') {
        this.redirection();
      } else {
        const word = this.word();
        const fd = /^\d+$/.test(word.raw) && (s[this.pos] === '<' || s[this.pos] === '>');
        if (fd) continue;
        if (this.redirect === 'heredoc' || this.redirect === 'heredoc-tabs')
          this.heredocs.push({
            delimiter: word.value,
            stripTabs: this.redirect === 'heredoc-tabs',
          });
        else if (!this.redirect) this.words.push(word);
        this.redirect = undefined;
      }
    }
    this.endPipeline();
    return { pipelines: this.pipelines, substitutions: this.substitutions };
  }

  private endCommand(): void {
    if (this.words.length > 0) this.commands.push({ words: this.words });
    this.words = [];
    this.redirect = undefined;
  }

  private endPipeline(): void {
    this.endCommand();
    if (this.commands.length > 0) this.pipelines.push({ commands: this.commands });
    this.commands = [];
  }

  private redirection(): void {
    const op = /^(?:&>>?|<<<|<<-?|<>|>>|>&|<&|>\||[<>])/.exec(this.s.slice(this.pos))![0];
    this.pos += op.length;
    this.redirect = op === '<<' ? 'heredoc' : op === '<<-' ? 'heredoc-tabs' : 'target';
  }

  /** After the line that started them, here-documents run to their delimiter lines. */
  private skipHeredocs(): void {
    for (const { delimiter, stripTabs } of this.heredocs) {
      while (this.pos < this.s.length) {
        let end = this.s.indexOf('\n', this.pos);
        if (end === -1) end = this.s.length;
        let line = this.s.slice(this.pos, end).replace(/\r$/, '');
        if (stripTabs) line = line.replace(/^\t+/, '');
        this.pos = end + 1;
        if (line === delimiter) break;
      }
    }
    this.heredocs = [];
  }

  /** Offset just past the `close` that balances the opener before `from`. */
  private balanced(from: number, open: string, close: string): number {
    const s = this.s;
    let depth = 1;
    let i = from;
    while (i < s.length && depth > 0) {
      const c = s[i]!;
      if (c === '\\') i += 2;
      else if (c === "'") {
        const end = s.indexOf("'", i + 1);
        i = end === -1 ? s.length : end + 1;
      } else if (c === '"') {
        i++;
        while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
        i++;
      } else {
        if (c === open) depth++;
        else if (c === close) depth--;
        i++;
      }
    }
    return Math.min(i, s.length);
  }

  /** `$(...)`, `<(...)`, `>(...)` at `pos` (the `(` is at pos + 1): kept whole in the word. */
  private substitution(): string {
    const start = this.pos;
    const end = this.balanced(start + 2, '(', ')');
    this.substitutions.push({ start: start + 2, text: this.s.slice(start + 2, end - 1) });
    this.pos = end;
    return this.s.slice(start, end);
  }

  private backquoted(): string {
    const start = this.pos;
    let end = this.s.indexOf('`', start + 1);
    if (end === -1) end = this.s.length - 1;
    this.substitutions.push({ start: start + 1, text: this.s.slice(start + 1, end) });
    this.pos = end + 1;
    return this.s.slice(start, end + 1);
  }

  private word(): ShellWord {
    const s = this.s;
    const start = this.pos;
    let value = '';
    // `<(` and `>(` start a word (process substitution); elsewhere `<` and `>` end one.
    if ((s[this.pos] === '<' || s[this.pos] === '>') && s[this.pos + 1] === '(')
      value += this.substitution();
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      const next = s[this.pos + 1];
      if (ENDS_WORD.has(c)) break;
      if (c === '\\') {
        if (next === '\n') this.pos += 2;
        else if (next === '\r' && s[this.pos + 2] === '\n') this.pos += 3;
        else {
          value += next ?? '';
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        const stop = end === -1 ? s.length : end;
        value += s.slice(this.pos + 1, stop);
        this.pos = stop + 1;
      } else if (c === '"') {
        this.pos++;
        while (this.pos < s.length && s[this.pos] !== '"') {
          const d = s[this.pos]!;
          const after = s[this.pos + 1];
          if (d === '\\' && after !== undefined && '"\\$`\n'.includes(after)) {
            if (after !== '\n') value += after;
            this.pos += 2;
          } else if (d === '$' && after === '(') value += this.substitution();
          else if (d === '`') value += this.backquoted();
          else {
            value += d;
            this.pos++;
          }
        }
        this.pos++;
      } else if (c === '$' && next === '(') value += this.substitution();
      else if (c === '$' && next === '{') {
        const end = s.indexOf('}', this.pos);
        const stop = end === -1 ? s.length : end + 1;
        value += s.slice(this.pos, stop);
        this.pos = stop;
      } else if (c === '`') value += this.backquoted();
      else {
        value += c;
        this.pos++;
      }
    }
    this.pos = Math.min(this.pos, s.length);
    return { value, raw: s.slice(start, this.pos), start, end: this.pos };
  }
}

export function parseShell(script: string): ParsedScript {
  return new Lexer(script).parse();
}

/** Words that only introduce the real command: keywords, `sudo`, `env`, assignments. */
const KEYWORDS = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'do', 'while', 'until']);
const WRAPPERS = new Set(['sudo', 'doas', 'env', 'nohup', 'time', 'command', 'exec', 'builtin']);
/** Options of the wrappers above that take a value (`sudo -u root`, `nice -n 5`). */
const WRAPPER_VALUE_OPTIONS = new Set(['-u', '-g', '-C', '-h', '-p', '-U', '-n', '-S']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The command's words from its program name on (`sudo -E FOO=1 rm -rf x` → `rm -rf x`). */
export function programWords(command: SimpleCommand): ShellWord[] {
  const words = command.words;
  let i = 0;
  while (i < words.length) {
    const w = words[i]!.value;
    if (KEYWORDS.has(w) || ASSIGNMENT.test(w)) {
      i++;
    } else if (WRAPPERS.has(w) || w === 'nice' || w === 'timeout') {
      i++;
      while (i < words.length && words[i]!.value.startsWith('-')) {
        i += WRAPPER_VALUE_OPTIONS.has(words[i]!.value) ? 2 : 1;
      }
      // `timeout 30s cmd`: the duration comes first.
      if (w === 'timeout' && i < words.length) i++;
    } else break;
  }
  return words.slice(i);
}

/** The program a word names, without its folder (`/usr/bin/curl` → `curl`). */
export function programName(word: ShellWord | undefined): string {
  if (!word) return '';
  return word.value.slice(word.value.lastIndexOf('/') + 1);
}
