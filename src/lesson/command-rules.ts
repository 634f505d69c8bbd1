import type { DiagnosticSink } from './diagnostics.js';
import type { Command, Lesson } from './schema.js';
import {
  parseShell,
  programName,
  programWords,
  type ShellWord,
  type SimpleCommand,
} from './shell-words.js';

/**
 * Rules about what a lesson's commands do to the learner's machine. A lesson may only touch
 * what it created; these commands reach beyond it: Docker resources that are not the lesson's,
 * the host's files, its processes, root itself. An author who means it marks the block
 * `confirm` (the learner is then asked before it runs) and says why in the prose; a block marked
 * `example` is shown and never run, so it is not checked at all.
 */
export type CommandRuleId =
  | 'dangerous-command'
  | 'sudo'
  | 'docker-socket'
  | 'host-mount'
  | 'privileged'
  | 'pipe-to-shell'
  | 'rm-outside';

/** One thing a script does beyond the lesson. */
export interface CommandDanger {
  rule: CommandRuleId;
  /** Offset in the script where the offending text starts. */
  index: number;
  /** What a learner recognises, short: the mount source, the flag, `curl … | sh`, the path. */
  subject: string;
  /** The lint message: what is reached, and the fix. */
  message: string;
  /** `confirm` on the block acknowledges it. */
  confirmable: boolean;
}

interface PatternRule {
  rule: CommandRuleId;
  /** Global, so every occurrence in a script is reported. */
  pattern: RegExp;
  message: (matched: string) => string;
  confirmable: boolean;
}

const DOCKER = String.raw`docker(?:\s+(?:container|image|volume|network))?`;
const ALL_IDS = String.raw`\$\(\s*docker\s+(?:container\s+|image\s+|volume\s+|network\s+)?(?:ps|ls|images)\b[^)]*-[a-zA-Z]*q[^)]*\)`;
const SCOPE = 'name what this lesson created instead (docker rm NAME), or mark the block `confirm`';
/** The way out shared by every rule about the host. */
const CONFIRM = 'or mark the block `confirm` and say in the prose why it needs it';

