import { commandDangers, type CommandDanger } from './command-rules.js';
import type { Lesson } from './schema.js';

/**
 * What a lesson will do on the learner's machine, for the trust screen of a lesson from outside
 * the course: every command the TUI may run (solutions and manual ones included, CI-only ones
 * left out: the TUI never runs those), every command an `exec` check runs in a container, and
 * every file it writes. Items that trip the command rules come first, then the rest in lesson
 * order. Pure: reads the parsed lesson, nothing else.
 */
interface ItemBase {
  /** The step's id. */
  step: string;
  line: number;
  col: number;
  /** What the command rules say about it (empty for a harmless one, and for files). */
  dangers: CommandDanger[];
}

export interface CommandItem extends ItemBase {
  kind: 'command';
  script: string;
  /** The learner is asked before it runs. */
  confirm: boolean;
  /** The learner types it in a terminal of their own (verify runs it). */
  manual: boolean;
}

export interface ExecItem extends ItemBase {
  kind: 'exec';
  /** The container it runs in. */
  container: string;
  /** The command as `sh -c` gets it (a list is shown shell-quoted). */
  script: string;
  check: string;
}

export interface FileItem extends ItemBase {
  kind: 'file';
  /** Relative to the lesson's working directory. */
  path: string;
  mode?: number;
}

export type FootprintItem = CommandItem | ExecItem | FileItem;

/** A word as `sh` would need it written: quoted when it holds anything special. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function execScript(command: string | string[]): string {
  return typeof command === 'string' ? command : command.map(shellQuote).join(' ');
}

export function lessonFootprint(lesson: Lesson): FootprintItem[] {
  const items: FootprintItem[] = [];
  for (const step of lesson.steps) {
    for (const file of step.files) {
      items.push({
        kind: 'file',
        step: step.id,
        path: file.path,
        ...(file.mode !== undefined ? { mode: file.mode } : {}),
        line: file.line,
        col: file.col,
        dangers: [],
      });
    }
    for (const command of step.commands) {
      if (command.when === 'ci') continue;
      items.push({
        kind: 'command',
        step: step.id,
        script: command.script,
        confirm: command.confirm,
        manual: command.mode === 'manual',
        line: command.line,
        col: command.col,
        dangers: commandDangers(command.script),
      });
    }
    for (const check of step.checks) {
      if (check.kind !== 'exec') continue;
      const { spec } = check;
      const script = execScript(spec.command);
      items.push({
        kind: 'exec',
        step: step.id,
        container: spec.container,
        script,
        check: check.id,
        line: check.line,
        col: check.col,
        dangers: commandDangers(script),
      });
    }
  }
  return [
    ...items.filter((item) => item.dangers.length > 0),
    ...items.filter((item) => item.dangers.length === 0),
  ];
}
