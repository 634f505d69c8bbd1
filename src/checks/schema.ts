import { z } from 'zod';
import { MatcherSchema } from './matcher-schema.js';
import { NodeNameSchema } from './nodes.js';

/**
 * The grammar of `yaml check` blocks. A check is an object with an `id`, exactly one kind key
 * (`container:`, `output:` ...) whose value names the subject and states the expectations,
 * and optional waiting/negation options. Evaluation lives in one module per kind (src/checks/).
 */

export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const DURATION_HINT = 'write a duration with its unit, like 500ms, 30s or 2m';
export const DurationSchema = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : DURATION_HINT) })
  .regex(DURATION_PATTERN, { message: DURATION_HINT });

export function durationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const value = Number(match[1]);
  const unit = match[2];
  return Math.round(unit === 'ms' ? value : unit === 's' ? value * 1000 : value * 60_000);
}

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const IdSchema = z.string().regex(ID_PATTERN, {
  message: 'ids are lowercase letters, digits and dashes, like "image-built"',
});

const M = MatcherSchema.optional();
const name = z.string().min(1);

interface KindDefinition<S extends z.ZodRawShape> {
  /** The body of the kind key: subject and expectation fields. */
  body: z.ZodObject<S, z.core.$strict>;
  /** Keys that assert something; a check with none of them proves nothing. */
  asserts: readonly (keyof S & string)[];
  /** One of these must be present to say what the check looks at. */
  subject?: readonly (keyof S & string)[] | undefined;
  summary: string;
}

/** Any kind's definition, its shape forgotten (what validation needs). */
interface AnyKindDefinition {
  body: z.ZodObject;
  asserts: readonly string[];
  subject?: readonly string[] | undefined;
  summary: string;
}

/** A kind's definition; its shape's type is kept, so each kind's spec type follows from it. */
function kind<S extends z.ZodRawShape>(
  summary: string,
  subject: readonly NoInfer<keyof S & string>[] | undefined,
  shape: S,
  asserts: readonly NoInfer<keyof S & string>[],
): KindDefinition<S> {
  return { summary, subject, asserts, body: z.strictObject(shape) };
}

