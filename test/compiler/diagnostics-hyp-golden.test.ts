import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { checkFixture } from "./support/front-to-check.js";

/**
 * Every malformed .hyp file in fixtures/invalid-hyp/ and what the compiler says about it,
 * rendered as a user sees it. Each fixture opens with `# expect: LINE:COL CODE` lines, one per
 * diagnostic it must produce (positions 1-based, as rendered), so a golden file cannot quietly
 * lose an error or move one; the golden files hold the words and are reviewed like code.
 */
const INVALID = "test/compiler/fixtures/invalid-hyp";
const fixtures = readdirSync(INVALID)
  .filter((name) => name.endsWith(".hyp"))
  .sort();

const EXPECT = /^# expect: (\d+:\d+ HYP\d{4})\s*$/;

/** The `# expect:` lines at the top of a fixture, as `line:col code`. */
function expectations(path: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = EXPECT.exec(line);
    if (match === null) break;
    out.push(match[1]!);
  }
  return out;
}

describe("diagnostics for invalid .hyp files", () => {
  test("there are fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of fixtures) {
    test(name, async () => {
      const path = `${INVALID}/${name}`;
      const expected = expectations(path);
      expect(expected.length, "the fixture names its diagnostics in `# expect:` lines").toBeGreaterThan(0);
      const { program, diagnostics } = checkFixture(path);
      const found = diagnostics.map((d) => {
        const at = d.file.positionOf(d.span.start);
        return `${at.line}:${at.column} ${d.code}`;
      });
      expect(found.sort()).toEqual([...expected].sort());
      // trigger-on-child holds only a warning: everything else must fail to compile.
      if (diagnostics.some((d) => d.severity === "error")) expect(program).toBeUndefined();
      const golden = `golden/diagnostics-hyp/${name.replace(/\.hyp$/, ".txt")}`;
      await expect(renderDiagnostics(diagnostics)).toMatchFileSnapshot(golden);
    });
  }
});
