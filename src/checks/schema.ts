import { z } from 'zod';
import { MatcherSchema, type Matcher } from './matcher-schema.js';
import { CAPTURE_NAME_PATTERN, type Capture } from './capture.js';
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

/** The keys of `health`'s detailed form; an object with any of them is that form. */
export const HEALTH_DETAIL_KEYS = ['status', 'failingStreak', 'log', 'exitCode'] as const;

/** `health`'s detailed form, as a lesson writes it. */
export interface HealthDetail {
  status?: Matcher | undefined;
  failingStreak?: Matcher | undefined;
  log?: Matcher | undefined;
  exitCode?: Matcher | undefined;
}

export function isHealthDetail(value: unknown): value is HealthDetail {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    HEALTH_DETAIL_KEYS.some((key) => key in value)
  );
}

/**
 * Admits `value` to one of `health`'s two forms only: the other form's branch stops at once
 * (an aborting issue), so zod reports the chosen form's own issues (an unknown key with its
 * "did you mean") instead of "fits none of the accepted forms".
 */
function onlyHealthForm(detailed: boolean) {
  return (value: unknown, ctx: z.core.$RefinementCtx): unknown => {
    if (isHealthDetail(value) !== detailed) {
      ctx.issues.push({ code: 'custom', input: value, message: 'the other form', continue: false });
    }
    return value;
  };
}

/**
 * `health`: a matcher on the status (`health: healthy`), or the detailed form
 * `{ status, failingStreak, log, exitCode }` (log and exitCode: the last probe's).
 */
export const HealthSchema = z.union([
  z.preprocess(
    onlyHealthForm(true),
    z.strictObject({ status: M, failingStreak: M, log: M, exitCode: M }),
  ),
  z.preprocess(onlyHealthForm(false), MatcherSchema),
]);

/** `image.file`: a file inside the image, read without running it. */
const ImageFileSchema = z.strictObject({
  path: z.string().regex(/^\//, {
    message: 'the path of a file in an image is absolute, like /etc/os-release',
  }),
  exists: z.boolean().optional(),
  content: M,
  mode: M,
});

/** `image.sizeRatio`: this image's size divided by another's. */
const SizeRatioSchema = z.strictObject({ of: name, ratio: MatcherSchema });

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
    {
      command: IdSchema.optional(),
      stdout: M,
      stderr: M,
      exitCode: M,
      // checks-output: both streams in the order printed; run the command again until it matches.
      text: M,
      rerun: z.boolean().optional(),
    },
    ['stdout', 'stderr', 'exitCode', 'text'],
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
      health: HealthSchema.optional(),
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
      restartCount: M,
      tty: z.boolean().optional(),
      openStdin: z.boolean().optional(),
      // run-capture: only what this lesson run (or the current step) created is looked at.
      createdBy: z.enum(['lesson', 'step']).optional(),
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
      'restartCount',
      'tty',
      'openStdin',
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
      file: ImageFileSchema.optional(),
      smallerThan: name.optional(),
      sizeRatio: SizeRatioSchema.optional(),
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
      'file',
      'smallerThan',
      'sizeRatio',
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

// run-capture: captured values (src/checks/capture.ts, docs/lesson-format.md "Captured values").
/**
 * The fields a passing check of each kind can capture from (the first segment of `from`): what
 * the kind observes. A kind that is not listed observes nothing worth keeping.
 */
export const CAPTURE_FIELDS: Partial<Record<string, readonly string[]>> = {
  output: ['stdout', 'stderr', 'exitCode'],
  exec: ['stdout', 'stderr', 'exitCode'],
  container: [
    'id',
    'name',
    'status',
    'exitCode',
    'health',
    'image',
    'command',
    'entrypoint',
    'ports',
    'mounts',
    'env',
    'networks',
    'ipAddress',
    'ipAddresses',
    'labels',
  ],
  image: ['id', 'entrypoint', 'cmd', 'env', 'exposedPorts', 'labels', 'workdir', 'user'],
  volume: ['id', 'driver', 'labels', 'mountpoint'],
  network: ['id', 'driver', 'subnet'],
};

function validRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

export const CaptureSchema = z.strictObject({
  name: z.string().regex(CAPTURE_NAME_PATTERN, {
    message: 'a capture name is upper-case letters, digits and underscores, like WEB_IP',
  }),
  from: z.string().min(1),
  matches: z
    .string()
    .refine(validRegex, { message: 'matches must be a valid regular expression' })
    .optional(),
});
const CaptureOption = z.union([CaptureSchema, z.array(CaptureSchema).min(1)]);

/** Options every check accepts besides its kind key. */
export const CHECK_OPTIONS = {
  id: IdSchema,
  description: z.string().optional(),
  timeout: DurationSchema.optional(),
  interval: DurationSchema.optional(),
  not: z.boolean().optional(),
  before: z.enum(['fail', 'pass', 'any']).optional(),
  fix: z.string().optional(),
  capture: CaptureOption.optional(),
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
  return z
    .strictObject({
      ...CHECK_OPTIONS,
      [kindName]: refineBody(CHECK_KINDS[kindName], kindName),
    })
    .superRefine((value, ctx) => refineCapture(kindName, value, ctx));
}

/** A capture names a field the kind observes, on a check that is not negated. */
function refineCapture(
  kindName: CheckKind,
  value: { capture?: Capture | Capture[] | undefined; not?: boolean | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  if (value.capture === undefined) return;
  const captures = Array.isArray(value.capture) ? value.capture : [value.capture];
  const fields = CAPTURE_FIELDS[kindName];
  if (value.not === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['capture'],
      message:
        'a negated check (not: true) observes nothing to capture: capture from a check that states what is there',
    });
    return;
  }
  captures.forEach((capture, index) => {
    const path = Array.isArray(value.capture) ? ['capture', index, 'from'] : ['capture', 'from'];
    if (!fields) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `a ${kindName} check cannot capture: capture from an output, exec, container, image, volume or network check`,
      });
      return;
    }
    const field = capture.from.split('.')[0]!;
    if (!fields.includes(field)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `a ${kindName} check cannot capture "${field}": capture one of ${fields.join(', ')}`,
      });
    }
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
  /** Values kept when the check passes (`capture`), always as a list. */
  capture?: Capture[];
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
  if (data.capture !== undefined)
    check.capture = Array.isArray(data.capture) ? data.capture : [data.capture];
  if (data.node !== undefined) check.node = data.node;
  return check;
}