export const CHECK_KINDS = {
  output: kind(
    "the step's own command output (the last command, or the one named by `command`)",
    undefined,
    { command: IdSchema.optional(), stdout: M, stderr: M, exitCode: M },
    ['stdout', 'stderr', 'exitCode'],
  ),
  daemon: kind(
    'the Docker daemon itself',
    undefined,
    {
      reachable: z.boolean().optional(),
      serverVersion: M,
      apiVersion: M,
      storageDriver: M,
      cgroupVersion: M,
      os: M,
      architecture: M,
      swarm: M,
      registryMirrors: M,
    },
    [
      'reachable',
      'serverVersion',
      'apiVersion',
      'storageDriver',
      'cgroupVersion',
      'os',
      'architecture',
      'swarm',
      'registryMirrors',
    ],
  ),
  container: kind(
    'a container, found by name, by the image it runs (ancestor) or by label',
    ['name', 'ancestor', 'label'],
    {
      name: name.optional(),
      ancestor: name.optional(),
      label: name.optional(),
      exists: z.boolean().optional(),
      count: M,
      status: M,
      running: z.boolean().optional(),
      exitCode: M,
      health: M,
      image: M,
      command: M,
      entrypoint: M,
      ports: M,
      mounts: M,
      env: M,
      networks: M,
      restartPolicy: M,
      memory: M,
      nanoCpus: M,
      labels: M,
      pid1: M,
    },
    [
      'exists',
      'count',
      'status',
      'running',
      'exitCode',
      'health',
      'image',
      'command',
      'entrypoint',
      'ports',
      'mounts',
      'env',
      'networks',
      'restartPolicy',
      'memory',
      'nanoCpus',
      'labels',
      'pid1',
    ],
  ),
  image: kind(
    'an image, by reference (name:tag)',
    ['name'],
    {
      name,
      exists: z.boolean().optional(),
      entrypoint: M,
      cmd: M,
      env: M,
      exposedPorts: M,
      labels: M,
      workdir: M,
      user: M,
      layers: M,
      history: M,
      size: M,
      architecture: M,
    },
    [
      'exists',
      'entrypoint',
      'cmd',
      'env',
      'exposedPorts',
      'labels',
      'workdir',
      'user',
      'layers',
      'history',
      'size',
      'architecture',
    ],
  ),
  volume: kind(
    'a named volume',
    ['name'],
    {
      name,
      exists: z.boolean().optional(),
      driver: M,
      labels: M,
      usedBy: M,
    },
    ['exists', 'driver', 'labels', 'usedBy'],
  ),
  network: kind(
    'a network',
    ['name'],
    {
      name,
      exists: z.boolean().optional(),
      driver: M,
      containers: M,
      internal: z.boolean().optional(),
      subnet: M,
    },
    ['exists', 'driver', 'containers', 'internal', 'subnet'],
  ),
  logs: kind(
    "a container's logs since the step began (stdout and stderr together unless one is named)",
    ['container'],
    {
      container: name,
      text: M,
      stdout: M,
      stderr: M,
      since: z.enum(['step', 'lesson', 'start']).optional(),
    },
    ['text', 'stdout', 'stderr'],
  ),
  exec: kind(
    'a command run inside a running container (no stdin attached)',
    ['container'],
    {
      container: name,
      command: z.union([z.string().min(1), z.array(z.string()).min(1)]),
      user: z.string().optional(),
      exitCode: M,
      stdout: M,
      stderr: M,
    },
    ['exitCode', 'stdout', 'stderr'],
  ),
  port: kind(
    "a TCP port on the daemon's host (where published ports are reachable)",
    ['port'],
    {
      port: z.number().int().min(1).max(65535),
      host: z.string().optional(),
      open: z.boolean().optional(),
    },
    ['open'],
  ),
  http: kind(
    "an HTTP request; ${DAEMON_HOST} in the url is the daemon's host",
    ['url'],
    {
      url: z.string().min(1),
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']).optional(),
      status: M,
      body: M,
      headers: z.record(z.string(), MatcherSchema).optional(),
    },
    ['status', 'body', 'headers'],
  ),
  registry: kind(
    'a registry (host:port): its catalog and the tags of a repository',
    ['url'],
    { url: z.string().min(1), repositories: M, repository: z.string().optional(), tags: M },
    ['repositories', 'tags'],
  ),
  compose: kind(
    "a compose project's services",
    ['project'],
    { project: name, services: M, running: M, service: z.string().optional(), state: M },
    ['services', 'running', 'state'],
  ),
  service: kind(
    'a swarm service',
    ['name'],
    { name, exists: z.boolean().optional(), replicas: M, running: M, image: M, mode: M, ports: M },
    ['exists', 'replicas', 'running', 'image', 'mode', 'ports'],
  ),
  file: kind(
    "a file on the learner's machine (relative paths start at the lesson's working directory)",
    ['path'],
    { path: z.string().min(1), exists: z.boolean().optional(), content: M, mode: M },
    ['exists', 'content', 'mode'],
  ),
} as const satisfies Record<string, AnyKindDefinition>;

export type CheckKind = keyof typeof CHECK_KINDS;
export const CHECK_KIND_NAMES = Object.keys(CHECK_KINDS) as CheckKind[];

/** Options every check accepts besides its kind key. */
export const CHECK_OPTIONS = {
  id: IdSchema,
  description: z.string().optional(),
  timeout: DurationSchema.optional(),
  interval: DurationSchema.optional(),
  not: z.boolean().optional(),
  before: z.enum(['fail', 'pass', 'any']).optional(),
  fix: z.string().optional(),
  /** In a multi-node lesson, the node the check looks at (default: the manager). */
  node: NodeNameSchema.optional(),
} satisfies z.ZodRawShape;
export const CHECK_OPTION_NAMES = Object.keys(CHECK_OPTIONS);

