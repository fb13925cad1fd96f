import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from "yaml";
import { span, type Span } from "../../source/source-file.js";
import { abbreviate, type DocumentTree, type Path } from "../document-tree.js";

/**
 * Finds YAML nodes by the path zod reports (`["plugins", 0, "plugin", "name"]`), so every
 * problem found on the plain JS value can be shown where the user wrote it. Aliases are
 * followed, so a value reached through `*anchor` is shown at its anchor.
 */
export type { Path } from "../document-tree.js";

export class YamlTree implements DocumentTree {
  constructor(
    private readonly doc: Document.Parsed | undefined,
    /** Where to point when a path has no node at all (an empty file). */
    private readonly fallback: Span,
  ) {}

  /** The node at `path`, or `undefined` when the path does not exist. */
  nodeAt(path: Path): Node | undefined {
    let node: Node | undefined = this.resolve(this.doc?.contents ?? undefined);
    for (const segment of path) {
      if (node === undefined) return undefined;
      if (isMap(node)) {
        const pair = findPair(node.items, String(segment));
        node = this.resolve(pair?.value);
      } else if (isSeq(node) && typeof segment === "number") {
        node = this.resolve(node.items[segment]);
      } else {
        return undefined;
      }
    }
    return node;
  }

  has(path: Path): boolean {
    return this.nodeAt(path) !== undefined;
  }

  isList(path: Path): boolean {
    return isSeq(this.nodeAt(path));
  }

  /** The key node for the last segment of `path` (a mapping key), if there is one. */
  keyAt(path: Path): Node | undefined {
    const last = path[path.length - 1];
    if (last === undefined || typeof last === "number") return undefined;
    const parent = this.nodeAt(path.slice(0, -1));
    if (!isMap(parent)) return undefined;
    const key = findPair(parent.items, String(last))?.key;
    return isScalar(key) ? key : undefined;
  }

  /** Where the value at `path` was written; for a missing value, where it would be. */
  valueSpan(path: Path): Span {
    const node = this.nodeAt(path);
    if (node) return nodeSpan(node);
    return this.anchorSpan(path.slice(0, -1));
  }

  /** The key's span for a mapping entry, else the value's. */
  keySpan(path: Path): Span {
    const key = this.keyAt(path);
    return key ? nodeSpan(key) : this.valueSpan(path);
  }

  /**
   * Where to point at the mapping at `path` as a whole: its key (`plugin:`, `trigger:`) when it
   * has one, which reads better than a frame starting at the mapping's first entry.
   */
  anchorSpan(path: Path): Span {
    if (path.length === 0) {
      const contents = this.doc?.contents;
      return contents ? nodeSpan(contents) : this.fallback;
    }
    const key = this.keyAt(path);
    if (key) return nodeSpan(key);
    const node = this.nodeAt(path);
    return node ? nodeSpan(node) : this.anchorSpan(path.slice(0, -1));
  }

  /** The source text of a plain scalar (`1.10`, `yes`), else its string value. */
  scalarText(path: Path): string | undefined {
    const node = this.nodeAt(path);
    if (!isScalar(node)) return undefined;
    if (node.type === "PLAIN" && typeof node.source === "string" && typeof node.value !== "string") return node.source;
    return node.value === null || node.value === undefined ? undefined : String(node.value);
  }

  /** What the user wrote at `path`, in words, for "… must be a number, not …" messages. */
  describe(path: Path): string {
    const node = this.nodeAt(path);
    if (node === undefined) return "nothing";
    if (isMap(node)) return "a mapping";
    if (isSeq(node)) return "a list";
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || value === undefined) return "empty";
      if (typeof value === "string") return `the text \`${abbreviate(value)}\``;
      if (typeof value === "boolean") return `\`${String(value)}\``;
      if (typeof value === "number") return `the number \`${node.source ?? String(value)}\``;
    }
    return "a value of another kind";
  }

  private resolve(node: unknown): Node | undefined {
    if (node === null || node === undefined) return undefined;
    if (isAlias(node)) return this.doc ? (node.resolve(this.doc) ?? undefined) : undefined;
    return node as Node;
  }
}

/** The last pair with that key: YAML's toJS lets a later duplicate win, so we point at it too. */
function findPair(items: readonly Pair<unknown, unknown>[], key: string): Pair<unknown, unknown> | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const pair = items[i]!;
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair;
  }
  return undefined;
}

export function nodeSpan(node: Node): Span {
  const range = node.range;
  return range ? span(range[0], range[1]) : span(0);
}
