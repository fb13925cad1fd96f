import { Document, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { CheckedDocument } from "../frontend/config-document.js";
import type { Path } from "../frontend/document-tree.js";
import { TERMINAL_CHILD_NAMES } from "../model/model.js";
import { isModelineComment } from "../schema/modeline.js";
import { commentPlaces, placeComments } from "./comments.js";

type Data = Record<string, unknown>;

/** The seed's key order; keys a newer schema adds follow, as written. */
const TOP_ORDER = ["version", "service", "imports", "probes", "report", "sinks", "plugins"];
const PLUGIN_ORDER = ["name", "type", "prebuilt", "shell_command", "path", "hypothesis", "parallel", "with", "conditionals", "trigger"];
const TRIGGER_ORDER = ["trigger_type", "trigger_interval", "trigger_timeout"];
const PROBE_ORDER = ["exec", "http", "tcp", "timeout"];

/**
 * A checked config (from either form) as YAML in the seed's layout: block mappings, short lists
 * of words in flow style (`[on_liveness_failure, periodic]`), comments where they were.
 */
export function printYaml(checked: CheckedDocument): string {
  const { tree, comments: sourceComments } = checked.document;
  const value = checked.document.value as Data;
  // An editor's modeline stays the file's first line instead of going with the first key.
  const modelines = sourceComments.filter((comment) => !comment.trailing && isModelineComment(comment.text));
  const placed = sourceComments.filter((comment) => !modelines.includes(comment));
  const comments = placeComments(placed, commentPlaces(value), tree);

  const data = ordered(value, TOP_ORDER, (key, item) => {
    if (key === "plugins") return (item as { plugin: Data }[]).map(({ plugin }) => ({ plugin: pluginData(plugin) }));
    if (key === "probes") return Object.fromEntries(Object.entries(item as Data).map(([k, v]) => [k, k === "cooldown" ? v : ordered(v as Data, PROBE_ORDER)]));
    return item;
  });
  const doc = new Document(data);
  // Scalars exactly as written where the DSL kept the digits (`1.10`) or a duration's unit.
  restoreWritten(doc, value, [], tree.scalarText.bind(tree));
  flowWordLists(doc.contents);

  for (const path of commentPlaces(value)) {
    const target = commentTarget(doc, path);
    if (target === undefined) continue;
    const leading = comments.leading(path);
    if (leading.length > 0) target.commentBefore = leading.join("\n");
    const trailing = comments.trailing(path);
    if (trailing !== undefined) {
      // At the end of the part's first line: its value, or a mapping's first value (a plugin's name).
      const scalar = firstScalar(valueAt(doc, path));
      if (scalar !== undefined) scalar.comment = trailing;
      else target.commentBefore = [target.commentBefore, trailing].filter(Boolean).join("\n");
    }
  }
  if (comments.trailer.length > 0) doc.comment = comments.trailer.join("\n");
  if (modelines.length > 0) doc.commentBefore = modelines.map((comment) => comment.text).join("\n");
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: true });
}

function pluginData(plugin: Data): Data {
  return ordered(plugin, PLUGIN_ORDER, (key, item) => {
    if (key === "trigger") return ordered(item as Data, TRIGGER_ORDER);
    if (key === "conditionals") {
      return (item as Data[]).map((conditional) => ({
        response: conditional["response"],
        child_name:
          conditional["child_name"] === null || (TERMINAL_CHILD_NAMES as readonly unknown[]).includes(conditional["child_name"])
            ? "skip-to-end"
            : conditional["child_name"],
      }));
    }
    return item;
  });
}

function ordered(object: Data, order: readonly string[], map: (key: string, value: unknown) => unknown = (_k, v) => v): Data {
  const keys = [...order.filter((key) => key in object), ...Object.keys(object).filter((key) => !order.includes(key))];
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, map(key, object[key])]));
}

/** A number the DSL wrote as `1.10` or `010` stays that text, as a string YAML quotes. */
function restoreWritten(doc: Document, value: unknown, path: Path, written: (path: Path) => string | undefined): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => restoreWritten(doc, item, [...path, i], written));
    return;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) restoreWritten(doc, item, [...path, key], written);
    return;
  }
  if (typeof value !== "number") return;
  const text = written(path);
  if (text === undefined || String(value) === text) return;
  const node = valueAt(doc, path);
  if (node !== undefined && isScalar(node)) node.value = text;
}

function valueAt(doc: Document, path: Path): Node | undefined {
  const node = doc.getIn(path as unknown[], true);
  return node !== null && typeof node === "object" ? (node as Node) : undefined;
}

/** The node a comment before the part at `path` hangs on: its key, or the list item. */
export function commentTarget(doc: Document, path: Path): { commentBefore?: string | null } | undefined {
  const last = path[path.length - 1];
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true);
  if (typeof last === "number" && isSeq(parent)) return (parent as YAMLSeq).items[last] as Node | undefined;
  if (isMap(parent)) {
    const pair = (parent as YAMLMap).items.find((item: Pair) => isScalar(item.key) && item.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }
  return undefined;
}

function firstScalar(node: unknown): Scalar | undefined {
  if (isScalar(node)) return node;
  return isMap(node) ? firstScalar(node.items[0]?.value) : undefined;
}

/** Lists of plain words read best on one line: `trigger_type: [on_liveness_failure, periodic]`. */
function flowWordLists(node: unknown): void {
  if (isSeq(node)) {
    if (node.items.length > 0 && node.items.every((item) => isScalar(item) && !String(item.value).includes("\n"))) node.flow = true;
    else node.items.forEach(flowWordLists);
  } else if (isMap(node)) {
    for (const pair of node.items) flowWordLists(pair.value);
  }
}
