import { parseShell, type ParsedShell, type ShellItem } from "../library/shell-items.js";

/**
 * Function-level tree-shaking of the runner (docs/architecture.md, "The runner"). The fragments
 * and prebuilts the config needs are chosen by `select-fragments.ts`; of their functions, the
 * runner keeps only those reachable from its own generated code (settings, probe, plugin and
 * sink blocks, `hyp_main "$@"`), from the fragments' top-level statements, and from each other:
 * a function is reached when its name is an identifier in the code of something kept (strings
 * included: `trap 'hyp_run_abort 143' TERM`, `hyp_bounded 5 hyp_probe_exec`), or when a kept
 * item names it in a `# keeps:` line (a call by a name built at run time).
 *
 * Calls by built names whose targets are generated, and so always present: `hyp_plugin_$N`,
 * `hyp_action_$N`, `hyp_sink_$N` (declaration indexes) and `hyp_probe_$KIND` (hyp_probe_fast
 * admits only liveness, readiness and startup). Every other built name carries a `# keeps:`.
 */

/** Which library comments the runner keeps (plugin blocks and the header keep all of theirs). */
export type LibraryComments = "all" | "none";

export interface ShakeSection {
  /** A fragment's or prebuilt's text, its manifest header removed. */
  readonly body: string;
}

const parsed = new Map<string, ParsedShell>();

/** The items of a fragment's text; parsed once per distinct text. */
export function parseCached(body: string): ParsedShell {
  let result = parsed.get(body);
  if (!result) {
    result = parseShell(body);
    parsed.set(body, result);
  }
  return result;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The text of each section (same order), with the functions nothing reaches left out and the
 * comments `comments` does not keep. An empty string: nothing of the section is needed.
 */
export function shakeSections(sections: readonly ShakeSection[], generated: readonly string[], comments: LibraryComments): string[] {
  const parsedSections = sections.map((s) => parseCached(s.body));
  const defined = new Map<string, ShellItem[]>();
  for (const p of parsedSections) {
    if (p.opaque) continue;
    for (const item of p.items) {
      if (item.kind !== "function") continue;
      const list = defined.get(item.name!) ?? [];
      list.push(item);
      defined.set(item.name!, list);
    }
  }

  const kept = new Set<ShellItem>();
  const reached = new Set<string>();
  const queue: string[] = [];
  const reach = (name: string): void => {
    if (reached.has(name)) return;
    reached.add(name);
    queue.push(name);
  };
  const keep = (item: ShellItem): void => {
    item.references.forEach(reach);
    for (const pattern of item.keeps) {
      if (pattern.endsWith("*")) {
        const prefix = pattern.slice(0, -1);
        for (const name of defined.keys()) if (name.startsWith(prefix)) reach(name);
      } else reach(pattern);
    }
  };
  for (const line of generated) for (const m of line.matchAll(IDENTIFIER)) reach(m[0]);
  for (const p of parsedSections) {
    if (p.opaque) p.references.forEach(reach);
    else for (const item of p.items) if (item.kind === "statement") keep(item);
  }
  while (queue.length > 0) {
    for (const item of defined.get(queue.pop()!) ?? []) {
      if (kept.has(item)) continue;
      kept.add(item);
      keep(item);
    }
  }

  return sections.map((section, i) => {
    const p = parsedSections[i]!;
    if (p.opaque) return section.body.trimEnd();
    const out: string[] = [];
    for (const item of p.items) {
      if (item.kind === "function" && !kept.has(item)) continue;
      if (item.kind === "blank") {
        // Blank lines separate what is kept: never two in a row, none at the start.
        if (out.length > 0 && out[out.length - 1] !== "") out.push("");
        continue;
      }
      // Whole-line comments go (not `# shellcheck` directives); a `#` in a string or a
      // here-document is not a comment, and a comment after code on its line stays.
      for (const line of item.lines) if (comments === "all" || !line.comment || line.directive) out.push(line.text);
    }
    const text = out.join("\n").trimEnd();
    // Nothing but blank lines and comments left: the section has nothing the runner needs.
    return p.items.some((item) => item.kind === "statement" || kept.has(item)) ? text : "";
  });
}
