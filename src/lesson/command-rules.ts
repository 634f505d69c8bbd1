import type { DiagnosticSink } from './diagnostics.js';
import type { Command, Lesson } from './schema.js';

/**
 * Rules about what a lesson's commands do to the learner's machine. A lesson may only touch
 * what it created; these patterns reach beyond it. An author who means it marks the block
 * `confirm` (the learner is then asked before it runs) and the rule is satisfied.
 */
interface CommandRule {
  rule: string;
  /** Global, so every occurrence in a script is reported. */
  pattern: RegExp;
  message: (matched: string) => string;
  /** `confirm` on the block acknowledges the rule. */
  confirmable: boolean;
}

const DOCKER = String.raw`docker(?:\s+(?:container|image|volume|network))?`;
const ALL_IDS = String.raw`\$\(\s*docker\s+(?:container\s+|image\s+|volume\s+|network\s+)?(?:ps|ls|images)\b[^)]*-[a-zA-Z]*q[^)]*\)`;
const SCOPE = 'name what this lesson created instead (docker rm NAME), or mark the block `confirm`';

const RULES: CommandRule[] = [
  {
    rule: 'dangerous-command',
    pattern: new RegExp(String.raw`\b${DOCKER}\s+(?:rm|rmi|kill|stop)\b[^\n;&|]*${ALL_IDS}`, 'g'),
    message: (m) =>
      `\`${m}\` acts on everything on the machine, the learner's own resources included: ${SCOPE}`,
    confirmable: true,
  },
  {
    rule: 'dangerous-command',
    pattern: /\bdocker\s+(?:system|container|image|volume|network|builder|buildx)\s+prune\b/g,
    message: (m) => `\`${m}\` removes resources the learner had before the lesson: ${SCOPE}`,
    confirmable: true,
  },
  {
    rule: 'sudo',
    pattern: /(?<=^|[;&|(]\s*)sudo\b/gm,
    message: () =>
      '`sudo` in a lesson command: docker-lab runs commands as the learner and verify has no one to type a password; if docker needs root, `docker-lab doctor` explains the docker group',
    confirmable: false,
  },
];

/** Line and column of a match inside a command's script (the script starts below the fence). */
function locate(command: Command, index: number): { line: number; col: number } {
  const lines = command.script.slice(0, index).split('\n');
  return { line: command.line + lines.length, col: lines[lines.length - 1]!.length + 1 };
}

export function checkCommands(lesson: Lesson, sink: DiagnosticSink): void {
  for (const step of lesson.steps) {
    for (const command of step.commands) {
      for (const rule of RULES) {
        if (rule.confirmable && command.confirm) continue;
        for (const match of command.script.matchAll(rule.pattern)) {
          sink.error(locate(command, match.index), rule.rule, rule.message(match[0]));
        }
      }
    }
  }
}
