import { span, type Span } from "../../source/source-file.js";
import { abbreviate, type DocumentTree, type Path } from "../document-tree.js";

/**
 * The DSL's reading of a file as the YAML's data model, with a span for every part: a `plugin`
 * statement is the mapping `{plugin: {...}}` whose key is the `plugin` keyword, `timeout 30s` is
 * the entry `trigger_timeout` whose key is `timeout`. The shared schema then checks it exactly as
 * it checks YAML, and its complaints point into the .hyp file.
 */
export type DslNode = DslScalar | DslList | DslMap;

export interface DslScalar {
  readonly kind: "scalar";
  readonly value: string | number | boolean | null;
  /** As written: a number's digits, a word, a keyword; a string's decoded text. */
  readonly text: string;
  readonly span: Span;
}

export interface DslList {
  readonly kind: "list";
  readonly items: DslNode[];
  span: Span;
}

export interface DslEntry {
  readonly keySpan: Span;
  readonly node: DslNode;
}

export interface DslMap {
  readonly kind: "map";
  readonly entries: Map<string, DslEntry>;
  span: Span;
}

export function toValue(node: DslNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "list":
      return node.items.map(toValue);
    case "map":
      return Object.fromEntries([...node.entries].map(([key, entry]) => [key, toValue(entry.node)]));
  }
}

export class DslTree implements DocumentTree {
  constructor(
    private readonly root: DslMap,
    /** The whole file: where to point when nothing at all was written. */
    private readonly whole: Span,
  ) {}

  private nodeAt(path: Path): DslNode | undefined {
    let node: DslNode | undefined = this.root;
    for (const segment of path) {
      if (node === undefined) return undefined;
      if (node.kind === "map") node = node.entries.get(String(segment))?.node;
      else if (node.kind === "list" && typeof segment === "number") node = node.items[segment];
      else return undefined;
    }
    return node;
  }

  private entryAt(path: Path): DslEntry | undefined {
    const last = path[path.length - 1];
    if (last === undefined || typeof last === "number") return undefined;
    const parent = this.nodeAt(path.slice(0, -1));
    return parent?.kind === "map" ? parent.entries.get(String(last)) : undefined;
  }

  has(path: Path): boolean {
    return this.nodeAt(path) !== undefined;
  }

  isList(path: Path): boolean {
    return this.nodeAt(path)?.kind === "list";
  }

  valueSpan(path: Path): Span {
    const node = this.nodeAt(path);
    return node ? node.span : this.anchorSpan(path.slice(0, -1));
  }

  keySpan(path: Path): Span {
    return this.entryAt(path)?.keySpan ?? this.valueSpan(path);
  }

  anchorSpan(path: Path): Span {
    if (path.length === 0) return this.root.entries.size > 0 ? this.root.span : this.whole;
    const entry = this.entryAt(path);
    if (entry) return entry.keySpan;
    const node = this.nodeAt(path);
    return node ? node.span : this.anchorSpan(path.slice(0, -1));
  }

  scalarText(path: Path): string | undefined {
    const node = this.nodeAt(path);
    return node?.kind === "scalar" && node.value !== null ? node.text : undefined;
  }

  describe(path: Path): string {
    const node = this.nodeAt(path);
    if (node === undefined) return "nothing";
    if (node.kind === "map") return "a group of settings";
    if (node.kind === "list") return "a list";
    if (node.value === null) return "`stop`";
    if (typeof node.value === "string") return `the text \`${abbreviate(node.value)}\``;
    if (typeof node.value === "number") return `the number \`${node.text}\``;
    return `\`${node.text}\``;
  }
}

export function joinSpans(first: Span, last: Span): Span {
  return span(first.start, last.end);
}