const PATTERN_RULES: PatternRule[] = [
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

// ---------------------------------------------------------------------------------------------
// Paths: where on the machine a path written in a command points.

/** The script as the learner reads it, on one line (`\` continuations joined). */
function shown(text: string): string {
  return text.replace(/\\\r?\n\s*/g, ' ').trim();
}

const PWD_PREFIX = /^(?:\$PWD|\$\{PWD\}|\$\(pwd\)|`pwd`)(?=\/|$)/;
const HOME_PREFIX = /^(?:~[^/]*|\$HOME|\$\{HOME\})(?=\/|$)/;

/** Does a relative path climb above the folder it starts in (`../x`, `a/../../b`)? */
function climbsOut(path: string): boolean {
  let depth = 0;
  for (const segment of path.split('/')) {
    if (segment === '..') depth--;
    else if (segment !== '.' && segment !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * What a path outside the lesson's working directory reaches, as a noun phrase ("the machine's
 * /etc"), or undefined when it stays inside (a relative path, `./x`, `"$PWD"/x`).
 */
export function outsideWorkdir(path: string): string | undefined {
  const pwd = PWD_PREFIX.exec(path);
  if (pwd) {
    return climbsOut(path.slice(pwd[0].length))
      ? `${path} (above the lesson's working directory)`
      : undefined;
  }
  if (HOME_PREFIX.test(path)) return `${path} in the learner's home folder`;
  if (path.startsWith('/')) {
    const normal = `/${path
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .join('/')}`;
    if (normal === '/' || normal === '/*') return `the machine's whole file system (${path})`;
    return `the machine's ${path}`;
  }
  if (path.startsWith('$') || path.startsWith('`'))
    return `${path} (a variable: it may name any folder)`;
  return climbsOut(path) ? `${path} (above the lesson's working directory)` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Docker options: `docker run` and friends, read the way the CLI reads them.

/** Long options of run/create/exec/service that take no value. */
const DOCKER_FLAGS = new Set([
  'rm',
  'detach',
  'interactive',
  'tty',
  'privileged',
  'init',
  'read-only',
  'publish-all',
  'no-healthcheck',
  'oom-kill-disable',
  'sig-proxy',
  'disable-content-trust',
  'quiet',
  'help',
  'use-api-socket',
  'no-resolve-image',
  'with-registry-auth',
  'no-deps',
  'service-ports',
  'remove-orphans',
  'build',
  'pull-always',
]);
/** One-letter options that take a value (`-v SRC:DST`, `-e K=V`, `-p 80:80`, `-w DIR`). */
const DOCKER_SHORT_VALUES = new Set(['a', 'c', 'e', 'h', 'l', 'm', 'p', 'u', 'v', 'w']);
/** Options before the subcommand that take a value (`docker -H tcp://x run`, `compose -f`). */
const GLOBAL_VALUES = new Set([
  '-H',
  '--host',
  '-c',
  '--context',
  '-l',
  '--log-level',
  '--config',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--profile',
  '--env-file',
  '--project-directory',
  '--ansi',
  '--progress',
  '--parallel',
]);
const MANAGEMENT = new Set(['container', 'service', 'compose']);
/** Subcommands that start a container (or a service's containers) with these options. */
const STARTS_CONTAINER = new Set([
  'run',
  'create',
  'exec',
  'container run',
  'container create',
  'container exec',
  'service create',
  'service update',
  'compose run',
  'compose create',
]);

interface DockerOption {
  name: string;
  value: string | undefined;
  /** From the option's first character to the end of its value. */
  start: number;
  end: number;
}

/** The subcommand (`run`, `container run`, `compose run`) and where its options start. */
function dockerSubcommand(words: ShellWord[]): { sub: string; at: number } | undefined {
  let i = 1;
  const skipOptions = () => {
    while (i < words.length && words[i]!.value.startsWith('-')) {
      const w = words[i]!.value;
      i += GLOBAL_VALUES.has(w) ? 2 : 1;
    }
  };
  skipOptions();
  const first = words[i]?.value;
  if (!first) return undefined;
  i++;
  if (!MANAGEMENT.has(first)) return { sub: first, at: i };
  skipOptions();
  const second = words[i]?.value;
  if (!second) return undefined;
  return { sub: `${first} ${second}`, at: i + 1 };
}

/** The options of a container-starting subcommand, up to its image (or container). */
function dockerOptions(words: ShellWord[], at: number): DockerOption[] {
  const options: DockerOption[] = [];
  let i = at;
  while (i < words.length) {
    const word = words[i]!;
    const w = word.value;
    if (w === '--' || !w.startsWith('-') || w === '-') break;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      if (eq !== -1) {
        options.push({ name: w.slice(2, eq), value: w.slice(eq + 1), ...span(word) });
        i++;
      } else if (DOCKER_FLAGS.has(w.slice(2)) || i + 1 >= words.length) {
        options.push({ name: w.slice(2), value: undefined, ...span(word) });
        i++;
      } else {
        const value = words[i + 1]!;
        options.push({ name: w.slice(2), value: value.value, start: word.start, end: value.end });
        i += 2;
      }
      continue;
    }
    // A cluster of one-letter options: `-dit`, `-v/x:/y`, `-p8080:80`, `-it -v x:y`.
    i++;
    for (let k = 1; k < w.length; k++) {
      const letter = w[k]!;
      if (!DOCKER_SHORT_VALUES.has(letter)) continue;
      let value = w.slice(k + 1).replace(/^=/, '');
      let end = word.end;
      if (value === '' && i < words.length) {
        value = words[i]!.value;
        end = words[i]!.end;
        i++;
      }
      options.push({ name: letter, value, start: word.start, end });
      break;
    }
  }
  return options;
}

function span(word: ShellWord): { start: number; end: number } {
  return { start: word.start, end: word.end };
}

/** `type=bind,source=/etc,target=/x` (fields may be quoted, CSV style) as a map. */
function mountFields(spec: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const field of spec.split(',')) {
    const unquoted = field.replace(/^"(.*)"$/, '$1');
    const eq = unquoted.indexOf('=');
    if (eq === -1) fields.set(unquoted.toLowerCase(), 'true');
    else
      fields.set(
        unquoted.slice(0, eq).toLowerCase(),
        unquoted.slice(eq + 1).replace(/^"(.*)"$/, '$1'),
      );
  }
  return fields;
}

/** The host path a `-v`/`--volume`/`--mount` binds, if it binds one (not a named volume). */
function bindSource(option: DockerOption): string | undefined {
  const value = option.value;
  if (value === undefined) return undefined;
  if (option.name === 'v' || option.name === 'volume') {
    const colon = value.indexOf(':');
    // `-v /var/lib/mysql` alone is an anonymous volume at that path in the container.
    if (colon <= 0) return undefined;
    const source = value.slice(0, colon);
    return /^[./~$`]/.test(source) ? source : undefined;
  }
  if (option.name === 'mount' || option.name === 'mount-add') {
    const fields = mountFields(value);
    if (fields.get('type') !== 'bind') return undefined;
    return fields.get('source') ?? fields.get('src');
  }
  return undefined;
}

const SOCKET = /(?:^|\/)docker\.sock$/;
const MOUNT_FIX =
  'mount a named volume (-v dl-data:/data) or a folder of the lesson\'s working directory (-v "$PWD/data":/data) instead';
const DANGEROUS_CAPS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE']);
const socketMessage = (text: string): string =>
  `\`${text}\` hands the container the Docker daemon's socket, and with it root on the learner's machine: if the container truly needs the daemon, mark the block \`confirm\` and say in the prose that the socket gives root`;

function dockerDangers(script: string, words: ShellWord[], out: CommandDanger[]): void {
  const found = dockerSubcommand(words);
  if (!found || !STARTS_CONTAINER.has(found.sub)) return;
  for (const option of dockerOptions(words, found.at)) {
    const text = shown(script.slice(option.start, option.end));
    const source = bindSource(option);
    if (source !== undefined && SOCKET.test(source)) {
      out.push({
        rule: 'docker-socket',
        index: option.start,
        subject: source,
        message: socketMessage(text),
        confirmable: true,
      });
      continue;
    }
    if (source !== undefined) {
      const reach = outsideWorkdir(source);
      if (reach)
        out.push({
          rule: 'host-mount',
          index: option.start,
          subject: source,
          message: `\`${text}\` mounts ${reach} into the container: ${MOUNT_FIX}, ${CONFIRM}`,
          confirmable: true,
        });
      continue;
    }
    if (option.name === 'use-api-socket' && option.value !== 'false') {
      out.push({
        rule: 'docker-socket',
        index: option.start,
        subject: text,
        message: socketMessage(text),
        confirmable: true,
      });
      continue;
    }
    let power: string | undefined;
    let fix = 'drop it (add the one capability the lesson needs with --cap-add, if any)';
    if (option.name === 'privileged' && option.value !== 'false')
      power =
        "gives the container every capability and the learner's devices: root in it is root on the machine";
    else if (option.name === 'pid' && option.value === 'host') {
      power =
        "shows the container every process of the learner's machine, and lets its root signal and trace them";
      fix = "drop it (docker top NAME lists a container's processes from the host)";
    } else if (option.name === 'cap-add' && option.value !== undefined) {
      const caps = option.value.split(',').map((c) => c.trim().toUpperCase().replace(/^CAP_/, ''));
      const strong = caps.filter((c) => DANGEROUS_CAPS.has(c));
      if (strong.length > 0)
        power = `grants ${strong.join(', ')}, enough for the container to escape its isolation`;
    }
    if (power)
      out.push({
        rule: 'privileged',
        index: option.start,
        subject: text,
        message: `\`${text}\` ${power}; ${fix}, ${CONFIRM}`,
        confirmable: true,
      });
  }
}

// ---------------------------------------------------------------------------------------------
// Downloads piped into a shell, `rm` outside the working directory.

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'fish']);
const INTERPRETERS = new Set(['python', 'python3', 'perl', 'ruby', 'node', 'php']);
const DOWNLOAD_SUBSTITUTION = /(?:\$\(|<\(|`)\s*(?:[\w./-]*\/)?(?:curl|wget|fetch)\b/;

/**
 * Does a shell (or interpreter) read its program from stdin? Not with `-c TEXT` (`-e` for perl,
 * ruby and node) nor with a script file; yes bare, with `-s`, or with `-`.
 */
function readsProgramFromStdin(words: ShellWord[]): boolean {
  const inline = SHELLS.has(programName(words[0])) ? /^-[a-zA-Z]*c/ : /^-[a-zA-Z]*[ce]/;
  for (const word of words.slice(1)) {
    const w = word.value;
    if (w === '-' || w === '--') return true;
    if (!w.startsWith('-')) return false;
    if (/^-[a-zA-Z]*s/.test(w)) return true;
    if (inline.test(w)) return false;
  }
  return true;
}

function isRunner(name: string): boolean {
  return SHELLS.has(name) || INTERPRETERS.has(name);
}

function pipeDangers(script: string, stages: ShellWord[][], out: CommandDanger[]): void {
  const from = stages.findIndex((words) => DOWNLOADERS.has(programName(words[0])));
  if (from === -1) return;
  for (const words of stages.slice(from + 1)) {
    const runner = programName(words[0]);
    if (!isRunner(runner) || !readsProgramFromStdin(words)) continue;
    const downloader = stages[from]![0]!;
    const subject = `${programName(downloader)} … | ${runner}`;
    out.push({
      rule: 'pipe-to-shell',
      index: downloader.start,
      subject,
      message: `\`${shown(script.slice(downloader.start, words[words.length - 1]!.end))}\` runs a script from the internet on the learner's machine, unseen: download it into the lesson's working directory (curl -fsSLo get.sh URL), show it, then run \`sh get.sh\`; ${CONFIRM}`,
      confirmable: true,
    });
    return;
  }
}

/** `sh -c "$(curl ...)"`, `bash <(curl ...)`, `. <(wget -O- ...)`, `eval "$(curl ...)"`. */
function substitutedDownload(script: string, words: ShellWord[], out: CommandDanger[]): void {
  const name = programName(words[0]);
  if (!isRunner(name) && name !== '.' && name !== 'source' && name !== 'eval') return;
  const word = words.slice(1).find((w) => DOWNLOAD_SUBSTITUTION.test(w.value));
  if (!word) return;
  const downloader = /(curl|wget|fetch)\b/.exec(word.value)![1]!;
  out.push({
    rule: 'pipe-to-shell',
    index: words[0]!.start,
    subject: `${name} $(${downloader} …)`,
    message: `\`${shown(script.slice(words[0]!.start, word.end))}\` runs a script from the internet on the learner's machine, unseen: download it into the lesson's working directory (curl -fsSLo get.sh URL), show it, then run \`sh get.sh\`; ${CONFIRM}`,
    confirmable: true,
  });
}

function rmDangers(script: string, words: ShellWord[], out: CommandDanger[]): void {
  if (programName(words[0]) !== 'rm') return;
  let options = true;
  const flags: string[] = [];
  for (const word of words.slice(1)) {
    if (options && word.value === '--') {
      options = false;
      continue;
    }
    if (options && word.value.startsWith('-') && word.value !== '-') {
      flags.push(word.value);
      continue;
    }
    const reach = outsideWorkdir(word.value);
    if (!reach) continue;
    const command = shown(['rm', ...flags, word.raw].join(' '));
    out.push({
      rule: 'rm-outside',
      index: word.start,
      subject: word.value,
      message: `\`${command}\` removes ${reach}: a lesson removes only what it made in its working directory (rm -rf ./build), ${CONFIRM}`,
      confirmable: true,
    });
  }
}

/** `sh -c 'TEXT'` and `eval TEXT` run TEXT on the machine: read it as a script too. */
function innerScript(words: ShellWord[]): ShellWord | undefined {
  const name = programName(words[0]);
  if (name === 'eval') return words[1];
  if (!SHELLS.has(name)) return undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!.value;
    if (!w.startsWith('-')) return undefined;
    if (/^-[a-zA-Z]*c/.test(w)) return words.slice(i + 1).find((x) => !x.value.startsWith('-'));
  }
  return undefined;
}

/** Where offsets of an inner script land in the outer one: exact for a plain quoted word. */
function innerOffset(word: ShellWord): (index: number) => number {
  const plain = /^(['"]).*\1$/s.test(word.raw) && word.raw.slice(1, -1) === word.value;
  return plain ? (index) => word.start + 1 + index : () => word.start;
}

function structuralDangers(script: string, out: CommandDanger[], depth = 0): void {
  const parsed = parseShell(script);
  const nested = (text: string, at: (index: number) => number) => {
    if (depth > 4) return;
    const inner: CommandDanger[] = [];
    structuralDangers(text, inner, depth + 1);
    for (const d of inner) out.push({ ...d, index: at(d.index) });
  };
  for (const pipeline of parsed.pipelines) {
    const stages = pipeline.commands.map((c: SimpleCommand) => programWords(c));
    pipeDangers(script, stages, out);
    for (const words of stages) {
      if (words.length === 0) continue;
      if (programName(words[0]) === 'docker' || programName(words[0]) === 'podman')
        dockerDangers(script, words, out);
      rmDangers(script, words, out);
      substitutedDownload(script, words, out);
      const inner = innerScript(words);
      if (inner) nested(inner.value, innerOffset(inner));
    }
  }
  for (const sub of parsed.substitutions) nested(sub.text, (index) => sub.start + index);
}

/**
 * Everything in a script that reaches beyond the lesson, in the order it appears. The lint rules
 * and the trust screen of lessons from outside the course both read it.
 */
export function commandDangers(script: string): CommandDanger[] {
  const out: CommandDanger[] = [];
  for (const rule of PATTERN_RULES) {
    for (const match of script.matchAll(rule.pattern)) {
      out.push({
        rule: rule.rule,
        index: match.index,
        subject: match[0],
        message: rule.message(match[0]),
        confirmable: rule.confirmable,
      });
    }
  }
  structuralDangers(script, out);
  const seen = new Set<string>();
  return out
    .filter((d) => {
      const key = `${d.index} ${d.rule} ${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.index - b.index);
}

/** Line and column of a match inside a command's script (the script starts below the fence). */
function locate(command: Command, index: number): { line: number; col: number } {
  const lines = command.script.slice(0, index).split('\n');
  return { line: command.line + lines.length, col: lines[lines.length - 1]!.length + 1 };
}

export function checkCommands(lesson: Lesson, sink: DiagnosticSink): void {
  for (const step of lesson.steps) {
    for (const command of step.commands) {
      for (const danger of commandDangers(command.script)) {
        if (danger.confirmable && command.confirm) continue;
        sink.error(locate(command, danger.index), danger.rule, danger.message);
      }
    }
  }
}
