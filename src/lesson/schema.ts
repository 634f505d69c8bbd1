import { z } from 'zod';
import { MAX_NODES } from '../checks/nodes.js';
import { DurationSchema, IdSchema, type Check } from '../checks/schema.js';
import type { Mistake } from '../checks/mistakes.js';

/** The newest lesson format this docker-lab understands; a lesson asking for more is refused. */
export const LESSON_FORMAT = 1;
import { LANGUAGES } from '../i18n/lang.js';

export const FrontMatterSchema = z.strictObject({
  format: z.number().int().min(1).optional(),
  id: IdSchema,
  title: z.string().min(1),
  lang: z.enum(LANGUAGES),
  summary: z.string().optional(),
  order: z.number().optional(),
  duration: DurationSchema.optional(),
  images: z.array(z.string().min(1)).optional(),
  requires: z.array(IdSchema).optional(),
  tags: z.array(z.string()).optional(),
  /** How many Docker daemons the lesson runs on (a swarm of them); more than 1 means a sandbox. */
  nodes: z.number().int().min(1).max(MAX_NODES).optional(),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export const FRONT_MATTER_KEYS = Object.keys(FrontMatterSchema.shape);

export const QuizSchema = z
  .strictObject({
    id: IdSchema,
    question: z.string().min(1),
    choices: z.array(z.string().min(1)).min(2),
    /** 1-based: `answer: 2` is the second choice; a list when several are right. */
    answer: z.union([z.number().int().min(1), z.array(z.number().int().min(1)).min(1)]),
    explain: z.string().optional(),
  })
  .superRefine((quiz, ctx) => {
    const answers = Array.isArray(quiz.answer) ? quiz.answer : [quiz.answer];
    for (const answer of answers) {
      if (answer > quiz.choices.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['answer'],
          message: `${answer} is past the last choice (there are ${quiz.choices.length}; answers count from 1)`,
        });
      }
    }
  });
export type QuizSpec = z.infer<typeof QuizSchema>;
export const QUIZ_KEYS = ['id', 'question', 'choices', 'answer', 'explain'];

export interface Located {
  line: number;
  col: number;
}

/** Who runs a command: the runner (the learner presses a key) or the learner in a terminal. */
export type CommandMode = 'run' | 'manual';

export interface Command extends Located {
  /** The shell text, exactly as shown to the learner. */
  script: string;
  id?: string;
  mode: CommandMode;
  /** Needs a terminal (docker run -it, attach, a database shell). */
  interactive: boolean;
  /** What CI types into an interactive command, from the `input` block after it. */
  input?: string;
  background: boolean;
  /** The author acknowledged that it reaches beyond the lesson; the learner confirms it. */
  confirm: boolean;
  timeoutMs?: number;
  /** `ci` commands run only under verify; `learner` ones only in the TUI. */
  when?: 'ci' | 'learner';
  /** From the step's solution: run by verify, shown to the learner only on request. */
  fromSolution: boolean;
}

export interface LessonFile extends Located {
  path: string;
  content: string;
  lang: string;
  mode?: number;
}

export interface Quiz extends QuizSpec, Located {}

export interface Prose {
  markdown: string;
}

export interface Hint extends Located {
  markdown: string;
}

export interface Step extends Located {
  id: string;
  title: string;
  /** The step's prose with runnable blocks left in place, for rendering. */
  markdown: string;
  commands: Command[];
  files: LessonFile[];
  checks: Check[];
  quizzes: Quiz[];
  hints: Hint[];
  /** Typical wrong commands (`yaml near-miss`): verify proves the checks refuse each. */
  mistakes: Mistake[];
  solution?: { markdown: string } & Located;
}

export interface Lesson {
  file: string;
  meta: FrontMatter & { format: number };
  /** Where each front matter key stands, for diagnostics about the lesson as a whole. */
  metaPositions: Record<string, Located>;
  /**
   * Present on a lesson salvaged for lint when its front matter did not validate: the keys that
   * did not (their values in `meta` are stand-ins, or absent).
   */
  invalidMeta?: string[];
  title: string;
  intro: string;
  steps: Step[];
}

/** The step options an info string may carry, by block kind (for lint's "did you mean"). */
export const COMMAND_LANGS = ['sh', 'bash', 'shell'] as const;
export const COMMAND_FLAGS = ['manual', 'interactive', 'background', 'example', 'confirm'] as const;
export const COMMAND_OPTIONS = ['id', 'timeout', 'when'] as const;
export const FILE_OPTIONS = ['file', 'mode'] as const;
