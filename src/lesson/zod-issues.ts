import type { z } from 'zod';
import { MATCHER_KEYS } from '../checks/matcher-schema.js';
import type { DiagnosticSink } from './diagnostics.js';
import { didYouMean } from './suggest.js';
import type { YamlBlock } from './yaml-block.js';

/**
 * Turns zod's issues into lesson diagnostics: located at the offending YAML node, phrased for
 * instructors (expected vs received), with "did you mean" for mistyped keys and enum values.
 */

type AnySchema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

/** The keys the object schema at `path` accepts (walking through wrappers, arrays, unions). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const candidates = new Set<string>();
  const visit = (s: AnySchema, rest: readonly PropertyKey[], depth: number): void => {
    if (depth > 40) return;
    const def = s._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
      case 'nonoptional':
        return visit(def.innerType as AnySchema, rest, depth + 1);
      case 'pipe': {
        // A preprocess (`health`'s forms) is a pipe from a transform: the keys are the output's,
        // as zod's own JSON Schema reads it.
        const input = def.in as AnySchema;
        const side = input._zod.def.type === 'transform' ? (def.out as AnySchema) : input;
        return visit(side, rest, depth + 1);
      }
      case 'lazy':
        return visit((def.getter as () => AnySchema)(), rest, depth + 1);
      case 'union':
        for (const option of def.options as AnySchema[]) visit(option, rest, depth + 1);
        return;
      case 'array':
        if (rest.length > 0) visit(def.element as AnySchema, rest.slice(1), depth + 1);
        return;
      case 'record':
        if (rest.length > 0) visit(def.valueType as AnySchema, rest.slice(1), depth + 1);
        return;
      case 'object': {
        const shape = (s as unknown as { shape: Record<string, AnySchema> }).shape;
        if (rest.length === 0) {
          for (const key of Object.keys(shape)) candidates.add(key);
          return;
        }
        const next = shape[String(rest[0])];
        if (next) visit(next, rest.slice(1), depth + 1);
        return;
      }
      default:
        return;
    }
  };
  visit(schema as AnySchema, path, 0);
  return [...candidates];
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list',
  object: 'a map',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function dotted(path: readonly PropertyKey[]): string {
  return path
    .map((step, i) =>
      typeof step === 'number' ? `[${step}]` : i === 0 ? String(step) : `.${String(step)}`,
    )
    .join('');
}

function isMatcherPath(schema: z.ZodType, path: readonly PropertyKey[]): boolean {
  const keys = keysAt(schema, path);
  return keys.length > 0 && keys.every((k) => (MATCHER_KEYS as readonly string[]).includes(k));
}

export interface IssueContext {
  schema: z.ZodType;
  block: YamlBlock;
  /** Path of the validated value inside the YAML document (e.g. [2] for the third check). */
  basePath: readonly PropertyKey[];
  input: unknown;
  /** Names the thing being validated in messages, e.g. `check "greeted"`, `front matter`. */
  subject: string;
  sink: DiagnosticSink;
}

export function reportZodIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): void {
  const unknownKeyPaths = new Set(
    issues.filter((i) => i.code === 'unrecognized_keys').map((i) => dotted(i.path)),
  );
  for (const issue of issues) {
    const path = issue.path;
    const where = path.length > 0 ? `${dotted(path)}: ` : '';
    const at = (key?: string) => ctx.block.position([...ctx.basePath, ...path], key);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = keysAt(ctx.schema, path);
        const kind = isMatcherPath(ctx.schema, path) ? 'matcher' : 'key';
        for (const key of issue.keys) {
          ctx.sink.error(
            at(key),
            'unknown-key',
            `unknown ${kind} "${key}" in ${path.length > 0 ? `${dotted(path)} of ` : ''}${ctx.subject}${didYouMean(key, known)}`,
          );
        }
        break;
      }
      case 'invalid_type': {
        const received = valueAt(ctx.input, path);
        // A schema may carry its own wording (durations); zod's default starts "Invalid input".
        const expected = issue.message.startsWith('Invalid input')
          ? `expected ${typeName(issue.expected)}`
          : issue.message;
        const message =
          received === undefined
            ? `${ctx.subject} needs "${String(path[path.length - 1])}" (${typeName(issue.expected)})`
            : `${where}${expected}, received ${describeValue(received)}`;
        ctx.sink.error(at(), 'schema', message);
        break;
      }
      case 'invalid_union': {
        const received = valueAt(ctx.input, path);
        const matcher = isMatcherPath(ctx.schema, path);
        if (received === undefined) {
          // A required key with several accepted forms (a quiz's answer), left out.
          ctx.sink.error(at(), 'schema', `${ctx.subject} needs "${String(path[path.length - 1])}"`);
          break;
        }
        ctx.sink.error(
          at(),
          'schema',
          matcher
            ? `${where}expected a value to compare with, or a matcher such as { contains: "..." }, received ${describeValue(received)}`
            : `${where}received ${describeValue(received)}, which fits none of the accepted forms`,
        );
        break;
      }
      case 'invalid_value': {
        const received = valueAt(ctx.input, path);
        const allowed = issue.values.map((v) => String(v));
        ctx.sink.error(
          at(),
          'schema',
          `${where}expected one of ${allowed.join(', ')}, received ${describeValue(received)}${
            typeof received === 'string' ? didYouMean(received, allowed) : ''
          }`,
        );
        break;
      }
      case 'custom': {
        // "asserts nothing" next to an unknown key says the same thing twice: the typo is the news.
        if (unknownKeyPaths.has(dotted(path))) break;
        ctx.sink.error(at(), 'schema', `${where}${issue.message}`);
        break;
      }
      default:
        ctx.sink.error(at(), 'schema', `${where}${issue.message}`);
    }
  }
}
