import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CompilerHost, PluginPack } from "../../compiler/check/host.js";
import { loadLibrary, PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import { compileSource } from "../../compiler/pipeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { runCli } from "./support/cli.js";

const stdlib = loadLibrary();
const encode = (text: string) => new TextEncoder().encode(text);

/** A host whose packs live in memory: spec -> path in the pack -> text. */
function packHost(packs: Record<string, Record<string, string>>): CompilerHost {
  return {
    readRelative: () => undefined,
    readPack(spec): PluginPack | string {
      const files = packs[spec];
      if (!files) return "no such folder";
      return { displayPath: spec.replace(/^\.\//, ""), files: Object.entries(files).map(([path, text]) => ({ path, bytes: encode(text) })) };
    },
  };
}

function prebuilt(name: string, fn: string, extra = "", body = `${fn}() { echo "${name} ok"; }\n`): string {
  return `# hypothecary prebuilt: ${name}\n# summary: s\n# reports: r\n# function: ${fn}\n${extra}${body}`;
}

function compile(config: string, host: CompilerHost) {
  return compileSource(new SourceFile("config.yaml", config), stdlib, host, { compilerVersion: "0.0.0-test" });
}

const usesBoth = `imports: [./a, ./b]
plugins:
  - plugin: { name: one, type: prebuilt, prebuilt: ONE }
  - plugin: { name: two, type: prebuilt, prebuilt: TWO }
`;

describe("imports: plugin packs", () => {
  it("inlines a pack's prebuilt and its private helper, like the stdlib's, and only what is used", () => {
    const host = packHost({
      "./a": {
        "one.sh": prebuilt("ONE", "hyp_prebuilt_one", "# requires: plugin-api lib/util\n", 'hyp_prebuilt_one() { a_util; }\n'),
        "unused.sh": prebuilt("UNUSED", "hyp_prebuilt_unused"),
        "lib/util.sh": "# hypothecary runtime: lib/util\na_util() { echo 'from a'; }\n",
      },
      "./b": {
        "two.sh": prebuilt("TWO", "hyp_prebuilt_two", "# requires: lib/util lib/net\n", 'hyp_prebuilt_two() { command -v hyp_net_run >/dev/null && b_util; }\n'),
        "lib/util.sh": "# hypothecary runtime: lib/util\nb_util() { echo 'from b'; }\n",
      },
    });
    const result = compile(usesBoth, host);
    expect(result.diagnostics).toEqual([]);
    const runner = result.runner!;
    // Two packs may both have lib/util: each prebuilt gets its own.
    expect(runner).toContain("# ---- ./a/lib/util.sh ----");
    expect(runner).toContain("# ---- ./b/lib/util.sh ----");
    expect(runner).toContain("# ---- ./a/one.sh (prebuilt ONE) ----");
    expect(runner).toContain("# ---- ./b/two.sh (prebuilt TWO) ----");
    // A stdlib helper required by a pack comes along, as for a stdlib prebuilt: the functions
    // the pack's code names (two.sh says "from b" only when hyp_net_run is there).
    expect(runner).toContain("# ---- stdlib/lib/net.sh ----");
    expect(runner).toMatch(/^hyp_net_run\(\) \{$/m);
    expect(runner).not.toContain("UNUSED");

    const dir = mkdtempSync(join(tmpdir(), "hyp-imports-"));
    writeFileSync(join(dir, "runner.sh"), runner);
    const out = execFileSync("sh", [join(dir, "runner.sh"), "run"], { encoding: "utf8", env: { PATH: process.env.PATH, HYP_STATE_DIR: dir } });
    expect(out).toContain('"output":"from a"');
    expect(out).toContain('"output":"from b"');
  });

  it("changes the config hash when a pack file changes", () => {
    const hashOf = (body: string) =>
      compile("imports: [./a]\nplugins:\n  - plugin: { name: ONE, type: prebuilt }\n", packHost({ "./a": { "one.sh": prebuilt("ONE", "hyp_prebuilt_one", "", body) } })).program!
        .configHash;
    expect(hashOf("hyp_prebuilt_one() { echo 1; }\n")).not.toBe(hashOf("hyp_prebuilt_one() { echo 2; }\n"));
  });

  it("locates every problem in a pack: manifest lines, clashes with the stdlib, unknown helpers", () => {
    const host = packHost({
      "./a": {
        "http.sh": prebuilt("HTTP", "hyp_prebuilt_http_again"),
        "tcp.sh": prebuilt("TCP2", "hyp_prebuilt_tcp"),
        "param.sh": prebuilt("PARAM", "hyp_prebuilt_param", "# param wait: duration = soon -- w\n"),
        "needs.sh": prebuilt("NEEDS", "hyp_prebuilt_needs", "# requires: lib/missing\n"),
        "header.sh": "# hypothecary prebuilt: HEADER\n# summary: s\n# function: hyp_prebuilt_header\nhyp_prebuilt_header() { :; }\n",
      },
    });
    const result = compile("imports: [./a, ./nowhere, ./a]\nplugins:\n  - plugin: { name: x, type: shell, shell_command: 'true' }\n", host);
    const seen = result.diagnostics.map((d) => `${d.file.path}:${d.file.positionOf(d.span.start).line} ${d.code} ${d.message}`);
    expect(seen).toEqual([
      "a/header.sh:1 HYP0406 the manifest header lacks `# reports: …`",
      "a/http.sh:1 HYP0406 prebuilt `HTTP` is already defined by stdlib/http.sh",
      "a/needs.sh:5 HYP0406 requires `lib/missing`, which is neither in this pack (lib/missing.sh) nor a runtime or stdlib helper",
      "a/param.sh:5 HYP0406 the default of parameter `wait` is invalid: invalid `wait`: `soon` is not a duration (use seconds like `5` or `0.5`, or `500ms`, `30s`, `5m`, `1h`, `1m30s`)",
      "a/tcp.sh:4 HYP0406 function `hyp_prebuilt_tcp` is already the function of prebuilt TCP (stdlib/tcp.sh)",
      "config.yaml:1 HYP0405 cannot import `./nowhere`: no such folder",
      "config.yaml:1 HYP0405 `./a` is imported twice",
    ]);
    expect(result.runner).toBeUndefined();
  });

  it("the CLI reads a pack folder, and an npm package's plugins folder, and prints a located error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-imports-cli-"));
    mkdirSync(join(dir, "packs/broken"), { recursive: true });
    writeFileSync(join(dir, "packs/broken/bad.sh"), "# hypothecary prebuilt: BAD\n# summary: s\n# reports: r\n# function: hyp_prebuilt_bad\n# param n: number = 1 -- n\nhyp_prebuilt_bad() { :; }\n");
    writeFileSync(join(dir, "broken.yaml"), "imports: [./packs/broken]\nplugins:\n  - plugin: { name: x, type: shell, shell_command: 'true' }\n");
    const broken = await runCli(["compile", "broken.yaml"], dir);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain("packs/broken/bad.sh:5:1: error[HYP0406]: unknown parameter type `number`");
    expect(broken.stderr).toContain("= note: imported by broken.yaml (broken.yaml:1:11)");

    mkdirSync(join(dir, "node_modules/@acme/checks/plugins"), { recursive: true });
    writeFileSync(join(dir, "node_modules/@acme/checks/package.json"), JSON.stringify({ name: "@acme/checks", hypothecary: { plugins: "plugins" } }));
    writeFileSync(join(dir, "node_modules/@acme/checks/plugins/acme.sh"), prebuilt("ACME", "hyp_prebuilt_acme"));
    writeFileSync(join(dir, "npm.yaml"), 'imports: ["@acme/checks"]\nplugins:\n  - plugin: { name: ACME, type: prebuilt }\n');
    const fromNpm = await runCli(["compile", "npm.yaml"], dir);
    expect(fromNpm.stderr).toBe("");
    expect(fromNpm.stdout).toContain("# ---- @acme/checks/acme.sh (prebuilt ACME) ----");
    const listed = await runCli(["plugins", "--config", "npm.yaml", "--format", "json"], dir);
    expect(JSON.parse(listed.stdout).map((p: { name: string }) => p.name)).toContain("ACME");

    const missing = await runCli(["compile", "npm.yaml"], PACKAGE_ROOT);
    expect(missing.status).toBe(1);
  });
});
