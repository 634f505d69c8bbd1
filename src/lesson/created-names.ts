/**
 * The names a lesson's commands give to what they create: containers (`--name`), volumes
 * (`volume create`, `-v NAME:/path`), networks, images (`-t`, `tag`, `commit`, `pull`, the image
 * a `run` starts from), services, secrets, configs, compose projects and swarm stacks. This is
 * how cleanup knows an object is the lesson's by identity (design §5): never by the time it was
 * made, never by a word of the prose. A pure function of the lesson's text.
 */
import { posix } from 'node:path';
import { normalizeRef } from '../docker/inventory.js';
import { parseShell } from './shell-words.js';
import { parse as parseYaml } from 'yaml';
import type { Lesson } from './schema.js';

export interface CreatedNames {
  containers: Set<string>;
  volumes: Set<string>;
  networks: Set<string>;
  /** Normalised references (`hello:latest`, `localhost:5000/my-ubuntu:latest`). */
  images: Set<string>;
  services: Set<string>;
  secrets: Set<string>;
  configs: Set<string>;
  /** Compose project names; their objects carry the project label, networks/volumes `P_x`. */
  composeProjects: Set<string>;
  /** Stack namespaces (`docker stack deploy ... NAME`): services and networks `NAME_x`. */
  stacks: Set<string>;
  /** The lesson turns swarm mode on (`swarm init` / `join`): its side networks are the lesson's. */
  swarm: boolean;
}

export function emptyNames(): CreatedNames {
  return {
    containers: new Set(),
    volumes: new Set(),
    networks: new Set(),
    images: new Set(),
    services: new Set(),
    secrets: new Set(),
    configs: new Set(),
    composeProjects: new Set(),
    stacks: new Set(),
    swarm: false,
  };
}

/** Compose's default project name: the folder's name, lower-cased, other characters dropped. */
export function composeProjectFromDir(dir: string): string {
  const base = dir.replace(/\/+$/, '').split('/').pop() ?? '';
  return base
    .toLowerCase()
    .replace(/[^-_a-z0-9]/g, '')
    .replace(/^[-_]+/, '');
}

type Word = string;

/**
 * A script's simple commands as argv lists, read by the one shell reader (shell-words.ts):
 * operators, newlines and continuations separate; redirections are left out; what runs inside
 * `$(...)` is read as commands of its own.
 */
export function simpleCommands(script: string): Word[][] {
  const parsed = parseShell(script);
  const commands = parsed.pipelines.flatMap((pipeline) =>
    pipeline.commands.map((command) => command.words.map((word) => word.value)),
  );
  for (const inner of parsed.substitutions) commands.push(...simpleCommands(inner.text));
  return commands.filter((argv) => argv.length > 0);
}

