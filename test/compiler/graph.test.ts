import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import { HYPOTHESIS_MAX, shorten } from "../../compiler/graph/graph.js";
import { runCli } from "./support/cli.js";

/**
 * Issue 7: `hypothecary graph`. For every example, in both forms and both formats, the picture
 * has one node per plugin and one edge per conditional (read back with the small parsers below,
 * which accept only what the formats allow); one example of each format is golden; hostile text
 * stays inside its labels.
 */

// ---------------------------------------------------------------------------------------------
// Reading the output back.

interface Picture {
  /** Plugin nodes in order: id and label lines. */
  readonly plugins: { id: string; lines: string[]; parallel: boolean }[];
  readonly triggers: { id: string; lines: string[] }[];
  /** Conditional edges: from, to, response. */
  readonly edges: { from: string; to: string; label: string }[];
  readonly triggerEdges: { from: string; to: string }[];
  stops: number;
}

/** A Mermaid label as the formats' renderer shows it: entity codes decoded, lines split. */
function mermaidLines(label: string): string[] {
  // Outside our own markup, a label has no `<`, `>`, `"`, backtick, and `#` only in `#NN;`.
  const bare = label.replace(/<br\/>|<i>|<\/i>/g, "");
  expect(bare.replace(/#\d+;/g, "")).not.toMatch(/[<>"`:%;\\]/);
  expect(bare.replace(/#\d+;/g, "")).not.toContain("#");
  return label
    .replace(/<i>|<\/i>/g, "")
    .split("<br/>")
    .map((line) => line.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
}

/** Every line must be one of the statements `graph` writes; anything else fails the test. */
function readMermaid(text: string): Picture {
  const picture: Picture = { plugins: [], triggers: [], edges: [], triggerEdges: [], stops: 0 };
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.shift()).toBe("flowchart TD");
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /^ {2}(t\d+)\(\["([^"]*)"\]\):::trigger$/.exec(line))) picture.triggers.push({ id: m[1]!, lines: mermaidLines(m[2]!) });
    else if ((m = /^ {2}(p\d+)\["([^"]*)"\](:::parallel)?$/.exec(line))) {
      picture.plugins.push({ id: m[1]!, lines: mermaidLines(m[2]!), parallel: m[3] !== undefined });
    } else if (/^ {2}stop\(\("stop"\)\):::stop$/.test(line)) picture.stops++;
    else if ((m = /^ {2}(t\d+) -\.-> (p\d+)$/.exec(line))) picture.triggerEdges.push({ from: m[1]!, to: m[2]! });
    else if ((m = /^ {2}(p\d+) -->\|"([^"]*)"\| (p\d+|stop)$/.exec(line))) {
      picture.edges.push({ from: m[1]!, label: mermaidLines(m[2]!).join("\n"), to: m[3]! });
    } else if (!/^ {2}classDef (trigger|parallel|stop) [a-z0-9:#,. -]+$/.test(line)) throw new Error(`not a statement graph writes: ${line}`);
  }
  return picture;
}

type Token = { kind: "id" | "string" | "punct"; text: string };

/** DOT's lexical grammar, the parts `graph` may use: IDs, numerals, quoted strings, `->`, punctuation. */
function tokenizeDot(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|([A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)|"((?:[^"\\]|\\[\s\S])*)"|(->|[{}[\];,=])/y;
  let at = 0;
  while (at < text.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) throw new Error(`DOT: unexpected ${JSON.stringify(text.slice(at, at + 20))}`);
    if (m[1] !== undefined) tokens.push({ kind: "id", text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: "string", text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "punct", text: m[3] });
    at = pattern.lastIndex;
  }
  return tokens;
}

/** A quoted DOT string's text: `\"` and `\\` unescaped, `\n` a line break; no other escapes. */
function dotString(raw: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== "\\") {
      line += raw[i]!;
      continue;
    }
    const next = raw[++i];
    if (next === "n") {
      lines.push(line);
      line = "";
    } else if (next === "\\" || next === '"') line += next;
    else throw new Error(`DOT: escape \\${String(next)} in a label`);
  }
  lines.push(line);
  // Graphviz reads HTML entities in labels: a `&` of the text must be `&amp;`.
  for (const line of lines) expect(line.replace(/&amp;/g, "")).not.toContain("&");
  return lines.map((line) => line.replace(/&amp;/g, "&"));
}

