import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import { runCli } from "./support/cli.js";

const examples = readdirSync(join(PACKAGE_ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

/** With HYP_REQUIRE_SHELLS=1 (CI) a missing tool fails the test instead of skipping it. */
function haveTool(tool: string): boolean {
  const found = spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
  if (!found && process.env.HYP_REQUIRE_SHELLS === "1") throw new Error(`${tool} is required (HYP_REQUIRE_SHELLS=1)`);
  return found;
}

describe.each(examples)("examples/%s", (example) => {
  it("compiles to the golden runner, clean under shellcheck and sh -n", async () => {
    const result = await runCli(["compile", `examples/${example}`], PACKAGE_ROOT);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot(`golden/runners/${example.replace(/\.yaml$/, ".sh")}`);
    const dir = mkdtempSync(join(tmpdir(), "hyp-example-"));
    const runner = join(dir, "runner.sh");
    writeFileSync(runner, result.stdout);
    expect(() => execFileSync("dash", ["-n", runner])).not.toThrow();
    if (haveTool("shellcheck")) {
      const check = spawnSync("shellcheck", ["-s", "sh", runner], { encoding: "utf8" });
      expect(check.stdout).toBe("");
      expect(check.status).toBe(0);
    }
  });

  it("compiles to identical bytes from two different directories", async () => {
    const compileIn = async () => {
      const dir = mkdtempSync(join(tmpdir(), "hyp-determinism-"));
      cpSync(join(PACKAGE_ROOT, "examples"), join(dir, "examples"), { recursive: true });
      const result = await runCli(["compile", `examples/${example}`, "-o", "runner.sh"], dir);
      expect(result.status).toBe(0);
      return readFileSync(join(dir, "runner.sh"));
    };
    const first = await compileIn();
    const second = await compileIn();
    expect(first.equals(second)).toBe(true);
    expect(first.toString("utf8")).not.toContain("hyp-determinism");
  });
});

describe.each(examples)("examples/%s in the DSL", (example) => {
  const dsl = example.replace(/\.yaml$/, ".hyp");

  it("has its .hyp twin, which is what `convert` writes", async () => {
    const result = await runCli(["convert", `examples/${example}`, "-o", `examples/${dsl}`, "--check"], PACKAGE_ROOT);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("compiles to the same bytes as the YAML", async () => {
    const fromYaml = await runCli(["compile", `examples/${example}`], PACKAGE_ROOT);
    const fromDsl = await runCli(["compile", `examples/${dsl}`], PACKAGE_ROOT);
    expect(fromDsl.stderr).toBe("");
    expect(fromDsl.status).toBe(0);
    expect(fromDsl.stdout).toBe(fromYaml.stdout);
  });
});

describe("compile --check", () => {
  it("passes for a fresh runner and fails, untouched, once the config changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-check-"));
    cpSync(join(PACKAGE_ROOT, "examples"), dir, { recursive: true });
    expect((await runCli(["compile", "checkout.yaml", "-o", "runner.sh"], dir)).status).toBe(0);
    expect((await runCli(["compile", "checkout.yaml", "-o", "runner.sh", "--check"], dir)).status).toBe(0);

    const runnerBefore = readFileSync(join(dir, "runner.sh"), "utf8");
    writeFileSync(join(dir, "checkout.yaml"), readFileSync(join(dir, "checkout.yaml"), "utf8").replace("8080", "8081"));
    const stale = await runCli(["compile", "checkout.yaml", "-o", "runner.sh", "--check"], dir);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("runner.sh is out of date");
    expect(readFileSync(join(dir, "runner.sh"), "utf8")).toBe(runnerBefore);

    const missing = await runCli(["compile", "checkout.yaml", "-o", "absent.sh", "--check"], dir);
    expect(missing.status).toBe(1);
    expect((await runCli(["compile", "checkout.yaml", "--check"], dir)).status).toBe(2);
  });
});
