import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { checkFixture } from "./support/front-to-check.js";

/**
 * Every malformed config in fixtures/invalid/ and what the compiler says about it, rendered as
 * a user sees it. The golden files are reviewed like code: they are the error messages.
 */
const INVALID = "test/compiler/fixtures/invalid";
const fixtures = readdirSync(INVALID)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

describe("diagnostics for invalid configs", () => {
  test("there are fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of fixtures) {
    test(name, async () => {
      const { program, diagnostics } = checkFixture(`${INVALID}/${name}`);
      expect(diagnostics.length).toBeGreaterThan(0);
      // trigger-on-child holds only a warning: everything else must fail to compile.
      if (diagnostics.some((d) => d.severity === "error")) expect(program).toBeUndefined();
      const golden = `golden/diagnostics/${name.replace(/\.yaml$/, ".txt")}`;
      await expect(renderDiagnostics(diagnostics)).toMatchFileSnapshot(golden);
    });
  }
});