/** `digraph ID { stmt* }` with node, edge, attribute and `ID = value` statements. */
function readDot(text: string): Picture {
  const picture: Picture = { plugins: [], triggers: [], edges: [], triggerEdges: [], stops: 0 };
  const tokens = tokenizeDot(text);
  let i = 0;
  const next = (): Token => {
    const token = tokens[i++];
    if (token === undefined) throw new Error("DOT: unexpected end");
    return token;
  };
  const expectToken = (text: string): void => {
    const token = next();
    if (token.kind === "string" || token.text !== text) throw new Error(`DOT: expected ${text}, got ${token.text}`);
  };
  const value = (): Token => {
    const token = next();
    if (token.kind === "punct") throw new Error(`DOT: expected a value, got ${token.text}`);
    return token;
  };
  const attributes = (): Map<string, Token> => {
    const attrs = new Map<string, Token>();
    if (tokens[i]?.text !== "[" || tokens[i]?.kind !== "punct") return attrs;
    i++;
    while (!(tokens[i]?.kind === "punct" && tokens[i]?.text === "]")) {
      const key = next();
      if (key.kind !== "id") throw new Error(`DOT: attribute name ${key.text}`);
      expectToken("=");
      attrs.set(key.text, value());
      if (tokens[i]?.kind === "punct" && tokens[i]?.text === ",") i++;
    }
    i++;
    return attrs;
  };
  expectToken("digraph");
  expect(value().kind).toBe("id");
  expectToken("{");
  while (!(tokens[i]?.kind === "punct" && tokens[i]?.text === "}")) {
    const head = next();
    if (head.kind !== "id") throw new Error(`DOT: statement starts with ${head.text}`);
    if (["node", "edge", "graph"].includes(head.text)) {
      attributes();
    } else if (tokens[i]?.text === "=" && tokens[i]?.kind === "punct") {
      i++;
      value();
    } else if (tokens[i]?.text === "->" && tokens[i]?.kind === "punct") {
      i++;
      const to = next();
      if (to.kind !== "id") throw new Error(`DOT: edge to ${to.text}`);
      const attrs = attributes();
      if (head.text.startsWith("t")) picture.triggerEdges.push({ from: head.text, to: to.text });
      else picture.edges.push({ from: head.text, to: to.text, label: dotString(attrs.get("label")!.text).join("\n") });
    } else {
      const attrs = attributes();
      const label = attrs.get("label");
      if (label?.kind !== "string") throw new Error(`DOT: node ${head.text} without a quoted label`);
      if (/^p\d+$/.test(head.text)) {
        picture.plugins.push({ id: head.text, lines: dotString(label.text), parallel: (attrs.get("style")?.text ?? "").includes("dashed") });
      } else if (/^t\d+$/.test(head.text)) picture.triggers.push({ id: head.text, lines: dotString(label.text) });
      else if (head.text === "stop") picture.stops++;
      else throw new Error(`DOT: unknown node ${head.text}`);
    }
    expectToken(";");
  }
  i++;
  expect(i).toBe(tokens.length);
  return picture;
}

const READERS = { mermaid: readMermaid, dot: readDot } as const;

// ---------------------------------------------------------------------------------------------
// What each config says, read independently of the compiler.

interface Expected {
  readonly names: string[];
  readonly parallel: boolean[];
  /** One per conditional: "FROM RESPONSE TO", with TO `stop` for an ending branch. */
  readonly edges: string[];
}

const TERMINAL = new Set(["None", "none", "null", "skip-to-end", "stop"]);

function expectedOfYaml(text: string): Expected {
  const data = parse(text) as { plugins: { plugin: { name: string; parallel?: boolean; conditionals?: { response: string; child_name: string | null }[] } }[] };
  const plugins = data.plugins.map((item) => item.plugin);
  const index = (name: string | null) => (name === null || TERMINAL.has(name) ? "stop" : `p${plugins.findIndex((p) => p.name === name) + 1}`);
  return {
    names: plugins.map((p) => p.name),
    parallel: plugins.map((p) => p.parallel === true),
    edges: plugins.flatMap((p, i) => (p.conditionals ?? []).map((c) => `p${i + 1} ${c.response} ${index(c.child_name)}`)),
  };
}