function refineBody(def: AnyKindDefinition, kindName: string) {
  return def.body.superRefine((value, ctx) => {
    const present = Object.keys(value).filter(
      (key) => (value as Record<string, unknown>)[key] !== undefined,
    );
    if (def.subject && !def.subject.some((key) => present.includes(key))) {
      ctx.addIssue({
        code: 'custom',
        message: `a ${kindName} check needs ${def.subject.map((k) => `\`${k}\``).join(' or ')} to say what it looks at`,
      });
    }
    if (!def.asserts.some((key) => present.includes(key))) {
      ctx.addIssue({
        code: 'custom',
        message: `this ${kindName} check asserts nothing: add one of ${def.asserts.join(', ')}`,
      });
    }
  });
}

/** The full schema of a check of one kind (used to validate, and for the JSON Schema). */
export function checkSchemaFor(kindName: CheckKind) {
  return z.strictObject({
    ...CHECK_OPTIONS,
    [kindName]: refineBody(CHECK_KINDS[kindName], kindName),
  });
}

export const CHECK_SCHEMAS = Object.fromEntries(
  CHECK_KIND_NAMES.map((k) => [k, checkSchemaFor(k)]),
) as Record<CheckKind, ReturnType<typeof checkSchemaFor>>;

/** What CHECK_SCHEMAS accepts: the options, and the kind's body under the kind's key. */
export type ParsedCheck = z.output<z.ZodObject<typeof CHECK_OPTIONS>> & {
  [K in CheckKind]?: unknown;
};

/** The validated body of each kind's key, as zod infers it from CHECK_KINDS. */
export type CheckSpecs = { [K in CheckKind]: z.output<(typeof CHECK_KINDS)[K]['body']> };
/** The validated body of a kind's key (of any kind, without an argument). */
export type CheckSpec<K extends CheckKind = CheckKind> = CheckSpecs[K];

/** A check of kind K after parsing: kind separated from its body, durations in milliseconds. */
export interface CheckOf<K extends CheckKind> {
  id: string;
  kind: K;
  /** The validated body of the kind key. */
  spec: CheckSpecs[K];
  description?: string;
  timeoutMs: number;
  intervalMs: number;
  not: boolean;
  /** What verify expects before the step runs: `fail` (default), `pass`, or `any`. */
  before: 'fail' | 'pass' | 'any';
  fix?: string;
  /** The node it looks at in a multi-node lesson; absent: the manager. */
  node?: string;
  line: number;
  col: number;
}

/**
 * A check of kind K; without an argument, a check of any kind: a union that `kind` narrows,
 * `spec` with it. (Mapped over K itself, so that a generic `Check<K>` is `CheckOf<K>`.)
 */
export type Check<K extends CheckKind = CheckKind> = { [P in K]: CheckOf<P> }[K];

/** A check without `timeout` is tried once (docs/lesson-format.md: "default: try once"). */
export const DEFAULT_CHECK_TIMEOUT_MS = 0;
export const DEFAULT_CHECK_INTERVAL_MS = 250;

/**
 * The check that `CHECK_SCHEMAS[kind]` accepted as `data`, at `at` in its lesson. The one place
 * a kind and its body are paired: zod has just validated `data[kind]` against
 * `CHECK_KINDS[kind].body`, but a schema picked by a kind known only at run time cannot tell
 * TypeScript which body it holds (microsoft/TypeScript#30581), so that is asserted here, once.
 */
export function checkFromParsed(
  kind: CheckKind,
  data: ParsedCheck,
  at: { line: number; col: number },
): Check {
  const check = {
    id: data.id,
    kind,
    spec: data[kind],
    timeoutMs: data.timeout ? durationMs(data.timeout) : DEFAULT_CHECK_TIMEOUT_MS,
    intervalMs: data.interval ? durationMs(data.interval) : DEFAULT_CHECK_INTERVAL_MS,
    not: data.not ?? false,
    before: data.before ?? 'fail',
    ...at,
  } as Check;
  if (data.fix !== undefined) check.fix = data.fix;
  if (data.description !== undefined) check.description = data.description;
  if (data.node !== undefined) check.node = data.node;
  return check;
}
