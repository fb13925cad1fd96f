import type { Library, Fragment } from "../library/library.js";
import type { Program } from "../model/model.js";

/**
 * The runtime fragments and prebuilts a program needs, and nothing else: the engine (`core` and
 * what it requires), the plugin types present, and the prebuilts named by the config with the
 * helpers they require. Order is a pre-order walk of `requires` from `core`, so the runner reads
 * top-down: the entry point first, the details after it.
 */
export function selectFragments(program: Program, library: Library): { fragments: Fragment[]; prebuilts: string[] } {
  const roots = ["core"];
  if (program.probes.length > 0) roots.push("probe");
  const kinds = new Set(program.plugins.map((p) => p.action.kind));
  if (kinds.has("shell")) roots.push("session");
  if (kinds.has("script")) roots.push("script");
  // `watch` loops the periodic roots; runtime/core.sh dispatches to it under the same condition.
  if (program.plugins.some((p) => p.isRoot && p.triggers.includes("periodic"))) roots.push("watch");
  // Sinks: the delivery engine and one payload builder per type in use (runtime/sink-TYPE.sh).
  if (program.sinks.length > 0) roots.push("sinks");
  for (const type of new Set(program.sinks.map((s) => s.type))) roots.push(`sink-${type.replace(/_/g, "-")}`);

  const prebuilts: string[] = [];
  for (const plugin of program.plugins) {
    if (plugin.action.kind === "prebuilt" && !prebuilts.includes(plugin.action.prebuilt)) {
      prebuilts.push(plugin.action.prebuilt);
    }
  }
  for (const name of prebuilts) {
    const definition = library.prebuilts.get(name);
    if (!definition) throw new Error(`internal error: prebuilt ${name} passed check but is not in the library`);
    roots.push(...definition.requires);
  }

  const ordered: Fragment[] = [];
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const fragment = library.fragments.get(name);
    if (!fragment) throw new Error(`${from} requires the runtime fragment \`${name}\`, which does not exist`);
    ordered.push(fragment);
    for (const dependency of fragment.requires) visit(dependency, fragment.path);
  };
  for (const root of roots) visit(root, "the runner");
  return { fragments: ordered, prebuilts };
}