/** Whether a word is a literal name (no variable, no command substitution, no glob). */
const literal = (word: string | undefined): word is string =>
  word !== undefined && word !== '' && !/[$`*?]/.test(word) && !word.startsWith('-');

/** Options of `docker` itself that take a value. */
const GLOBAL_WITH_VALUE = new Set([
  '-H',
  '--host',
  '-c',
  '--context',
  '--config',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
]);

/**
 * Flags that take no value, per subcommand: every other option takes one unless written
 * `--opt=value`. `-t` is a terminal for `run` and a tag for `build`, so the sets differ.
 */
const flags = (...list: string[]): Set<string> => new Set([...list, '--help', '-q', '--quiet']);
const RUN_FLAGS = flags(
  '-d',
  '--detach',
  '-i',
  '--interactive',
  '-t',
  '--tty',
  '--rm',
  '-P',
  '--publish-all',
  '--privileged',
  '--init',
  '--read-only',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--with-registry-auth',
);
const BOOLEANS: Record<string, Set<string>> = {
  run: RUN_FLAGS,
  create: RUN_FLAGS,
  'service create': RUN_FLAGS,
  build: flags('--no-cache', '--pull', '--force-rm', '--rm', '--squash', '--load', '--push'),
  commit: flags('-p', '--pause'),
  pull: flags('-a', '--all-tags', '--disable-content-trust'),
  'network create': flags('--internal', '--attachable', '--ipv6', '--ingress', '--config-only'),
  'stack deploy': flags('--prune', '--with-registry-auth', '-d', '--detach'),
  'swarm init': flags('--autolock', '--force-new-cluster'),
  // Verbs read for what they need (stepNames), not for what they create.
  exec: flags('-d', '--detach', '-i', '--interactive', '-t', '--tty', '--privileged'),
  start: flags('-a', '--attach', '-i', '--interactive'),
  attach: flags('--no-stdin', '--sig-proxy'),
  logs: flags('-f', '--follow', '-t', '--timestamps', '--details'),
  stats: flags('-a', '--all', '--no-stream', '--no-trunc'),
  cp: flags('-a', '--archive', '-L', '--follow-link'),
  inspect: flags('-s', '--size'),
  'network inspect': flags('-v', '--verbose'),
  history: flags('-H', '--human', '--no-trunc'),
  push: flags('-a', '--all-tags', '--disable-content-trust'),
};
const GENERIC_FLAGS = flags();

interface Parsed {
  /** option name -> values, in order (`-v a -v b`). */
  options: Map<string, string[]>;
  positionals: string[];
}

/** Reads options and positionals, stopping options at the first positional (docker's rule). */
function readArgs(args: string[], booleans: Set<string>, stopAtFirst = true): Parsed {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const put = (key: string, value: string): void => {
    options.set(key, [...(options.get(key) ?? []), value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (positionals.length > 0 && stopAtFirst) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) put(arg.slice(0, eq), arg.slice(eq + 1));
      else if (booleans.has(arg)) put(arg, 'true');
      else put(arg, args[++i] ?? '');
    } else if (arg.startsWith('-') && arg.length > 1) {
      // `-it`, `-dit`: booleans run together; the last letter may take a value (`-itv x`).
      const letters = arg.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const flag = `-${letters[j]}`;
        if (booleans.has(flag)) {
          put(flag, 'true');
          continue;
        }
        const rest = letters.slice(j + 1);
        put(flag, rest !== '' ? rest.replace(/^=/, '') : (args[++i] ?? ''));
        break;
      }
    } else {
      positionals.push(arg);
    }
  }
  return { options, positionals };
}

const values = (parsed: Parsed, ...keys: string[]): string[] =>
  keys.flatMap((key) => parsed.options.get(key) ?? []);

/** `-v NAME:/path` (not a path, not `$PWD/...`) and `--mount type=volume,source=NAME`. */
function namedVolumes(parsed: Parsed): string[] {
  const out: string[] = [];
  for (const spec of values(parsed, '-v', '--volume')) {
    const colon = spec.indexOf(':');
    const source = colon > 0 ? spec.slice(0, colon) : '';
    if (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source)) out.push(source);
  }
  for (const spec of values(parsed, '--mount')) {
    const fields = new Map(
      spec.split(',').map((pair) => {
        const eq = pair.indexOf('=');
        return eq < 0 ? [pair, 'true'] : [pair.slice(0, eq), pair.slice(eq + 1)];
      }),
    );
    const source = fields.get('source') ?? fields.get('src');
    if ((fields.get('type') ?? 'volume') === 'volume' && literal(source)) out.push(source);
  }
  return out;
}

interface ComposeFile {
  path: string;
  content: string;
}

const COMPOSE_DEFAULT_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
];

/** Names a compose file fixes by itself: `name:`, `container_name:`, explicit volume/network names. */
function readComposeFile(content: string, names: CreatedNames, projects: string[]): void {
  let doc: unknown;
  try {
    doc = parseYaml(content, { maxAliasCount: 100 });
  } catch {
    return;
  }
  if (typeof doc !== 'object' || doc === null) return;
  const file = doc as Record<string, unknown>;
  const entries = (value: unknown): [string, Record<string, unknown>][] =>
    typeof value === 'object' && value !== null
      ? Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {},
        ])
      : [];
  for (const [, service] of entries(file.services)) {
    if (typeof service.container_name === 'string') names.containers.add(service.container_name);
    if (typeof service.image === 'string' && typeof service.build !== 'undefined')
      names.images.add(normalizeRef(service.image));
  }
  for (const [key, volume] of entries(file.volumes)) {
    if (volume.external) continue;
    if (typeof volume.name === 'string') names.volumes.add(volume.name);
    else for (const project of projects) names.volumes.add(`${project}_${key}`);
  }
  for (const [key, network] of entries(file.networks)) {
    if (network.external) continue;
    if (typeof network.name === 'string') names.networks.add(network.name);
    else for (const project of projects) names.networks.add(`${project}_${key}`);
  }
}

function composeCommand(
  args: string[],
  env: Map<string, string>,
  files: ComposeFile[],
  workdir: string,
  names: CreatedNames,
): void {
  const parsed = readArgs(args, flags('--compatibility', '--dry-run', '--all-resources'));
  const chosen = values(parsed, '-f', '--file');
  const fileNames = chosen.length > 0 ? chosen : COMPOSE_DEFAULT_FILES;
  const used = files.filter((file) =>
    fileNames.some((name) => file.path === name.replace(/^\.\//, '')),
  );
  const projects: string[] = [];
  const explicit = [...values(parsed, '-p', '--project-name')];
  const fromEnv = env.get('COMPOSE_PROJECT_NAME');
  if (explicit.length > 0) projects.push(...explicit.filter(literal));
  else if (fromEnv && literal(fromEnv)) projects.push(fromEnv);
  else {
    for (const file of used) {
      const match = /^name:\s*["']?([A-Za-z0-9][\w-]*)["']?\s*$/m.exec(file.content);
      if (match) projects.push(match[1]!);
    }
    // The folder's name is the project only for a command that makes one (not `version`).
    const verb = parsed.positionals[0] ?? '';
    if (projects.length === 0 && workdir && ['up', 'create', 'run', 'start'].includes(verb))
      projects.push(composeProjectFromDir(workdir));
  }
  for (const project of projects) names.composeProjects.add(project.toLowerCase());
  for (const file of used) readComposeFile(file.content, names, projects);
}

/**
 * The verb of one `docker ...` argv (without the leading `docker`) and its arguments:
 * `docker container run` and `docker image build` are `run` and `build`; `volume create`,
 * `network connect` ... keep both words.
 */
function dockerVerb(argv: string[]): { sub: string | undefined; rest: string[] } {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += GLOBAL_WITH_VALUE.has(argv[i]!) ? 2 : 1;
  let sub = argv[i];
  let rest = argv.slice(i + 1);
  // `docker container run`, `docker image build`, `docker buildx build`: the verb is second.
  if (
    (sub === 'container' || sub === 'image' || sub === 'buildx' || sub === 'builder') &&
    rest[0]
  ) {
    sub = rest[0] === 'create' && sub === 'container' ? 'create' : rest[0];
    rest = rest.slice(1);
  } else if (
    ['volume', 'network', 'service', 'secret', 'config', 'stack', 'swarm'].includes(sub ?? '')
  ) {
    sub = `${sub} ${rest[0] ?? ''}`;
    rest = rest.slice(1);
  }
  return { sub, rest };
}

/** Reads one `docker ...` argv (without the leading `docker`). */
function dockerCommand(
  argv: string[],
  env: Map<string, string>,
  files: ComposeFile[],
  workdir: string,
  names: CreatedNames,
): void {
  const { sub, rest } = dockerVerb(argv);
  const parsed = readArgs(rest, BOOLEANS[sub ?? ''] ?? GENERIC_FLAGS);
  const [first, second] = parsed.positionals;
  const add = (set: Set<string>, name: string | undefined): void => {
    if (literal(name)) set.add(name.replace(/^\//, ''));
  };
  switch (sub) {
    case 'run':
    case 'create':
      values(parsed, '--name').forEach((name) => add(names.containers, name));
      namedVolumes(parsed).forEach((name) => add(names.volumes, name));
      if (literal(first)) names.images.add(normalizeRef(first));
      break;
    case 'build':
      for (const tag of values(parsed, '-t', '--tag'))
        if (literal(tag)) names.images.add(normalizeRef(tag));
      break;
    // The image named last: `tag SRC NEW`, `commit CONTAINER NEW`, `import FILE NEW`.
    case 'tag':
    case 'commit':
    case 'import':
      if (literal(second)) names.images.add(normalizeRef(second));
      break;
    case 'pull':
      if (literal(first)) names.images.add(normalizeRef(first));
      break;
    case 'volume create':
      add(names.volumes, values(parsed, '--name')[0] ?? first);
      break;
    case 'network create':
      add(names.networks, first);
      break;
    case 'service create':
      values(parsed, '--name').forEach((name) => add(names.services, name));
      namedVolumes(parsed).forEach((name) => add(names.volumes, name));
      if (literal(first)) names.images.add(normalizeRef(first));
      break;
    case 'secret create':
      add(names.secrets, first);
      break;
    case 'config create':
      add(names.configs, first);
      break;
    case 'stack deploy':
      add(names.stacks, first);
      break;
    case 'swarm init':
    case 'swarm join':
      names.swarm = true;
      break;
    case 'compose':
      composeCommand(rest, env, files, workdir, names);
      break;
    default:
      break;
  }
}

/**
 * Every name the lesson's commands (run by docker-lab or typed by the learner, for every mode)
 * and its compose files create. `workdir` gives compose's default project name. The typical
 * mistakes of its `yaml near-miss` blocks count too: verify runs them, and a learner who types
 * one (a misspelt name) made it in the lesson.
 */
export function createdNames(lesson: Lesson, workdir: string): CreatedNames {
  const names = emptyNames();
  const files = lessonFiles(lesson);
  for (const step of lesson.steps) {
    for (const command of step.commands) addScript(command.script, names, files, workdir);
    for (const mistake of step.mistakes) addScript(mistake.command, names, files, workdir);
  }
  return names;
}

/** The lesson's file blocks as compose reads them (paths relative to the working directory). */
export function lessonFiles(lesson: Lesson): ComposeFile[] {
  return lesson.steps.flatMap((step) =>
    step.files.map((file) => ({ path: file.path.replace(/^\.\//, ''), content: file.content })),
  );
}

/** A simple command's program (`docker`, `docker-compose` ...), its arguments and its env. */
function invocation(argv: string[]): {
  program: string | undefined;
  args: string[];
  env: Map<string, string>;
} {
  const env = new Map<string, string>();
  let start = 0;
  // `VAR=value docker ...`, `sudo docker ...`, `time docker ...`, `exec docker ...`
  while (start < argv.length) {
    const word = argv[start]!;
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
    if (assignment) env.set(assignment[1]!, assignment[2]!);
    else if (!['sudo', 'time', 'exec', 'command', 'env', 'if', 'then', '!'].includes(word)) break;
    start += 1;
  }
  return { program: argv[start]?.split('/').pop(), args: argv.slice(start + 1), env };
}

/** Adds what one simple command creates. */
function addArgv(
  argv: string[],
  names: CreatedNames,
  files: { path: string; content: string }[],
  workdir: string,
): void {
  const { program, args, env } = invocation(argv);
  if (program === 'docker') dockerCommand(args, env, files, workdir, names);
  else if (program === 'docker-compose') composeCommand(args, env, files, workdir, names);
}

/** Adds what one script creates (also used for a command the learner types in practice). */
export function addScript(
  script: string,
  names: CreatedNames,
  files: { path: string; content: string }[],
  workdir: string,
): void {
  for (const argv of simpleCommands(script)) addArgv(argv, names, files, workdir);
}

// ---- per step: what each command needs to exist, and what it makes ----

/** The objects a step's commands and checks may rely on from earlier steps. */
export type NameType = 'container' | 'volume' | 'network' | 'image';

export interface NameRef {
  type: NameType;
  /** Images as normalised references (`hello:latest`). */
  name: string;
}

/**
 * One simple command of a step (or its checks, last): the objects it needs to exist when it
 * runs, then those it makes. Images count as made only when made on this machine (`build`,
 * `tag`, `commit`, `import`): one that `run` or `pull` fetches, Docker fetches again by itself.
 */
export interface NameUse {
  needs: NameRef[];
  makes: NameRef[];
  /** Images it fetches (`pull`, the image `run` starts from): there after it, made by none. */
  fetches: NameRef[];
}

/** Networks every daemon has: never the lesson's. */
const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none', 'default', 'ingress']);
/** Verbs whose positionals are all containers that must exist. */
const ON_CONTAINERS = new Set([
  'start',
  'stop',
  'restart',
  'kill',
  'pause',
  'unpause',
  'wait',
  'stats',
  'update',
]);
/** Verbs whose first positional is a container that must exist. */
const ON_CONTAINER = new Set(['exec', 'attach', 'logs', 'top', 'port', 'diff', 'export', 'rename']);
/** Verbs that make images on this machine. */
const MAKE_IMAGES = new Set(['build', 'tag', 'commit', 'import']);

/** The images a Dockerfile starts from (`FROM x`, not its own stages, not scratch). */
export function fromImages(content: string): string[] {
  const stages = new Set<string>();
  const out: string[] = [];
  for (const match of content.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const image = match[1]!;
    if (literal(image) && image !== 'scratch' && !stages.has(image.toLowerCase()))
      out.push(normalizeRef(image));
    if (match[2]) stages.add(match[2].toLowerCase());
  }
  return out;
}

/** What one `docker ...` argv needs to exist (the objects it names that it does not make). */
function dockerNeeds(argv: string[], files: { path: string; content: string }[]): NameRef[] {
  const { sub, rest } = dockerVerb(argv);
  if (sub === undefined) return [];
  const parsed = readArgs(rest, BOOLEANS[sub] ?? GENERIC_FLAGS);
  const out: NameRef[] = [];
  const need = (type: NameType, name: string | undefined): void => {
    if (!literal(name)) return;
    out.push({ type, name: type === 'image' ? normalizeRef(name) : name.replace(/^\//, '') });
  };
  const [first, second] = parsed.positionals;
  switch (sub) {
    case 'run':
    case 'create':
      for (const link of values(parsed, '--link')) need('container', link.split(':')[0]);
      for (const from of values(parsed, '--volumes-from')) need('container', from.split(':')[0]);
      for (const network of values(parsed, '--network', '--net')) {
        if (network.startsWith('container:')) need('container', network.slice('container:'.length));
        else if (!BUILTIN_NETWORKS.has(network)) need('network', network);
      }
      // A named volume is made by `run` when missing, but empty: data an earlier step put
      // there is what the step relies on.
      for (const volume of namedVolumes(parsed)) need('volume', volume);
      need('image', first);
      break;
    case 'build': {
      // `-f` is read from the working directory, else `Dockerfile` in the context.
      const dockerfile = posix.normalize(
        values(parsed, '-f', '--file')[0] ?? posix.join(first ?? '.', 'Dockerfile'),
      );
      for (const file of files)
        if (posix.normalize(file.path) === dockerfile)
          for (const image of fromImages(file.content)) need('image', image);
      break;
    }
    case 'commit':
      need('container', first);
      break;
    case 'tag':
    case 'push':
    case 'history':
      need('image', first);
      break;
    case 'save':
      parsed.positionals.forEach((image) => need('image', image));
      break;
    case 'cp':
      for (const path of parsed.positionals.slice(0, 2)) {
        const colon = path.indexOf(':');
        if (colon > 0) need('container', path.slice(0, colon));
      }
      break;
    case 'inspect':
      // Any kind of object: whichever an earlier step made under that name is needed.
      for (const name of parsed.positionals) {
        need('container', name);
        need('image', name);
        need('volume', name);
        need('network', name);
      }
      break;
    case 'volume inspect':
      parsed.positionals.forEach((name) => need('volume', name));
      break;
    case 'network inspect':
      parsed.positionals.forEach((name) => need('network', name));
      break;
    case 'network connect':
    case 'network disconnect':
      need('network', first);
      need('container', second);
      break;
    default:
      if (ON_CONTAINERS.has(sub)) parsed.positionals.forEach((name) => need('container', name));
      else if (ON_CONTAINER.has(sub)) need('container', first);
  }
  return out;
}

/** What one simple command makes, as refs (images only when made on this machine), and fetches. */
function madeBy(
  argv: string[],
  files: { path: string; content: string }[],
  workdir: string,
): Omit<NameUse, 'needs'> {
  const names = emptyNames();
  addArgv(argv, names, files, workdir);
  const { program, args } = invocation(argv);
  const verb = program === 'docker' ? dockerVerb(args).sub : undefined;
  const refs = (type: NameType, set: Set<string>): NameRef[] =>
    [...set].map((name) => ({ type, name }));
  const local = MAKE_IMAGES.has(verb ?? '');
  return {
    makes: [
      ...refs('container', names.containers),
      ...refs('volume', names.volumes),
      ...refs('network', names.networks),
      ...(local ? refs('image', names.images) : []),
    ],
    fetches: local ? [] : refs('image', names.images),
  };
}

/** What a step's checks look at and expect to be there (negated and `exists: false` are not). */
function checkNeeds(step: Lesson['steps'][number]): NameRef[] {
  const out: NameRef[] = [];
  for (const check of step.checks) {
    if (check.not) continue;
    const add = (type: NameType, name: string | undefined): void => {
      if (name) out.push({ type, name: type === 'image' ? normalizeRef(name) : name });
    };
    // Checks narrow by kind: each reads its own spec's fields, typed by its schema.
    switch (check.kind) {
      case 'container':
        if (check.spec.exists === false) break;
        add('container', check.spec.name);
        add('image', check.spec.ancestor);
        break;
      case 'logs':
      case 'exec':
        add('container', check.spec.container);
        break;
      case 'image':
      case 'volume':
      case 'network':
        if (check.spec.exists === false) break;
        add(check.kind, check.spec.name);
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * The lesson step by step: for each step, each simple command of its commands (in order, its
 * solution's last) with what it needs and makes, then one entry for its checks. This is how a
 * resumed lesson knows which earlier step made what a later one relies on (run/resume.ts).
 */
export function stepNames(lesson: Lesson, workdir: string): NameUse[][] {
  const files = lessonFiles(lesson);
  return lesson.steps.map((step) => [
    ...step.commands.flatMap((command) =>
      scriptNames(command.script, files, workdir).map(({ needs, makes, fetches }) => ({
        needs,
        makes,
        fetches,
      })),
    ),
    { needs: checkNeeds(step), makes: [], fetches: [] },
  ]);
}

/**
 * Each simple command of one script, with what it needs, makes and fetches, and its docker verb
 * (`run`, `inspect`, `volume create` ...) when it is a docker command.
 */
export function scriptNames(
  script: string,
  files: { path: string; content: string }[],
  workdir: string,
): (NameUse & { verb?: string })[] {
  return simpleCommands(script).map((argv) => {
    const { program, args } = invocation(argv);
    const verb = program === 'docker' ? dockerVerb(args).sub : undefined;
    return {
      needs: program === 'docker' ? dockerNeeds(args, files) : [],
      ...madeBy(argv, files, workdir),
      ...(verb === undefined ? {} : { verb }),
    };
  });
}
