import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import type { ParamSpec, PrebuiltDefinition } from "../../compiler/library/library.js";
import { compileSource } from "../../compiler/pipeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { noFiles } from "./support/front-to-check.js";

const library = loadLibrary();
const prebuilts = [...library.prebuilts.values()];

/** A value of the parameter's type, as a user would write it in `with:`. */
function sample(spec: ParamSpec): string {
  if (spec.choices) return JSON.stringify(spec.choices[0]);
  switch (spec.type) {
    case "integer":
      return "1";
    case "duration":
      return "2s";
    case "boolean":
      return "true";
    case "list":
      return '["a"]';
    case "port":
      return "8443";
    default:
      return '"x"';
  }
}

/** A config that runs PREBUILT with every parameter set, or only the required ones. */
function configFor(prebuilt: PrebuiltDefinition, which: "all" | "required" = "all"): string {
  const given = which === "all" ? prebuilt.params : prebuilt.params.filter((p) => p.required);
  const params = given.map((p) => `${p.name}: ${sample(p)}`).join(", ");
  return `plugins:\n  - plugin: { name: p, type: prebuilt, prebuilt: ${prebuilt.name}, with: { ${params} } }\n`;
}

function haveShellcheck(): boolean {
  const found = spawnSync("sh", ["-c", "command -v shellcheck"]).status === 0;
  if (!found && process.env.HYP_REQUIRE_SHELLS === "1") throw new Error("shellcheck is required (HYP_REQUIRE_SHELLS=1)");
  return found;
}

describe.each(prebuilts.map((p) => [p.name, p] as const))("stdlib prebuilt %s", (_name, prebuilt) => {
  it("states what it checks and reports, and describes every parameter", () => {
    expect(prebuilt.summary.length).toBeGreaterThan(10);
    expect(prebuilt.reports.length).toBeGreaterThan(10);
    for (const param of prebuilt.params) expect(param.description.length, param.name).toBeGreaterThan(5);
  });

  it("compiles with only its required parameters: every default fits its type", () => {
    const result = compileSource(new SourceFile("p.yaml", configFor(prebuilt, "required")), library, noFiles, { compilerVersion: "0.0.0-test" });
    expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    expect(result.runner).toContain(prebuilt.functionName);
  });

  it("compiles with every parameter set into a runner clean under sh -n and shellcheck", () => {
    const result = compileSource(new SourceFile("p.yaml", configFor(prebuilt)), library, noFiles, { compilerVersion: "0.0.0-test" });
    expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "hyp-stdlib-"));
    const runner = join(dir, "runner.sh");
    writeFileSync(runner, result.runner!);
    expect(() => execFileSync("dash", ["-n", runner])).not.toThrow();
    if (haveShellcheck()) {
      const check = spawnSync("shellcheck", ["-s", "sh", runner], { encoding: "utf8" });
      expect(check.stdout).toBe("");
      expect(check.status).toBe(0);
    }
  });
});
