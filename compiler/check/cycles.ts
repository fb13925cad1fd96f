import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";
import type { ResolvedEdge } from "./references.js";

/**
 * A chain that leads back to itself would never end (the runner runs a plugin once per run, so
 * the loop would silently stop instead, which is worse). Depth-first search in declaration
 * order; every edge into a plugin still on the stack closes a cycle, reported at that edge's
 * `child_name`, with the path in words. A cycle closed by two edges is reported once.
 */
export function reportCycles(config: ConfigModel, edges: readonly (readonly ResolvedEdge[])[], bag: DiagnosticBag): void {
  const state: ("new" | "open" | "done")[] = edges.map(() => "new");
  const stack: number[] = [];
  const reported = new Set<string>();

  // An explicit stack of (plugin, next edge to look at): a chain thousands of plugins long must
  // not overflow the JavaScript stack.
  const visit = (root: number): void => {
    const cursor: number[] = [];
    const open = (node: number): void => {
      state[node] = "open";
      stack.push(node);
      cursor.push(0);
    };
    open(root);
    while (stack.length > 0) {
      const node = stack[stack.length - 1]!;
      const edge = edges[node]![cursor[cursor.length - 1]!];
      if (edge === undefined) {
        stack.pop();
        cursor.pop();
        state[node] = "done";
        continue;
      }
      cursor[cursor.length - 1]!++;
      if (edge.child === null) continue;
      if (state[edge.child] === "new") {
        open(edge.child);
      } else if (state[edge.child] === "open") {
        const loop = stack.slice(stack.indexOf(edge.child));
        const key = canonical(loop);
        if (reported.has(key)) continue;
        reported.add(key);
        const names = [...loop, edge.child].map((index) => config.plugins[index]!.name.value);
        bag.error(Codes.Cycle, config.file, edge.span, `cycle: ${names.join(" -> ")}`, {
          help: "a chain must end; end one of these branches with `child_name: skip-to-end`",
        });
      }
    }
  };

  edges.forEach((_, node) => {
    if (state[node] === "new") visit(node);
  });
}

/** The same cycle entered at another plugin is the same cycle: start it at its smallest index. */
function canonical(loop: readonly number[]): string {
  const start = loop.indexOf(Math.min(...loop));
  return [...loop.slice(start), ...loop.slice(0, start)].join(" ");
}
