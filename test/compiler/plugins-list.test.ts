import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import { runCli } from "./support/cli.js";

/**
 * What `hypothecary plugins --config` says is compiled in, and what the compiled runner's
 * `list` names, are the same: the same prebuilts, run by the same plugins.
 */

const examples = readdirSync(join(PACKAGE_ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml") || f.endsWith(".hyp"))
  .sort();

interface Entry {
  readonly name: string;
  readonly used_by: readonly string[] | null;
}

/** `list`'s plugin lines: `* NAME  TYPE[ PREBUILT], ...` (the root marker is `*` or a blank). */
function listed(output: string): { plugin: string; type: string; prebuilt: string | undefined }[] {
  return output
    .split("\n")
    .map((line) => /^[* ] (\S+)  (prebuilt|shell|script)(?: (\S+))?, /.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ plugin: match[1]!, type: match[2]!, prebuilt: match[3] }));
}

describe.each(examples)("examples/%s", (example) => {
  it("plugins --config and the runner's list agree on the prebuilts compiled in", async () => {
    const config = `examples/${example}`;
    const compiled = await runCli(["compile", config], PACKAGE_ROOT);
    expect(compiled.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "hyp-plugins-list-"));
    writeFileSync(join(dir, "runner.sh"), compiled.stdout);
    const list = listed(execFileSync("sh", [join(dir, "runner.sh"), "list"], { encoding: "utf8" }));
    expect(list.length).toBeGreaterThan(0);

    const catalogue = await runCli(["plugins", "--config", config, "--format", "json"], PACKAGE_ROOT);
    expect(catalogue.status).toBe(0);
    const entries = JSON.parse(catalogue.stdout) as Entry[];
    const used = await runCli(["plugins", "--config", config, "--used", "--format", "json"], PACKAGE_ROOT);
    const usedEntries = JSON.parse(used.stdout) as Entry[];

    // By prebuilt: the plugins that run it, as each side tells it.
    const fromList = new Map<string, string[]>();
    for (const item of list.filter((i) => i.type === "prebuilt")) {
      expect(item.prebuilt).toBeDefined();
      fromList.set(item.prebuilt!, [...(fromList.get(item.prebuilt!) ?? []), item.plugin]);
    }
    const fromPlugins = new Map(entries.filter((e) => (e.used_by ?? []).length > 0).map((e) => [e.name, [...e.used_by!]]));
    expect(fromPlugins).toEqual(fromList);
    expect(usedEntries.map((e) => e.name).sort()).toEqual([...fromList.keys()].sort());
    // Everything the catalogue lists is known to it, used or not: `used_by` is never null with --config.
    expect(entries.every((e) => Array.isArray(e.used_by))).toBe(true);
    // Plugins that are not prebuilts name none.
    for (const item of list.filter((i) => i.type !== "prebuilt")) expect(item.prebuilt).toBeUndefined();
  });
});

describe("plugins --used", () => {
  it("needs --config", async () => {
    const result = await runCli(["plugins", "--used"], PACKAGE_ROOT);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--used needs --config FILE");
  });

  it("shows `used by` in text, and without --config `used_by` is null", async () => {
    const text = await runCli(["plugins", "--config", "examples/checkout.yaml", "--used"], PACKAGE_ROOT);
    expect(text.stdout).toMatch(/^HTTP — .*\n  reports: .*\n  used by: checkout-healthz\n/);
    const plain = JSON.parse((await runCli(["plugins", "--format", "json"], PACKAGE_ROOT)).stdout) as Entry[];
    expect(plain.every((e) => e.used_by === null)).toBe(true);
  });

  it("exits 1 with the diagnostics of a config that does not check", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-plugins-list-"));
    writeFileSync(join(dir, "bad.yaml"), "plugins:\n  - plugin: { name: HTPP, type: prebuilt }\n");
    const result = await runCli(["plugins", "--config", "bad.yaml", "--used"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[HYP0401]: unknown prebuilt `HTPP`");
  });
});
