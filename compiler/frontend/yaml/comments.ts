import { Parser, type Document } from "yaml";
import { span, type SourceFile } from "../../source/source-file.js";
import { startsItsLine, type SourceComment } from "../config-document.js";

/**
 * Every `#` comment of a YAML file, in order. The `yaml` package keeps comments on nodes only
 * loosely (a comment between two keys may belong to either), so they are read from its concrete
 * syntax tree, where each is a token with an offset; `convert` places them itself.
 */
export function yamlComments(file: SourceFile, doc: Document.Parsed | undefined): SourceComment[] {
  if (doc === undefined || !file.text.includes("#")) return [];
  const found = new Map<number, SourceComment>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const token = node as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === "comment" && typeof token.offset === "number" && typeof token.source === "string") {
      const text = token.source.replace(/^#/, "").replace(/\r$/, "");
      found.set(token.offset, {
        text,
        span: span(token.offset, token.offset + token.source.length),
        trailing: !startsItsLine(file.text, token.offset),
      });
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  for (const token of new Parser().parse(file.text)) walk(token);
  return [...found.values()].sort((a, b) => a.span.start - b.span.start);
}
