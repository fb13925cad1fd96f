import { formatSeconds } from "../model/duration.js";
import type { CheckedPlugin, Program, TriggerType } from "../model/model.js";

/**
 * `hypothecary graph`: a checked `Program` as a picture of its chains (docs/graph.md), in
 * Mermaid or Graphviz DOT. Pure and deterministic: declaration order throughout.
 *
 * - one node per plugin, id `pN` (N its 1-based index), whatever its name;
 * - one edge per conditional, labelled with its response; a conditional that ends the branch
 *   goes to the graph's one `stop` node;
 * - one trigger node per distinct set of triggers the roots have, with a dotted edge to each root
 *   it starts;
 * - `parallel: true` plugins have a dashed border.
 */
export const GRAPH_FORMATS = ["mermaid", "dot"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Longest hypothesis shown in a node, in code points; longer ones end with an ellipsis. */
export const HYPOTHESIS_MAX = 60;

export function renderGraph(program: Program, format: GraphFormat): string {
  const graph = buildGraph(program);
  return format === "dot" ? renderDot(graph) : renderMermaid(graph);
}

interface GraphNode {
  readonly id: string;
  /** Lines of the label, plain text (each format escapes them). */
  readonly lines: readonly string[];
  /** The last line is the hypothesis (shown in italics where the format allows). */
  readonly hasHypothesis: boolean;
  readonly parallel: boolean;
}

interface TriggerNode {
  readonly id: string;
  readonly lines: readonly string[];
  readonly roots: readonly string[];
}

interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly response: string;
}

interface Graph {
  readonly triggers: readonly TriggerNode[];
  readonly plugins: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly hasStop: boolean;
}

const STOP = "stop";

const TRIGGER_WORDS: Readonly<Record<TriggerType, string>> = {
  on_liveness_failure: "on liveness failure",
  on_readiness_failure: "on readiness failure",
  on_startup_failure: "on startup failure",
  periodic: "periodic",
  manual: "manual",
};

function buildGraph(program: Program): Graph {
  const id = (index: number): string => `p${index}`;
  const plugins = program.plugins.map((plugin): GraphNode => {
    const hypothesis = plugin.hypothesis === undefined ? undefined : shorten(plugin.hypothesis);
    return {
      id: id(plugin.index),
      lines: [plugin.name, actionWords(plugin), ...(hypothesis === undefined ? [] : [hypothesis])],
      hasHypothesis: hypothesis !== undefined,
      parallel: plugin.parallel,
    };
  });
  const edges = program.plugins.flatMap((plugin) =>
    plugin.edges.map((edge) => ({ from: id(plugin.index), to: edge.child === null ? STOP : id(edge.child), response: edge.response })),
  );
  // Roots with the same triggers (and interval) share one trigger node, in order of first use.
  const byWords = new Map<string, { lines: string[]; roots: string[] }>();
  for (const plugin of program.plugins) {
    if (!plugin.isRoot) continue;
    const lines = plugin.triggers.map((type) =>
      type === "periodic" ? `periodic every ${interval(plugin.intervalMs)}` : TRIGGER_WORDS[type],
    );
    const key = lines.join("\n");
    const entry = byWords.get(key) ?? { lines, roots: [] };
    entry.roots.push(id(plugin.index));
    byWords.set(key, entry);
  }
  const triggers = [...byWords.values()].map((entry, i) => ({ id: `t${i + 1}`, lines: entry.lines, roots: entry.roots }));
  return { triggers, plugins, edges, hasStop: edges.some((edge) => edge.to === STOP) };
}

