import type { SourceComment } from "../frontend/config-document.js";
import type { DocumentTree, Path } from "../frontend/document-tree.js";

/**
 * Comments travel with the part of the config they sit on. The places a comment can sit are
 * the same in both forms (a statement, a plugin, one of its clauses, a conditional, a setting),
 * named by their data path; each comment goes to the place that follows it (or, written at the
 * end of a line, to the place on that line), and the printer of the other form writes it there.
 */
export interface PlacedComments {
  /** Comments on lines of their own before the part at `path`. */
  leading(path: Path): readonly string[];
  /** A comment at the end of the part's line. */
  trailing(path: Path): string | undefined;
  /** Comments after the last part of the file. */
  readonly trailer: readonly string[];
}

export function pathKey(path: Path): string {
  return path.map(String).join("\u0000");
}

/** The places a comment can attach to, in a config's data (shape already checked). */
export function commentPlaces(value: Record<string, unknown>): Path[] {
  const places: Path[] = [];
  const keys = (object: unknown): string[] =>
    typeof object === "object" && object !== null && !Array.isArray(object) ? Object.keys(object) : [];
  const items = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
  for (const key of ["version", "service"]) if (value[key] !== undefined) places.push([key]);
  for (let i = 0; i < items(value["imports"]); i++) places.push(["imports", i]);
  for (const key of keys(value["probes"])) places.push(["probes", key]);
  for (const key of keys(value["report"])) places.push(["report", key]);
  const sinks = value["sinks"] as unknown[] | undefined;
  for (let i = 0; i < items(sinks); i++) {
    places.push(["sinks", i]);
    for (const key of keys(sinks![i]).filter((k) => k !== "type")) places.push(["sinks", i, key]);
  }
  const plugins = value["plugins"] as { plugin?: Record<string, unknown> }[] | undefined;
  for (let i = 0; i < items(plugins); i++) {
    const plugin = plugins![i]?.plugin ?? {};
    const at: Path = ["plugins", i, "plugin"];
    places.push(["plugins", i]);
    for (const key of PLUGIN_CLAUSE_KEYS) if (plugin[key] !== undefined) places.push([...at, key]);
    for (const key of keys(plugin["with"])) places.push([...at, "with", key]);
    for (let j = 0; j < items(plugin["conditionals"]); j++) places.push([...at, "conditionals", j]);
    for (const key of keys(plugin["trigger"])) places.push([...at, "trigger", key]);
  }
  return places;
}

/** Plugin keys printed on lines of their own (the rest share the plugin's first line). */
const PLUGIN_CLAUSE_KEYS = ["hypothesis", "parallel"] as const;

/** Where each comment of `comments` goes, by where the places were written in the source. */
export function placeComments(
  comments: readonly SourceComment[],
  places: readonly Path[],
  tree: DocumentTree,
): PlacedComments {
  const located = places
    .map((path) => ({ path, start: Math.min(tree.keySpan(path).start, tree.valueSpan(path).start) }))
    .sort((a, b) => a.start - b.start);
  const leading = new Map<string, string[]>();
  const trailing = new Map<string, string>();
  const trailer: string[] = [];
  for (const comment of comments) {
    if (comment.trailing) {
      const before = located.filter((place) => place.start <= comment.span.start).pop();
      if (before !== undefined) {
        const key = pathKey(before.path);
        const earlier = trailing.get(key);
        trailing.set(key, earlier === undefined ? comment.text : `${earlier} ${comment.text.trim()}`);
        continue;
      }
    }
    const next = located.find((place) => place.start >= comment.span.end);
    if (next === undefined) {
      trailer.push(comment.text);
      continue;
    }
    const key = pathKey(next.path);
    leading.set(key, [...(leading.get(key) ?? []), comment.text]);
  }
  return {
    leading: (path) => leading.get(pathKey(path)) ?? [],
    trailing: (path) => trailing.get(pathKey(path)),
    trailer,
  };
}
