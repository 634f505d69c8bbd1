import type { Token, Tokens } from 'marked';
import {
  CHECK_KIND_NAMES,
  CHECK_OPTION_NAMES,
  CHECK_SCHEMAS,
  checkFromParsed,
  DURATION_PATTERN,
  ID_PATTERN,
  durationMs,
  type Check,
  type CheckKind,
} from '../checks/schema.js';
import { judgesMistakes, MistakesSchema, normaliseCommand } from '../checks/mistakes.js';
import { LANGUAGES, type Lang } from '../i18n/lang.js';
import type { z } from 'zod';
import { messages, type Catalogue } from '../i18n/messages.js';
import { lexBlocks } from './block-lexer.js';
import type { NotUtf8 } from './loader.js';
import { compareDiagnostics, DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { splitFrontMatter } from './front-matter.js';
import { parseInfoString, type InfoAttribute } from './info-string.js';
import {
  COMMAND_FLAGS,
  COMMAND_LANGS,
  COMMAND_OPTIONS,
  FILE_OPTIONS,
  FrontMatterSchema,
  LESSON_FORMAT,
  QuizSchema,
  type Command,
  type FrontMatter,
  type Lesson,
  type Located,
  type Step,
} from './schema.js';
import { SourceText, type Position } from './source.js';
import { didYouMean, suggest } from './suggest.js';
import { YamlBlock } from './yaml-block.js';
import { reportZodIssues } from './zod-issues.js';

export interface ParseResult {
  /** Present when the lesson is usable: no errors (warnings may exist). */
  lesson?: Lesson;
  /** The lesson as far as it could be read, also when it has errors (for lint's own rules). */
  partial?: Lesson;
  /**
   * When the front matter could not be read (bad YAML, wrong keys), the body all the same,
   * with the front matter keys that did validate (`meta.invalid` names the others): lint runs
   * its own rules on it, so an error in the front matter never hides one in the steps.
   */
  salvaged?: Lesson;
  diagnostics: Diagnostic[];
  source: SourceText;
}

/** A step part's words (`Solution`, `Hint:`) in every language, from the catalogues. */
function anyOf(words: (lesson: Catalogue['lesson']) => readonly string[]): string {
  return LANGUAGES.flatMap((lang) => words(messages(lang).lesson))
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}
const SOLUTION_HEADING = new RegExp(`^(${anyOf((w) => w.solutionHeadings)})$`, 'i');
const HINT_PREFIX = new RegExp(`^\\s*(${anyOf((w) => w.hintPrefixes)})\\s*[:：]\\s*`, 'i');
const STEP_ID = /\s*\{#([^}]*)\}\s*$/;
const FENCE = /^( {0,3})(`{3,}|~{3,})/;

/** A top-level Markdown token with the offset where its raw text starts in the source. */
interface Placed {
  token: Token;
  offset: number;
}

function place(tokens: Token[], text: string, base: number): Placed[] {
  const placed: Placed[] = [];
  let cursor = base;
  for (const token of tokens) {
    // marked's top-level raws tile the input; indexOf guards against any normalisation.
    const found = token.raw.length > 0 ? text.indexOf(token.raw, cursor) : -1;
    const offset = found === -1 ? cursor : found;
    placed.push({ token, offset });
    cursor = offset + token.raw.length;
  }
  return placed;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/** markdown-it's default limit too: far beyond any lesson, far below a stack overflow. */
const MAX_NESTING = 100;
const CONTAINER_MARKER = /[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]))/y;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** The first line whose quote and list markers nest deeper than MAX_NESTING, if any. */
function deepestNesting(text: string, from: number): { offset: number; depth: number } | undefined {
  for (let start = from; start < text.length;) {
    const end = text.indexOf('\n', start);
    const lineEnd = end === -1 ? text.length : end;
    let depth = 0;
    let overAt = -1;
    CONTAINER_MARKER.lastIndex = start;
    while (CONTAINER_MARKER.lastIndex < lineEnd && CONTAINER_MARKER.test(text)) {
      depth++;
      if (depth === MAX_NESTING + 1) overAt = CONTAINER_MARKER.lastIndex - 1;
    }
    if (overAt !== -1 && !THEMATIC_BREAK.test(text.slice(start, lineEnd)))
      return { offset: overAt, depth };
    start = lineEnd + 1;
  }
  return undefined;
}

/** The longest run of lines without a blank line between them, after `from`. */
function largestBlock(
  text: string,
  from: number,
): { offset: number; lines: number; chars: number } {
  let best = { offset: from, lines: 0, chars: 0 };
  let run = { offset: from, lines: 0, chars: 0 };
  for (let start = from; start < text.length;) {
    const end = text.indexOf('\n', start);
    const lineEnd = end === -1 ? text.length : end;
    if (/^[ \t]*$/.test(text.slice(start, lineEnd))) {
      run = { offset: lineEnd + 1, lines: 0, chars: 0 };
    } else {
      if (run.lines === 0) run.offset = start;
      run.lines++;
      run.chars += lineEnd - start + 1;
      if (run.chars > best.chars) best = { ...run };
    }
    start = lineEnd + 1;
  }
  return best;
}

function formatSize(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
  if (chars >= 1024) return `${Math.round(chars / 1024)} KB`;
  return `${chars} characters`;
}

class LessonParser {
  private readonly sink: DiagnosticSink;
  private readonly ids = new Map<string, Position>();
  private readonly stepIds = new Map<string, Position>();
  private readonly steps: Step[] = [];
  private title: string | undefined;
  private intro = '';
  private step: Step | undefined;
  private inSolution = false;
  /** The last command of the current step, so an `input` block can attach to it. */
  private lastCode: Command | undefined;
  /** The current step has a check or quiz block, even one too broken to yield checks. */
  private stepHasChecks = false;
  private metaPositions: Record<string, Located> = {};
  /** Front matter keys that did not validate, when the front matter as a whole did not. */
  private invalidMeta: string[] | undefined;
  private salvagedMeta: (FrontMatter & { format: number }) | undefined;

  constructor(private readonly source: SourceText) {
    this.sink = new DiagnosticSink(source.file);
  }

  parse(): ParseResult {
    const span = splitFrontMatter(this.source, this.sink);
    let meta: (FrontMatter & { format: number }) | undefined;
    if (span) meta = this.frontMatter(span.yaml, span.yamlOffset);
    const metaPositions = this.metaPositions;
    if (span) this.body(span.bodyOffset);
    else if (!this.source.text.startsWith('---')) {
      // No front matter at all: the whole file is the body, still linted (an unclosed one
      // leaves no body to tell from it).
      this.salvage(undefined, undefined);
      this.body(0);
    }
    const diagnostics = [...this.sink.items].sort(compareDiagnostics);
    const partial: Lesson | undefined = meta
      ? {
          file: this.source.file,
          meta,
          metaPositions,
          title: this.title ?? meta.title,
          intro: this.intro.trim(),
          steps: this.steps,
        }
      : undefined;
    const ok = partial && !diagnostics.some((d) => d.severity === 'error');
    const salvaged: Lesson | undefined =
      !partial && this.salvagedMeta
        ? {
            file: this.source.file,
            meta: this.salvagedMeta,
            metaPositions,
            invalidMeta: this.invalidMeta ?? [],
            title: this.title ?? this.salvagedMeta.title,
            intro: this.intro.trim(),
            steps: this.steps,
          }
        : undefined;
    return {
      lesson: ok ? partial : undefined,
      partial,
      ...(salvaged ? { salvaged } : {}),
      diagnostics,
      source: this.source,
    };
  }

  /** Where each item of the front matter's lists stands, as `images.0`, `requires.1` ... */
  private itemPositions(meta: Record<string, unknown>, block: YamlBlock): void {
    for (const key of ['images', 'requires']) {
      const list = meta[key];
      if (Array.isArray(list))
        list.forEach((_, i) => (this.metaPositions[`${key}.${i}`] = block.position([key, i])));
    }
  }

  /**
   * The front matter keys that validate on their own, and stand-ins for the required ones that
   * do not (the file name for `id`, the language folder for `lang`), so lint can go on.
   */
  private salvage(input: unknown, block: YamlBlock | undefined): void {
    const record =
      input !== null && typeof input === 'object' && !Array.isArray(input)
        ? (input as Record<string, unknown>)
        : {};
    const good: Record<string, unknown> = {};
    const invalid: string[] = [];
    for (const [key, schema] of Object.entries(FrontMatterSchema.shape)) {
      const result = (schema as z.ZodType).safeParse(record[key]);
      // No front matter to read (missing, broken YAML): every key is unknown, none absent.
      if (!result.success || input === undefined) invalid.push(key);
      else if (result.data !== undefined) {
        good[key] = result.data;
        if (block) this.metaPositions[key] = block.position([], key);
      }
    }
    if (block) this.itemPositions(good, block);
    const file = this.source.file.replace(/\\/g, '/');
    const name = (file.split('/').pop() ?? '').replace(/\.md$/i, '');
    const folder = file.split('/').slice(-2, -1)[0] ?? '';
    const lang = (LANGUAGES as readonly string[]).includes(folder) ? (folder as Lang) : 'en';
    this.invalidMeta = invalid;
    this.salvagedMeta = {
      id: ID_PATTERN.test(name) ? name : 'lesson',
      title: '',
      lang,
      ...good,
      format: typeof good.format === 'number' ? good.format : LESSON_FORMAT,
    } as FrontMatter & { format: number };
  }

  private at(offset: number): Position {
    return this.source.position(offset);
  }

  private frontMatter(
    yaml: string,
    offset: number,
  ): (FrontMatter & { format: number }) | undefined {
    const block = YamlBlock.parse(this.source, yaml, offset, this.sink);
    if (!block) {
      this.salvage(undefined, undefined);
      return undefined;
    }
    const input = block.toJS();
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      this.sink.error(
        this.at(offset),
        'front-matter',
        'the front matter must be a YAML map of keys (id, title, lang ...)',
      );
      this.salvage(undefined, undefined);
      return undefined;
    }
    const format = (input as { format?: unknown }).format;
    if (typeof format === 'number' && format > LESSON_FORMAT) {
      this.sink.error(
        block.position(['format']),
        'format-version',
        `this lesson is written in lesson format ${format}, but this docker-lab understands format ${LESSON_FORMAT} at most: update docker-lab (npm install -g docker-lab@latest)`,
      );
      return undefined;
    }
    const result = FrontMatterSchema.safeParse(input);
    if (!result.success) {
      reportZodIssues(result.error.issues, {
        schema: FrontMatterSchema,
        block,
        basePath: [],
        input,
        subject: 'the front matter',
        sink: this.sink,
      });
      this.salvage(input, block);
      return undefined;
    }
    for (const key of Object.keys(result.data)) this.metaPositions[key] = block.position([], key);
    this.itemPositions(result.data, block);
    return { ...result.data, format: result.data.format ?? LESSON_FORMAT };
  }

  private body(bodyOffset: number): void {
    const text = this.source.text;
    const tokens = this.lex(bodyOffset);
    if (!tokens) return;
    for (const { token, offset } of place(tokens, text, bodyOffset)) this.token(token, offset);
    this.finishStep();
    if (this.title === undefined) {
      this.sink.error(
        this.at(bodyOffset),
        'structure',
        'the lesson has no "# Title" heading after its front matter',
      );
    } else if (this.steps.length === 0) {
      this.sink.error(
        this.at(bodyOffset),
        'structure',
        'the lesson has no steps: each step starts with a "## Step title {#step-id}" heading',
      );
    }
  }

  /**
   * The body's block tokens; undefined (with a located error) for Markdown no reader should
   * take: containers nested deeper than MAX_NESTING, or a block too big for marked.
   */
  private lex(bodyOffset: number): Token[] | undefined {
    const deep = deepestNesting(this.source.text, bodyOffset);
    if (deep) {
      this.sink.error(
        this.at(deep.offset),
        'structure',
        `quotes and lists nest ${deep.depth} deep on this line: docker-lab reads Markdown nested up to ${MAX_NESTING} levels; flatten them`,
      );
      return undefined;
    }
    try {
      return lexBlocks(this.source.text.slice(bodyOffset));
    } catch (error) {
      // marked's regular expressions ran out of backtracking stack on one huge block.
      if (!(error instanceof RangeError)) throw error;
      const block = largestBlock(this.source.text, bodyOffset);
      this.sink.error(
        this.at(block.offset),
        'structure',
        `the block that starts here (${block.lines} lines, ${formatSize(block.chars)}, no blank line) is too large for docker-lab's Markdown reader: split it with blank lines`,
      );
      return undefined;
    }
  }

  private append(raw: string): void {
    if (!this.step) this.intro += raw;
    else if (this.inSolution && this.step.solution) this.step.solution.markdown += raw;
    else this.step.markdown += raw;
  }

  private token(token: Token, offset: number): void {
    const pos = this.at(offset);
    if (token.type === 'heading') return this.heading(token as Tokens.Heading, offset);
    if (this.title === undefined) {
      if (
        token.type === 'space' ||
        (token.type === 'html' && token.raw.trimStart().startsWith('<!--'))
      )
        return;
      this.sink.error(
        pos,
        'structure',
        'text before the "# Title" heading: the title comes first, right after the front matter',
      );
      this.title = '';
      return;
    }
    if (token.type === 'code') return this.code(token as Tokens.Code, offset);
    if (token.type === 'html' && token.raw.trimStart().startsWith('<!--')) return;
    if (token.type === 'blockquote' && this.step) {
      const quote = token as Tokens.Blockquote;
      if (HINT_PREFIX.test(quote.text)) {
        this.step.hints.push({ markdown: quote.text.replace(HINT_PREFIX, '').trim(), ...pos });
        return;
      }
    }
    if (token.type === 'list') this.listWithCode(token as Tokens.List, offset);
    this.append(token.raw);
  }

  private heading(token: Tokens.Heading, offset: number): void {
    const pos = this.at(offset);
    if (token.depth === 1) {
      if (this.title !== undefined && this.title !== '') {
        this.sink.error(
          pos,
          'structure',
          'a second "# " title: a lesson has one; steps are "## " headings',
        );
        return;
      }
      this.title = token.text.trim();
      return;
    }
    if (this.title === undefined) {
      this.sink.error(
        pos,
        'structure',
        'the lesson needs its "# Title" heading before any other heading',
      );
      this.title = '';
    }
    if (token.depth === 2) return this.startStep(token, offset);
    if (token.depth === 3 && this.step) {
      if (SOLUTION_HEADING.test(token.text.trim())) {
        if (this.step.solution) {
          this.sink.error(
            pos,
            'structure',
            `step "${this.step.id}" already has a solution (line ${this.step.solution.line})`,
          );
        }
        this.step.solution = { markdown: '', ...pos };
        this.inSolution = true;
        return;
      }
      this.inSolution = false;
    }
    this.append(token.raw);
  }

  private startStep(token: Tokens.Heading, offset: number): void {
    this.finishStep();
    const pos = this.at(offset);
    const match = STEP_ID.exec(token.text);
    const title = token.text.replace(STEP_ID, '').trim();
    let id = match?.[1]?.trim() ?? '';
    if (!match) {
      const proposal = slug(title) || `step-${this.steps.length + 1}`;
      this.sink.error(
        pos,
        'step-id',
        `step "${title}" has no id: end its heading with {#${proposal}} (ids stay the same in every language)`,
      );
      id = proposal;
    } else if (!ID_PATTERN.test(id)) {
      const col = this.source.lineText(pos.line).indexOf('{#') + 1;
      this.sink.error(
        { line: pos.line, col: col || pos.col },
        'step-id',
        `step id "${id}" is not valid: use lowercase letters, digits and dashes`,
      );
    }
    const previous = this.stepIds.get(id);
    if (previous) {
      this.sink.error(
        pos,
        'duplicate-id',
        `step id "${id}" is already used by the step at line ${previous.line}`,
      );
    } else {
      this.stepIds.set(id, pos);
    }
    this.step = {
      id,
      title,
      markdown: '',
      commands: [],
      files: [],
      checks: [],
      quizzes: [],
      hints: [],
      mistakes: [],
      ...pos,
    };
    this.inSolution = false;
    this.lastCode = undefined;
    this.stepHasChecks = false;
  }

  private finishStep(): void {
    const step = this.step;
    if (!step) return;
    const runnable = step.commands.filter((c) => c.when !== 'learner');
    if (runnable.length > 0 && !this.stepHasChecks) {
      this.sink.warning(
        step,
        'no-check',
        `step "${step.id}" runs commands but checks nothing: add a \`yaml check\` block so the learner (and verify) can tell it worked`,
      );
    }
    const commandIds = new Set(step.commands.map((c) => c.id).filter(Boolean));
    step.commands.forEach((command, i) => {
      const first = step.commands.findIndex((c) => c.id === command.id);
      if (command.id !== undefined && first < i)
        this.sink.error(
          command,
          'duplicate-id',
          `command id "${command.id}" is already used in step "${step.id}" at line ${step.commands[first]!.line}: an \`output\` check could not tell which command it reads; give each its own id`,
        );
    });
    for (const check of step.checks) {
      const ref = check.kind === 'output' ? check.spec.command : undefined;
      if (ref !== undefined && !commandIds.has(ref)) {
        this.sink.error(
          check,
          'unknown-command',
          `check "${check.id}" reads the output of command "${ref}", but no command in step "${step.id}" has id=${ref}${didYouMean(ref, [...commandIds] as string[])}`,
        );
      }
      if (check.kind === 'output' && runnable.length === 0) {
        this.sink.error(
          check,
          'unknown-command',
          `check "${check.id}" reads command output, but step "${step.id}" runs no command`,
        );
      }
    }
    this.checkMistakes(step);
    for (const command of step.commands) {
      if (command.interactive && command.input === undefined && command.when !== 'learner') {
        this.sink.warning(
          command,
          'no-input',
          'this interactive command has no `input` block after it: verify will run it with nothing typed; add one with what a learner would type',
        );
      }
    }
    this.steps.push(step);
    this.step = undefined;
  }

  private listWithCode(list: Tokens.List, offset: number): void {
    const nested = (tokens: Token[]): boolean =>
      tokens.some(
        (t) =>
          (t.type === 'code' &&
            (COMMAND_LANGS as readonly string[]).includes(
              parseInfoString((t as Tokens.Code).lang ?? '').lang,
            )) ||
          ('tokens' in t && Array.isArray(t.tokens) && nested(t.tokens as Token[])),
      );
    if (list.items.some((item) => nested(item.tokens))) {
      this.sink.warning(
        this.at(offset),
        'nested-command',
        'a shell block inside a list is shown but never run: move it out of the list (unindent it) to make it a step command',
      );
    }
  }

  private code(token: Tokens.Code, offset: number): void {
    const fenceLine = token.raw.slice(
      0,
      token.raw.indexOf('\n') === -1 ? undefined : token.raw.indexOf('\n'),
    );
    const fence = FENCE.exec(fenceLine);
    if (!fence) {
      // An indented code block: shown as it is.
      this.append(token.raw);
      return;
    }
    const afterFence = fenceLine.slice(fence[0].length);
    const infoOffset =
      offset + fence[0].length + (afterFence.length - afterFence.trimStart().length);
    const info = parseInfoString(afterFence.trim());
    const contentOffset = offset + fenceLine.length + 1;
    const lang = info.lang.toLowerCase();
    const attr = (name: string) => info.attributes.find((a) => a.name === name);
    const attrPos = (a: InfoAttribute) => this.at(infoOffset + a.offset);
    const pos = this.at(offset);

    if (attr('file')) return this.fileBlock(token, info.attributes, attrPos, pos, lang);
    if ((COMMAND_LANGS as readonly string[]).includes(lang))
      return this.command(token, info.attributes, attrPos, pos);
    if (lang === 'yaml' && info.attributes.length > 0) {
      const [kind, ...extra] = info.attributes;
      for (const a of extra)
        this.sink.error(
          attrPos(a),
          'unknown-attribute',
          `unknown attribute "${a.name}" on a yaml ${kind!.name} block`,
        );
      if (kind!.name === 'check') return this.checks(token.text, contentOffset, pos);
      if (kind!.name === 'quiz') return this.quiz(token.text, contentOffset, pos);
      if (kind!.name === 'near-miss') return this.mistakes(token.text, contentOffset, pos);
      this.sink.error(
        attrPos(kind!),
        'unknown-attribute',
        `unknown block kind "yaml ${kind!.name}"${didYouMean(kind!.name, ['check', 'quiz', 'near-miss'])}: yaml blocks are "yaml check", "yaml quiz" or "yaml near-miss"`,
      );
      return;
    }
    if (lang === 'input') return this.input(token, pos);
    if (info.attributes.length > 0) {
      for (const a of info.attributes) {
        const known = [...FILE_OPTIONS, ...COMMAND_FLAGS, ...COMMAND_OPTIONS];
        this.sink.error(
          attrPos(a),
          'unknown-attribute',
          `unknown attribute "${a.name}" on a ${lang || 'plain'} block${didYouMean(a.name, known)}; only shell blocks (${COMMAND_LANGS.join(', ')}) run, and file=PATH writes a file`,
        );
      }
    }
    this.append(token.raw);
  }

  private requireStep(pos: Position, what: string): Step | undefined {
    if (!this.step) {
      this.sink.error(
        pos,
        'structure',
        `${what} outside a step: move it under a "## Step {#id}" heading`,
      );
      return undefined;
    }
    return this.step;
  }

  private command(
    token: Tokens.Code,
    attributes: InfoAttribute[],
    attrPos: (a: InfoAttribute) => Position,
    pos: Position,
  ): void {
    const flags = new Set<string>();
    const options = new Map<string, InfoAttribute>();
    const known = [...COMMAND_FLAGS, ...COMMAND_OPTIONS];
    for (const a of attributes) {
      if ((COMMAND_FLAGS as readonly string[]).includes(a.name)) {
        if (a.value !== undefined)
          this.sink.error(
            attrPos(a),
            'attribute-value',
            `"${a.name}" is a flag: write it alone, without =${a.value}`,
          );
        flags.add(a.name);
      } else if ((COMMAND_OPTIONS as readonly string[]).includes(a.name)) {
        if (!a.value)
          this.sink.error(
            attrPos(a),
            'attribute-value',
            `"${a.name}" needs a value, like ${a.name}=${a.name === 'timeout' ? '30s' : a.name === 'when' ? 'ci' : 'build'}`,
          );
        else options.set(a.name, a);
      } else {
        this.sink.error(
          attrPos(a),
          'unknown-attribute',
          `unknown attribute "${a.name}" on a shell block${didYouMean(a.name, known)}`,
        );
      }
    }
    if (flags.has('example')) {
      this.append(token.raw);
      return;
    }
    const step = this.requireStep(pos, 'a shell command');
    if (!step) return;
    const command: Command = {
      script: token.text,
      mode: flags.has('manual') ? 'manual' : 'run',
      interactive: flags.has('interactive'),
      background: flags.has('background'),
      confirm: flags.has('confirm'),
      fromSolution: this.inSolution,
      ...pos,
    };
    const id = options.get('id');
    if (id?.value) {
      if (!ID_PATTERN.test(id.value))
        this.sink.error(
          attrPos(id),
          'attribute-value',
          `command id "${id.value}" is not valid: use lowercase letters, digits and dashes`,
        );
      command.id = id.value;
    }
    const timeout = options.get('timeout');
    if (timeout?.value) {
      if (DURATION_PATTERN.test(timeout.value)) command.timeoutMs = durationMs(timeout.value);
      else
        this.sink.error(
          attrPos(timeout),
          'attribute-value',
          `timeout=${timeout.value} is not a duration: write it with its unit, like 500ms, 30s or 2m`,
        );
    }
    const when = options.get('when');
    if (when?.value) {
      if (when.value === 'ci' || when.value === 'learner') command.when = when.value;
      else
        this.sink.error(
          attrPos(when),
          'attribute-value',
          `when=${when.value} is not known: use when=ci or when=learner${didYouMean(when.value, ['ci', 'learner'])}`,
        );
    }
    if (command.interactive && command.background) {
      this.sink.error(
        pos,
        'attribute-value',
        'a command cannot be both interactive and background: a background command has no terminal',
      );
    }
    if (token.text.trim() === '')
      this.sink.error(
        pos,
        'empty-command',
        'this shell block is empty: write the command the step runs',
      );
    step.commands.push(command);
    this.lastCode = command;
    // What runs only under verify is never shown to a learner.
    if (command.when !== 'ci') this.append(token.raw);
  }

  private input(token: Tokens.Code, pos: Position): void {
    const step = this.requireStep(pos, 'an input block');
    if (!step) return;
    const last = this.lastCode;
    if (!last || !last.interactive || step.commands[step.commands.length - 1] !== last) {
      this.sink.error(
        pos,
        'input',
        'an `input` block belongs right after the `interactive` shell command it types into',
      );
      return;
    }
    if (last.input !== undefined) {
      this.sink.error(pos, 'input', 'this command already has an input block');
      return;
    }
    last.input = token.text.endsWith('\n') ? token.text : `${token.text}\n`;
  }

  private fileBlock(
    token: Tokens.Code,
    attributes: InfoAttribute[],
    attrPos: (a: InfoAttribute) => Position,
    pos: Position,
    lang: string,
  ): void {
    const step = this.requireStep(pos, 'a file block');
    if (!step) return;
    let path = '';
    let mode: number | undefined;
    for (const a of attributes) {
      if (a.name === 'file') {
        path = a.value ?? '';
        if (!path)
          this.sink.error(
            attrPos(a),
            'attribute-value',
            'file= needs a path, like file=Dockerfile',
          );
        else if (path.startsWith('/') || path.split('/').includes('..')) {
          this.sink.error(
            attrPos(a),
            'attribute-value',
            `file=${path} leaves the lesson's working directory: use a relative path inside it`,
          );
        }
      } else if (a.name === 'mode') {
        if (a.value && /^0?[0-7]{3}$/.test(a.value)) mode = parseInt(a.value, 8);
        else
          this.sink.error(
            attrPos(a),
            'attribute-value',
            `mode=${a.value ?? ''} is not an octal file mode: write it like mode=0755`,
          );
      } else {
        this.sink.error(
          attrPos(a),
          'unknown-attribute',
          `unknown attribute "${a.name}" on a file block${didYouMean(a.name, [...FILE_OPTIONS])}`,
        );
      }
    }
    const previous = step.files.find((f) => f.path === path);
    if (path && previous)
      this.sink.error(
        pos,
        'duplicate-file',
        `file ${path} is already written by this step at line ${previous.line}`,
      );
    step.files.push({
      path,
      content: token.text.endsWith('\n') ? token.text : `${token.text}\n`,
      lang,
      ...(mode === undefined ? {} : { mode }),
      ...pos,
    });
    this.lastCode = undefined;
    this.append(token.raw);
  }

  private claimId(id: string, pos: Position, what: string): void {
    const previous = this.ids.get(id);
    if (previous)
      this.sink.error(
        pos,
        'duplicate-id',
        `${what} id "${id}" is already used at line ${previous.line}; ids are unique in a lesson`,
      );
    else this.ids.set(id, pos);
  }

  private checks(text: string, contentOffset: number, pos: Position): void {
    const step = this.requireStep(pos, 'a check block');
    if (!step) return;
    this.stepHasChecks = true;
    const block = YamlBlock.parse(this.source, text, contentOffset, this.sink);
    if (!block) return;
    const items = block.toJS();
    if (!Array.isArray(items)) {
      this.sink.error(
        pos,
        'schema',
        'a check block is a YAML list: start each check with "- id: ..."',
      );
      return;
    }
    if (items.length === 0) {
      this.sink.error(pos, 'schema', 'this check block is empty: add at least one check');
      return;
    }
    items.forEach((item: unknown, index: number) => {
      const check = this.check(block, item, index);
      if (check) {
        this.claimId(check.id, check, 'check');
        step.checks.push(check);
      }
    });
  }

  private check(block: YamlBlock, item: unknown, index: number): Check | undefined {
    const itemPos = block.position([index]);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      this.sink.error(
        itemPos,
        'schema',
        'each check is a map with an id and a kind, like "- id: ran\\n  container: { name: web, running: true }"',
      );
      return undefined;
    }
    const record = item as Record<string, unknown>;
    const id = typeof record.id === 'string' ? record.id : undefined;
    const subject = id ? `check "${id}"` : `check #${index + 1} of this block`;
    const keys = Object.keys(record);
    const kinds = keys.filter((k): k is CheckKind => (CHECK_KIND_NAMES as string[]).includes(k));
    if (kinds.length === 0) {
      const unknown = keys.filter((k) => !CHECK_OPTION_NAMES.includes(k));
      let reported = false;
      for (const key of unknown) {
        const guess = suggest(key, [...CHECK_KIND_NAMES, ...CHECK_OPTION_NAMES]);
        if (guess && CHECK_OPTION_NAMES.includes(guess)) {
          this.sink.error(
            block.position([index], key),
            'unknown-key',
            `unknown key "${key}" in ${subject} (did you mean "${guess}"?)`,
          );
        } else {
          this.sink.error(
            block.position([index], key),
            'unknown-kind',
            `unknown check kind "${key}" in ${subject}${guess ? ` (did you mean "${guess}"?)` : `: kinds are ${CHECK_KIND_NAMES.join(', ')}`}`,
          );
          reported = true;
        }
      }
      if (!reported) {
        this.sink.error(
          itemPos,
          'unknown-kind',
          `${subject} says nothing to check: add one kind key, one of ${CHECK_KIND_NAMES.join(', ')}`,
        );
      }
      return undefined;
    }
    if (kinds.length > 1) {
      this.sink.error(
        block.position([index], kinds[1]),
        'schema',
        `${subject} has two kinds (${kinds.join(' and ')}): one kind per check; split it into two checks`,
      );
      return undefined;
    }
    const kind = kinds[0]!;
    const schema = CHECK_SCHEMAS[kind];
    const result = schema.safeParse(record);
    if (!result.success) {
      reportZodIssues(result.error.issues, {
        schema,
        block,
        basePath: [index],
        input: record,
        subject,
        sink: this.sink,
      });
      return undefined;
    }
    return checkFromParsed(kind, result.data, itemPos);
  }

  /** A `yaml near-miss` block: the step's typical mistakes, for verify to prove refused. */
  private mistakes(text: string, contentOffset: number, pos: Position): void {
    const step = this.requireStep(pos, 'a near-miss block');
    if (!step) return;
    const block = YamlBlock.parse(this.source, text, contentOffset, this.sink);
    if (!block) return;
    const input = block.toJS();
    const result = MistakesSchema.safeParse(input);
    if (!result.success) {
      reportZodIssues(result.error.issues, {
        schema: MistakesSchema,
        block,
        basePath: [],
        input,
        subject: 'this near-miss block',
        sink: this.sink,
      });
      return;
    }
    result.data.forEach((spec, index) => {
      step.mistakes.push({
        command: spec.command,
        mistake: spec.mistake,
        ...(spec.fails ? { fails: spec.fails } : {}),
        ...(spec.wait ? { waitMs: durationMs(spec.wait) } : {}),
        ...block.position([index]),
      });
    });
  }

  /**
   * Near misses make sense against the step's checks: they name existing checks, the step has
   * checks to refuse them, and none is the step's own command (that one must pass).
   */
  private checkMistakes(step: Step): void {
    const checkIds = step.checks.map((c) => c.id);
    const own = new Set(step.commands.map((c) => normaliseCommand(c.script)));
    for (const mistake of step.mistakes) {
      if (step.checks.length === 0 && !this.stepHasChecks) {
        this.sink.error(
          mistake,
          'near-miss',
          `step "${step.id}" has near misses but no checks to refuse them: add a \`yaml check\` block`,
        );
      }
      for (const id of mistake.fails ?? []) {
        const named = step.checks.find((c) => c.id === id);
        if (named && !judgesMistakes(named))
          this.sink.error(
            mistake,
            'near-miss',
            `this near miss names check "${id}", which reads the output of command "${named.kind === 'output' ? named.spec.command : ''}": a near miss is typed instead of the step's commands, so that output is not there; name a check of what the mistake gets wrong`,
          );
        if (!checkIds.includes(id))
          this.sink.error(
            mistake,
            'near-miss',
            `this near miss names check "${id}", but step "${step.id}" has no check with that id${didYouMean(id, checkIds)}; "fails" lists checks of the same step`,
          );
      }
      if (own.has(normaliseCommand(mistake.command)))
        this.sink.error(
          mistake,
          'near-miss',
          `this near miss is a command of step "${step.id}" itself: a near miss is a wrong command its checks must refuse; change one word to make it the typical mistake`,
        );
    }
  }

  private quiz(text: string, contentOffset: number, pos: Position): void {
    const step = this.requireStep(pos, 'a quiz');
    if (!step) return;
    this.stepHasChecks = true;
    const block = YamlBlock.parse(this.source, text, contentOffset, this.sink);
    if (!block) return;
    const input = block.toJS();
    const result = QuizSchema.safeParse(input);
    if (!result.success) {
      const id = (input as { id?: unknown } | null)?.id;
      reportZodIssues(result.error.issues, {
        schema: QuizSchema,
        block,
        basePath: [],
        input,
        subject: typeof id === 'string' ? `quiz "${id}"` : 'this quiz',
        sink: this.sink,
      });
      return;
    }
    const located: Located = block.position([]);
    this.claimId(result.data.id, located, 'quiz');
    step.quizzes.push({ ...result.data, ...located });
  }
}

/**
 * Parses a lesson's Markdown into a Lesson and every problem found on the way. Pure. Pass the
 * loaded source as `read` (see loader.ts): a file that is not UTF-8 is reported, not parsed.
 */
export function parseLesson(file: string, text: string, read?: { notUtf8?: NotUtf8 }): ParseResult {
  const source = new SourceText(file, text);
  const bad = read?.notUtf8;
  if (bad) {
    const sink = new DiagnosticSink(file);
    const hex = bad.byte.toString(16).toUpperCase().padStart(2, '0');
    sink.error(
      bad,
      'encoding',
      `the file is not UTF-8: byte 0x${hex} here (byte ${bad.byteOffset + 1} of the file) does not begin a valid UTF-8 character; save the file as UTF-8 (your editor's "save with encoding")`,
    );
    return { diagnostics: sink.items, source };
  }
  return new LessonParser(source).parse();
}