/** `5m`, `1h`, `90s`, `0.5s`: the largest unit that divides the interval. */
function interval(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${formatSeconds(ms)}s`;
}

function actionWords(plugin: CheckedPlugin): string {
  const action = plugin.action;
  if (action.kind === "prebuilt") return `prebuilt ${action.prebuilt}`;
  if (action.kind === "script") return `script ${oneLine(action.path)}`;
  return "shell";
}

/** One line, at most HYPOTHESIS_MAX code points; cut at a word boundary when there is one nearby. */
export function shorten(text: string): string {
  const flat = oneLine(text);
  const points = [...flat];
  if (points.length <= HYPOTHESIS_MAX) return flat;
  const head = points.slice(0, HYPOTHESIS_MAX - 1).join("");
  const space = head.lastIndexOf(" ");
  const cut = space >= HYPOTHESIS_MAX / 2 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}\u2026`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// Mermaid: `flowchart TD`; every label in double quotes, with Mermaid's entity codes (`#34;`)
// for the characters that could end the string, be read as HTML or markdown, or meet Mermaid's
// text rewrites before parsing (`#...;` entities, `style...:#...;`, `%%` comments).

export function mermaidText(text: string): string {
  return text.replace(/[#"<>&`\\:%;]/g, (c) => `#${c.codePointAt(0)!};`);
}

function mermaidLabel(lines: readonly string[], italicLast: boolean): string {
  return lines.map((line, i) => (italicLast && i === lines.length - 1 ? `<i>${mermaidText(line)}</i>` : mermaidText(line))).join("<br/>");
}

function renderMermaid(graph: Graph): string {
  const out = ["flowchart TD"];
  for (const trigger of graph.triggers) out.push(`  ${trigger.id}(["${mermaidLabel(trigger.lines, false)}"]):::trigger`);
  for (const node of graph.plugins) {
    out.push(`  ${node.id}["${mermaidLabel(node.lines, node.hasHypothesis)}"]${node.parallel ? ":::parallel" : ""}`);
  }
  if (graph.hasStop) out.push(`  ${STOP}(("stop")):::stop`);
  for (const trigger of graph.triggers) for (const root of trigger.roots) out.push(`  ${trigger.id} -.-> ${root}`);
  for (const edge of graph.edges) out.push(`  ${edge.from} -->|"${mermaidText(edge.response)}"| ${edge.to}`);
  if (graph.triggers.length > 0) out.push("  classDef trigger fill:#eef,stroke:#669");
  if (graph.plugins.some((node) => node.parallel)) out.push("  classDef parallel stroke-dasharray:5 5");
  if (graph.hasStop) out.push("  classDef stop fill:#eee,stroke:#999");
  return `${out.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Graphviz DOT: every label a double-quoted string; `\` and `"` escaped, `&` written `&amp;`
// (Graphviz reads HTML entities in any label), lines joined by `\n`.

export function dotText(text: string): string {
  return text.replace(/[\\"&]/g, (c) => (c === "&" ? "&amp;" : `\\${c}`));
}

function dotLabel(lines: readonly string[]): string {
  return `"${lines.map(dotText).join("\\n")}"`;
}

function renderDot(graph: Graph): string {
  const out = [
    "digraph hypothecary {",
    "  rankdir=TB;",
    '  node [shape=box, style="rounded", fontname="Helvetica"];',
    '  edge [fontname="Helvetica"];',
  ];
  for (const trigger of graph.triggers) out.push(`  ${trigger.id} [label=${dotLabel(trigger.lines)}, shape=oval, style="filled", fillcolor="#eeeeff"];`);
  for (const node of graph.plugins) {
    out.push(`  ${node.id} [label=${dotLabel(node.lines)}${node.parallel ? ', style="rounded,dashed"' : ""}];`);
  }
  if (graph.hasStop) out.push(`  ${STOP} [label="stop", shape=doublecircle, style="filled", fillcolor="#eeeeee"];`);
  for (const trigger of graph.triggers) for (const root of trigger.roots) out.push(`  ${trigger.id} -> ${root} [style=dotted];`);
  for (const edge of graph.edges) out.push(`  ${edge.from} -> ${edge.to} [label=${dotLabel([edge.response])}];`);
  out.push("}");
  return `${out.join("\n")}\n`;
}