/** A .hyp file by its statements: `plugin NAME`, `parallel`, `when RESPONSE -> CHILD`. */
function expectedOfHyp(text: string): Expected {
  const names: string[] = [];
  const parallel: boolean[] = [];
  const whens: [number, string, string][] = [];
  for (const line of text.split("\n")) {
    const plugin = /^plugin (\S+)/.exec(line);
    if (plugin) {
      names.push(plugin[1]!);
      parallel.push(false);
    }
    if (/^ {2}parallel\s*(#.*)?$/.test(line)) parallel[parallel.length - 1] = true;
    const when = /^ {2}when (\S+) -> (\S+)/.exec(line);
    if (when) whens.push([names.length, when[1]!, when[2]!]);
  }
  return {
    names,
    parallel,
    edges: whens.map(([from, response, child]) => `p${from} ${response} ${TERMINAL.has(child) ? "stop" : `p${names.indexOf(child) + 1}`}`),
  };
}

const examples = readdirSync(join(PACKAGE_ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml") || f.endsWith(".hyp"))
  .sort();

describe.each(examples)("graph examples/%s", (example) => {
  const text = readFileSync(join(PACKAGE_ROOT, "examples", example), "utf8");
  const expected = example.endsWith(".hyp") ? expectedOfHyp(text) : expectedOfYaml(text);

  it.each(["mermaid", "dot"] as const)("--format %s: one node per plugin, one edge per conditional", async (format) => {
    const result = await runCli(["graph", `examples/${example}`, "--format", format], PACKAGE_ROOT);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const picture = READERS[format](result.stdout);
    expect(expected.names.length).toBeGreaterThan(0);
    expect(picture.plugins.map((p) => p.lines[0])).toEqual(expected.names);
    expect(picture.plugins.map((p) => p.id)).toEqual(expected.names.map((_, i) => `p${i + 1}`));
    expect(picture.plugins.map((p) => p.parallel)).toEqual(expected.parallel);
    expect(picture.edges.map((e) => `${e.from} ${e.label} ${e.to}`)).toEqual(expected.edges);
    expect(picture.stops).toBe(expected.edges.some((e) => e.endsWith(" stop")) ? 1 : 0);
    // Every root, and only roots, is started by a trigger node.
    const children = new Set(expected.edges.map((e) => e.split(" ")[2]));
    const roots = expected.names.map((_, i) => `p${i + 1}`).filter((id) => !children.has(id));
    expect(picture.triggerEdges.map((e) => e.to).sort()).toEqual(roots.sort());
    expect(new Set(picture.triggerEdges.map((e) => e.from))).toEqual(new Set(picture.triggers.map((t) => t.id)));
  });

  it("is the same picture from either form", async () => {
    const twin = example.endsWith(".hyp") ? example.replace(/\.hyp$/, ".yaml") : example.replace(/\.yaml$/, ".hyp");
    const a = await runCli(["graph", `examples/${example}`], PACKAGE_ROOT);
    const b = await runCli(["graph", `examples/${twin}`], PACKAGE_ROOT);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("graph output", () => {
  it("is golden for examples/checkout.yaml in both formats", async () => {
    const mermaid = await runCli(["graph", "examples/checkout.yaml"], PACKAGE_ROOT);
    await expect(mermaid.stdout).toMatchFileSnapshot("golden/graph/checkout.mmd");
    const dot = await runCli(["graph", "examples/checkout.yaml", "--format", "dot"], PACKAGE_ROOT);
    await expect(dot.stdout).toMatchFileSnapshot("golden/graph/checkout.dot");
  });

  it("is in README.md, as the command prints it", async () => {
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    const block = /## See the chains[\s\S]*?```mermaid\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const result = await runCli(["graph", "examples/checkout.yaml"], PACKAGE_ROOT);
    expect(block![1]).toBe(result.stdout);
  });

  const HOSTILE_HYPOTHESIS = 'he said "hi" [x] {y} (z) |w| --> -.-> <b>&amp; #quot; #35; %% end; `code` \\n ünïcödé ☃ 🚀';
  const hostileConfig = `plugins:
  - plugin:
      name: "-.-"
      type: shell
      shell_command: exit 1
      parallel: true
      hypothesis: ${JSON.stringify(HOSTILE_HYPOTHESIS.slice(0, 55))}
      conditionals:
        - { response: failure, child_name: end }
        - { response: exit_3, child_name: skip-to-end }
  - plugin:
      name: end
      type: script
      path: ${JSON.stringify('we"ird [dir]/x\\y.sh')}
      hypothesis: ${JSON.stringify(HOSTILE_HYPOTHESIS.slice(55))}
      conditionals:
        - { response: not_http_2xx, child_name: "subgraph" }
  - plugin:
      name: subgraph
      type: shell
      shell_command: "true"
`;

  it.each(["mermaid", "dot"] as const)("keeps hostile names and hypotheses inside their labels (%s)", async (format) => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-graph-"));
    writeFileSync(join(dir, "hostile.yaml"), hostileConfig);
    const scriptDir = join(dir, 'we"ird [dir]');
    await import("node:fs").then((fs) => fs.mkdirSync(scriptDir));
    writeFileSync(join(scriptDir, "x\\y.sh"), "#!/bin/sh\nexit 0\n");
    const result = await runCli(["graph", "hostile.yaml", "--format", format], dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const picture = READERS[format](result.stdout);
    expect(picture.plugins).toEqual([
      { id: "p1", lines: ["-.-", "shell", HOSTILE_HYPOTHESIS.slice(0, 55).trim()], parallel: true },
      { id: "p2", lines: ["end", 'script we"ird [dir]/x\\y.sh', HOSTILE_HYPOTHESIS.slice(55).trim()], parallel: false },
      { id: "p3", lines: ["subgraph", "shell"], parallel: false },
    ]);
    expect(picture.edges).toEqual([
      { from: "p1", to: "p2", label: "failure" },
      { from: "p1", to: "stop", label: "exit_3" },
      { from: "p2", to: "p3", label: "not_http_2xx" },
    ]);
    expect(picture.triggers).toEqual([{ id: "t1", lines: ["on liveness failure", "on readiness failure", "on startup failure", "manual"] }]);
    expect(picture.triggerEdges).toEqual([{ from: "t1", to: "p1" }]);
    expect(picture.stops).toBe(1);
  });

  it("shortens a long hypothesis to one line at a word boundary", () => {
    const long = "the upstream payment gateway rejects\nour TLS client certificate because it expired last night";
    const short = shorten(long);
    expect([...short].length).toBeLessThanOrEqual(HYPOTHESIS_MAX);
    expect(short).toBe("the upstream payment gateway rejects our TLS client\u2026");
    expect(shorten("a\n  b")).toBe("a b");
    const word = "x".repeat(100);
    expect(shorten(word)).toBe(`${"x".repeat(HYPOTHESIS_MAX - 1)}\u2026`);
  });

  it("names the periodic interval in the largest unit that fits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-graph-"));
    const plugin = (name: string, interval: string) =>
      `  - plugin: { name: ${name}, type: shell, shell_command: "true", trigger: { trigger_type: [periodic], trigger_interval: ${interval} } }\n`;
    writeFileSync(join(dir, "c.yaml"), `plugins:\n${plugin("a", "90")}${plugin("b", "120s")}${plugin("c", "2h")}${plugin("d", "1.5")}${plugin("e", "2m")}`);
    const picture = readMermaid((await runCli(["graph", "c.yaml"], dir)).stdout);
    expect(picture.triggers.map((t) => t.lines.join())).toEqual(["periodic every 90s", "periodic every 2m", "periodic every 2h", "periodic every 1.5s"]);
    expect(picture.triggerEdges.map((e) => `${e.from}>${e.to}`)).toEqual(["t1>p1", "t2>p2", "t2>p5", "t3>p3", "t4>p4"]);
  });
});

describe("graph on the command line", () => {
  it("reports a config's errors exactly as validate does, and exits 1", async () => {
    const fixture = "test/compiler/fixtures/invalid/unknown-child-typo.yaml";
    const graph = await runCli(["graph", fixture], PACKAGE_ROOT);
    const validate = await runCli(["validate", fixture], PACKAGE_ROOT);
    expect(graph.status).toBe(1);
    expect(validate.status).toBe(1);
    expect(graph.stderr).toBe(validate.stderr);
    expect(graph.stderr).toContain("error[HYP0302]");
    expect(graph.stdout).toBe("");
    const missing = await runCli(["graph", "no-such.yaml"], PACKAGE_ROOT);
    expect(missing.status).toBe(1);
  });

  it("refuses an unknown format with usage status 2", async () => {
    const result = await runCli(["graph", "examples/checkout.yaml", "--format", "svg"], PACKAGE_ROOT);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("mermaid or dot");
    expect(result.stdout).toBe("");
  });

  it("writes -o FILE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-graph-"));
    const result = await runCli(["graph", join(PACKAGE_ROOT, "examples/checkout.yaml"), "--format", "dot", "-o", "g.dot"], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    const printed = await runCli(["graph", "examples/checkout.yaml", "--format", "dot"], PACKAGE_ROOT);
    expect(readFileSync(join(dir, "g.dot"), "utf8")).toBe(printed.stdout);
  });
});
