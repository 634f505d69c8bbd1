import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { DiagnosticSink } from './diagnostics.js';
import type { SourceText } from './source.js';

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
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        sink.error(source.position(baseOffset + error.pos[0]), 'yaml', `YAML syntax: ${message}`);
      }
      return undefined;
    }
    return new YamlBlock(doc, source, baseOffset);
  }

  toJS(): unknown {
    return this.doc.toJS();
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
