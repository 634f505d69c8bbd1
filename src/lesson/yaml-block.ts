import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import type { DiagnosticSink } from './diagnostics.js';
import type { SourceText } from './source.js';

/**
 * How many values aliases may add to a YAML snippet when they are expanded. Reusing a value a
 * few times stays far below; a "billion laughs" (aliases of aliases of aliases) goes far above.
 */
export const MAX_ALIAS_EXPANSION = 10_000;

interface YamlProblem {
  offset: number;
  message: string;
}

/**
 * Checks every alias before the snippet is turned into values: it names an anchor set before
 * it, is not inside the value it names, and all aliases together add at most
 * MAX_ALIAS_EXPANSION values. Then expanding them is safe.
 */
function aliasProblem(doc: Document): YamlProblem | undefined {
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const aliases: Alias[] = [];
  let missing: Alias | undefined;
  // The order yaml resolves in: an alias means the last node with that anchor before it.
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) {
          missing = node;
          return visit.BREAK;
        }
        targets.set(node, target);
        aliases.push(node);
      } else if ((isScalar(node) || isCollection(node)) && node.anchor)
        anchors.set(node.anchor, node);
      return undefined;
    },
  });
  if (missing) {
    const name = missing.source;
    return {
      offset: missing.range?.[0] ?? 0,
      message: `alias *${name} names no anchor: set &${name} on a value before it, or write the value out`,
    };
  }
  if (aliases.length === 0) return undefined;

  const sizes = new Map<Node, number>();
  const active = new Set<Node>();
  let cycle: Alias | undefined;
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node)!;
      if (active.has(target)) {
        cycle ??= node;
        return 1;
      }
      return sizeOf(target);
    }
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    active.add(node);
    let size = 1;
    for (const item of node.items) {
      size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
      if (size > MAX_ALIAS_EXPANSION) break;
    }
    active.delete(node);
    sizes.set(node, size);
    return size;
  };
  let added = 0;
  for (const alias of aliases) {
    added += sizeOf(alias);
    if (cycle) {
      return {
        offset: cycle.range?.[0] ?? 0,
        message: `alias *${cycle.source} is inside the value it names (&${cycle.source}): a value cannot contain itself; write the value out`,
      };
    }
    if (added > MAX_ALIAS_EXPANSION) {
      return {
        offset: alias.range?.[0] ?? 0,
        message: `aliases expand too far: with *${alias.source} here they add more than ${MAX_ALIAS_EXPANSION} values; write the values out instead of aliases of aliases`,
      };
    }
  }
  return undefined;
}

/**
 * A YAML snippet inside a lesson (front matter or a fenced block) that remembers where it sits
 * in the file, so any path in it maps back to file:line:col.
 */
export class YamlBlock {
  private constructor(
    readonly doc: Document,
    private readonly source: SourceText,
    private readonly baseOffset: number,
  ) {}

  /** Parses; on a YAML syntax error reports it (located) and returns undefined. */
  static parse(
    source: SourceText,
    text: string,
    baseOffset: number,
    sink: DiagnosticSink,
  ): YamlBlock | undefined {
    const doc = parseDocument(text, {
      lineCounter: new LineCounter(),
      prettyErrors: false,
      uniqueKeys: true,
    });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const message = /Maximum call stack size exceeded/.test(error.message)
          ? 'the YAML nests too deep here for docker-lab to read: flatten it'
          : `YAML syntax: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
        sink.error(source.position(baseOffset + error.pos[0]), 'yaml', message);
      }
      return undefined;
    }
    let problem: YamlProblem | undefined;
    try {
      problem = aliasProblem(doc);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      problem = {
        offset: 0,
        message: 'the YAML nests too deep for docker-lab to read: flatten it',
      };
    }
    if (problem) {
      sink.error(source.position(baseOffset + problem.offset), 'yaml', problem.message);
      return undefined;
    }
    return new YamlBlock(doc, source, baseOffset);
  }

  /** The snippet's values (its aliases were checked by parse: expanding them is safe). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: -1 });
  }

  /** The node at a path of keys and indexes (the deepest one that exists). */
  private nodeAt(path: readonly PropertyKey[]): { node: Node | null; key?: Node } {
    let node = this.doc.contents as Node | null;
    let keyNode: Node | undefined;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
        if (!pair) break;
        keyNode = pair.key as Node;
        node = (pair.value as Node | null) ?? keyNode;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as Node | undefined;
        if (!item) break;
        node = item;
        keyNode = undefined;
      } else break;
    }
    return keyNode ? { node, key: keyNode } : { node };
  }

  /** Where the value at `path` starts; with `key`, where that key of the map at `path` starts. */
  position(path: readonly PropertyKey[], key?: string) {
    const target = key === undefined ? path : [...path, key];
    const { node, key: keyNode } = this.nodeAt(target);
    const rangeOf = key !== undefined && keyNode ? keyNode : node;
    const offset = rangeOf?.range?.[0] ?? 0;
    return this.source.position(this.baseOffset + offset);
  }
}
