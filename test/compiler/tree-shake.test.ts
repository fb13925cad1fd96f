import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary, PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import { nodeHost } from "../../compiler/cli/node-host.js";
import { selectFragments } from "../../compiler/codegen/select-fragments.js";
import { shakeSections } from "../../compiler/codegen/tree-shake.js";
import type { CompilerHost } from "../../compiler/check/host.js";
import { linkImports } from "../../compiler/check/imports.js";
import { DiagnosticBag } from "../../compiler/diagnostics/diagnostic.js";
import { parseConfig } from "../../compiler/frontend/parse-config.js";
import { parseShell } from "../../compiler/library/shell-items.js";
import { compileSource } from "../../compiler/pipeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { noFiles } from "./support/front-to-check.js";

const library = loadLibrary();

/** `NAME() {` at the start of a line: how every shipped file defines its functions. */
const DEFINITION = /^([A-Za-z_][A-Za-z0-9_]*)\(\) \{$/gm;
const definedIn = (text: string): string[] => [...text.matchAll(DEFINITION)].map((m) => m[1]!);
/** Identifiers on the lines that are not whole-line comments: an independent, cruder scan. */
const codeTokens = (text: string): Set<string> =>
  new Set(
    text
      .split("\n")
      .filter((line) => !/^\s*#/.test(line))
      .flatMap((line) => line.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []),
  );

/**
 * Calls by a built name (`"PREFIX$x"`) whose targets the compiler generates, and what the
 * suffix can be: the runtime dispatches to nothing else with them.
 */
const GENERATED_PREFIXES: Record<string, RegExp> = {
  hyp_plugin_: /^[0-9]+$/,
  hyp_action_: /^[0-9]+$/,
  hyp_sink_: /^[0-9]+$/,
  hyp_probe_: /^(liveness|readiness|startup)$/, // hyp_probe_fast checks KIND first
};
/** Library functions a runner may name without defining, and why. */
const NAMED_NOT_DEFINED: Record<string, string> = {
  hyp_cmd_watch: "hyp_main asks `command -v hyp_cmd_watch`: runtime/watch.sh is compiled in only with a periodic root",
  hyp_cmd_probe: "hyp_main calls it only when HYP_PROBES is set, as runtime/probe.sh is compiled in",
  hyp_observe_setup: "hyp_cmd_run calls it only when HYP_OBSERVE_HTTP is set, as runtime/observe-http.sh is compiled in",
  hyp_sinks_deliver: "hyp_cmd_run calls it only when HYP_SINKS is set, as runtime/sinks.sh is compiled in",
  hyp_http_status: "also the name of a variable of runtime/scheduler.sh; the function is runtime/plugin-api.sh's",
};

const allLibraryFunctions = new Set(
  [...library.fragments.values(), ...library.prebuilts.values()].flatMap((f) => definedIn(f.body)),
);

interface Case {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

const examples: Case[] = readdirSync(join(PACKAGE_ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: `examples/${f}`, path: `examples/${f}`, text: readFileSync(join(PACKAGE_ROOT, "examples", f), "utf8") }));

const perPrebuilt: Case[] = [...library.prebuilts.values()].map((p) => {
  const given = p.params.filter((x) => x.required).map((x) => `${x.name}: ${x.type === "port" ? "443" : '"x"'}`);
  return {
    name: `prebuilt ${p.name}`,
    path: "p.yaml",
    text: `plugins:\n  - plugin: { name: p, type: prebuilt, prebuilt: ${p.name}, with: { ${given.join(", ")} } }\n`,
  };
});

const everything: Case = {
  name: "probes of each kind, every sink type, a periodic root",
  path: "all.yaml",
  text: [
    "service: shop",
    "probes:",
    '  liveness: { exec: "test -e /tmp/x" }',
    '  readiness: { http: { port: 8080, path: /healthz } }',
    "  startup: { tcp: { port: 8080 } }",
    "sinks:",
    '  - { type: webhook, url: "http://127.0.0.1:9/x" }',
    "  - { type: slack, url_env: SLACK_URL }",
    '  - { type: loki, url: "http://127.0.0.1:3100" }',
    '  - { type: datadog, token_env: DD_KEY }',
    '  - { type: splunk_hec, url: "https://127.0.0.1:8088", token_env: HEC }',
    "plugins:",
    '  - plugin: { name: a, type: shell, shell_command: "true", trigger: { trigger_type: [periodic, manual], trigger_interval: 5m } }',
    '  - plugin: { name: b, type: prebuilt, prebuilt: HTTP, with: { url: "http://127.0.0.1:9/" } }',
    "",
  ].join("\n"),
};

function hostFor(c: Case): CompilerHost {
  return c.path.startsWith("examples/") ? nodeHost(join(PACKAGE_ROOT, c.path), PACKAGE_ROOT) : noFiles;
}

function compile(c: Case, libraryComments?: "all" | "none") {
  const result = compileSource(new SourceFile(c.path, c.text), library, hostFor(c), {
    compilerVersion: "0.0.0-test",
    ...(libraryComments ? { libraryComments } : {}),
  });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result;
}

/** The runner, and the bodies of the sections select-fragments.ts chose (packs linked in). */
function selectedBodies(c: Case): { runner: string; bodies: string[] } {
  const result = compile(c);
  const file = new SourceFile(c.path, c.text);
  const linked = linkImports(parseConfig(file, new DiagnosticBag())!, library, hostFor(c), new DiagnosticBag())!.library;
  const { fragments, prebuilts } = selectFragments(result.program!, linked);
  return {
    runner: result.runner!,
    bodies: [...fragments.map((f) => f.body), ...prebuilts.map((p) => linked.prebuilts.get(p)!.body)],
  };
}

describe("parseShell on the shipped library", () => {
  it.each([...library.fragments.values(), ...library.prebuilts.values()].map((f) => [f.path, f.body] as const))(
    "%s: follows every line, loses none, finds each function",
    (_path, body) => {
      const parsed = parseShell(body);
      expect(parsed.opaque ? `${parsed.line}: ${parsed.reason}` : "").toBe("");
      if (parsed.opaque) return;
      expect(parsed.items.flatMap((i) => i.lines.map((l) => l.text)).join("\n")).toBe(body.trimEnd());
      expect(parsed.items.filter((i) => i.kind === "function").map((i) => i.name)).toEqual(definedIn(body));
    },
  );
});

describe("parseShell", () => {
  const items = (text: string) => {
    const parsed = parseShell(text);
    if (parsed.opaque) throw new Error(`opaque: ${parsed.line}: ${parsed.reason}`);
    return parsed.items;
  };

  it("reads a # in a string or a here-document as data, and a } there as no end", () => {
    const parsed = items(
      [
        "# f: doc",
        "f() {",
        "  # a comment",
        "  awk '",
        "# an awk comment",
        "}",
        "' <<'EOF'",
        "# data",
        "}",
        "EOF",
        '  x="a # b" # trailing, with g named',
        "  h",
        "}",
        "",
        "v='",
        "# in the string, naming k",
        "'",
      ].join("\n"),
    );
    expect(parsed.map((i) => i.kind)).toEqual(["function", "blank", "statement"]);
    const f = parsed[0]!;
    expect(f.name).toBe("f");
    expect(f.docLines).toBe(1);
    expect(f.lines.filter((l) => l.comment).map((l) => l.text)).toEqual(["# f: doc", "  # a comment"]);
    expect(f.references).toContain("h");
    expect(f.references).toContain("awk");
    expect(f.references).not.toContain("g");
    expect(f.references).not.toContain("doc");
    expect(parsed[2]!.references).toContain("k");
  });

  it("takes # keeps: names and PREFIX_* patterns, then -- and why, and refuses anything else", () => {
    const parsed = items("f() {\n  # keeps: a_* b -- called by name\n  \"a_$x\"\n}");
    expect(parsed[0]!.keeps).toEqual(["a_*", "b"]);
    expect(parseShell("f() {\n  # keeps: the a functions\n}")).toMatchObject({ opaque: true, line: 2 });
    expect(parseShell("f() {\n  # keeps: a-b -- why\n}")).toMatchObject({ opaque: true, line: 2 });
  });

  it("keeps a definition of another form as a statement: never dropped", () => {
    const parsed = items("f() { g; }\nh()\n{\n  :\n}");
    expect(parsed.map((i) => i.kind)).toEqual(["statement", "statement", "statement", "statement", "statement"]);
    expect(parsed[0]!.references).toContain("g");
  });

  it("leaves text it cannot follow opaque, with every identifier as a reference", () => {
    const p = parseShell("f() {\n  x='open g\n}");
    expect(p).toMatchObject({ opaque: true, reason: "a single quote is still open at the end" });
    expect(p.opaque && p.references).toContain("g");
    expect(parseShell("f() {\n  cat <<EOF\nx\n}")).toMatchObject({ opaque: true, line: 2 });
    expect(parseShell("f() {\n  :\n")).toMatchObject({ opaque: true, line: 1 });
    expect(parseShell("f() {\n  x=$(g\n}\n")).toMatchObject({ opaque: true });
  });
});

describe("shakeSections", () => {
  const lib = "# a: doc\na() {\n  b\n}\n\n# b\nb() {\n  :\n}\n\n# c\nc() {\n  # keeps: d_* -- by name\n  \"d_$1\"\n}\n\nd_x() {\n  :\n}\n\nunused() {\n  a\n}\n";

  it("keeps what the generated code reaches, through calls and # keeps:, and no more", () => {
    expect(shakeSections([{ body: lib }], ["a"], "all")).toEqual(["# a: doc\na() {\n  b\n}\n\n# b\nb() {\n  :\n}"]);
    expect(shakeSections([{ body: lib }], ["c"], "none")).toEqual(["c() {\n  \"d_$1\"\n}\n\nd_x() {\n  :\n}"]);
    expect(shakeSections([{ body: lib }], ["nothing"], "none")).toEqual([""]);
  });

  it("keeps top-level statements and what they name, and shellcheck directives", () => {
    const body = "# prose\n\nx=1 # c\n\ny() {\n  # shellcheck disable=SC2034 # why\n  z=1\n}\n\ntrap y EXIT\n";
    expect(shakeSections([{ body }], [], "none")).toEqual(["x=1 # c\n\ny() {\n  # shellcheck disable=SC2034 # why\n  z=1\n}\n\ntrap y EXIT"]);
  });

  it("keeps an opaque section whole, and what it names elsewhere", () => {
    const opaque = "# o\nf() {\n  printf 'g\n}\n";
    const other = "g() {\n  :\n}\n\nh() {\n  :\n}\n";
    expect(shakeSections([{ body: opaque }, { body: other }], [], "none")).toEqual([
      "# o\nf() {\n  printf 'g\n}",
      "g() {\n  :\n}",
    ]);
  });
});

describe.each([...examples, ...perPrebuilt, everything].map((c) => [c.name, c] as const))("the runner for %s", (_name, c) => {
  it("defines every library function it names, and names none it dropped", () => {
    const { runner, bodies } = selectedBodies(c);
    const defined = new Set(definedIn(runner));
    const tokens = codeTokens(runner);
    const undefinedCalls = [...tokens].filter((t) => allLibraryFunctions.has(t) && !defined.has(t) && !(t in NAMED_NOT_DEFINED));
    expect(undefinedCalls).toEqual([]);

    // Calls by built names: generated targets only, or every function with the prefix kept.
    const prefixes = new Set(
      runner
        .split("\n")
        .filter((line) => !/^\s*#/.test(line))
        .flatMap((line) => [...line.matchAll(/"([A-Za-z_][A-Za-z0-9_]*_)\$/g)].map((m) => m[1]!)),
    );
    const dropped = bodies.flatMap(definedIn).filter((name) => !defined.has(name));
    for (const name of dropped) {
      expect(tokens.has(name), `${name} is dropped but named`).toBe(false);
      for (const prefix of prefixes) {
        if (!name.startsWith(prefix)) continue;
        const generated = GENERATED_PREFIXES[prefix];
        expect(generated, `${name} is dropped but "${prefix}$..." may call it`).toBeDefined();
        expect(generated!.test(name.slice(prefix.length)), `${name} could be a generated target`).toBe(false);
      }
    }
  });
});

describe("library comments", () => {
  const seed = examples.find((c) => c.name === "examples/seed-prebuilt.yaml")!;

  it("are left out by default, but not shellcheck directives, nor any comment of the plugin blocks", () => {
    const runner = compile(seed).runner!;
    const full = compile(seed, "all").runner!;
    expect(runner).toContain("its comments left out (compile --comments keeps them)");
    expect(full).not.toContain("compile --comments");
    expect(full).toContain("# hyp_get NAME: sets hyp_value");
    expect(runner).not.toContain("# hyp_get NAME: sets hyp_value");
    const directives = (text: string) => text.split("\n").filter((l) => /^\s*# shellcheck /.test(l));
    expect(directives(runner)).toEqual(directives(full));
    expect(runner.slice(runner.indexOf("# ---- plugins ----"))).toBe(full.slice(full.indexOf("# ---- plugins ----")));
    // What is left out is whole-line comments and nothing else.
    const withoutComments = full
      .split("\n")
      .filter((l) => !/^\s*#/.test(l) || /^\s*# shellcheck /.test(l));
    const shown = runner.split("\n").filter((l) => !/^\s*#/.test(l) || /^\s*# shellcheck /.test(l));
    expect(shown.filter((l) => l !== "")).toEqual(withoutComments.filter((l) => l !== ""));
  });
});
