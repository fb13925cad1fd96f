import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import { closest } from "../diagnostics/did-you-mean.js";
import { TERMINAL_CHILD_NAMES, type ConfigModel } from "../model/model.js";
import type { Span } from "../source/source-file.js";

/** A conditional whose child is known: a 0-based plugin index, or `null` (end of branch). */
export interface ResolvedEdge {
  readonly response: string;
  readonly child: number | null;
  /** The `child_name` value, where a problem with this edge is shown. */
  readonly span: Span;
}

/**
 * Resolves every `child_name` to a plugin. An unknown name is an error (with the closest name,
 * or the end-of-branch words, as a suggestion) and its edge is left out, so later passes only
 * see edges that exist.
 */
export function resolveEdges(config: ConfigModel, byName: ReadonlyMap<string, number>, bag: DiagnosticBag): ResolvedEdge[][] {
  const candidates = [...byName.keys(), ...TERMINAL_CHILD_NAMES];
  return config.plugins.map((plugin) => {
    const edges: ResolvedEdge[] = [];
    for (const conditional of plugin.conditionals) {
      const child = conditional.child;
      if (child.value === null) {
        edges.push({ response: conditional.response.value, child: null, span: child.span });
        continue;
      }
      const index = byName.get(child.value);
      if (index !== undefined) {
        edges.push({ response: conditional.response.value, child: index, span: child.span });
        continue;
      }
      const near = closest(child.value, candidates);
      bag.error(Codes.UnknownChild, config.file, child.span, `unknown child \`${child.value}\`: no plugin has that name`, {
        help:
          near !== undefined
            ? `did you mean \`${near}\`?`
            : `add a plugin named \`${child.value}\`, or end the branch with \`child_name: skip-to-end\``,
      });
    }
    return edges;
  });
}

/** For each plugin (0-based), the plugins whose conditionals lead to it, in declaration order. */
export function parentsOf(edges: readonly (readonly ResolvedEdge[])[]): number[][] {
  const parents: number[][] = edges.map(() => []);
  edges.forEach((outgoing, parent) => {
    for (const edge of outgoing) {
      if (edge.child === null) continue;
      const list = parents[edge.child]!;
      if (!list.includes(parent)) list.push(parent);
    }
  });
  return parents;
}
