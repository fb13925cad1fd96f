import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { generateRunner } from "../../compiler/codegen/generate-runner.js";
import { Codes } from "../../compiler/diagnostics/codes.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { checkRedactPattern } from "../../compiler/frontend/yaml/redact-pattern.js";
import { checkText } from "./support/front-to-check.js";

/**
 * `report.redact`: the patterns the runner hides in plugin output. The schema accepts what
 * busybox awk, mawk and gawk read alike, and rejects the rest with a located error that says why.
 */

function configWith(patterns: readonly string[]): string {
  return `report:
  redact:
${patterns.map((p) => `    - '${p.replace(/'/g, "''")}'`).join("\n")}
plugins:
  - plugin: { name: api, type: shell, shell_command: "exit 0" }
`;
}

const ACCEPTED = [
  "customer-[0-9]+",
  "^pin: .+",
  "(sk|pk)_live_[A-Za-z0-9]+",
  "[[:upper:]][[:upper:]]-[[:digit:]]+$",
  "[]a-]x",
  "[^]]+;",
  "a\\.b\\(c\\)\\{d\\}\\/e\\-f\\\\g",
  "x(y|z)?w",
  "caf\u00e9",
  "(\u00e9)+",
  "^a|b$",
  "(^pin|code$)",
  "x(^a|b)",
  "[--/]x",
];

describe("report.redact patterns", () => {
  test.each(ACCEPTED)("accepts %s", (pattern) => {
    expect(checkRedactPattern(pattern)).toEqual({ ok: true });
  });

  const REJECTED: readonly [string, RegExp][] = [
    ["[0-9]{3}", /`\{n,m\}` intervals are not understood by mawk/],
    ["a}", /intervals/],
    ["\\d+", /`\\d` means different things/],
    ["\\bword", /`\\b` means different things/],
    ["(a)\\1", /back reference/],
    ["a\\\"b", /`\\"` is not an operator/],
    ["[\\]]", /a `\\` inside `\[\.\.\.\]`/],
    ["[[=a=]]", /equivalence classes/],
    ["[[:word:]]", /`\[:word` is not a character class/],
    ["a|", /an empty alternative/],
    ["|a", /an empty alternative/],
    ["()", /an empty alternative/],
    ["(?i)secret", /Perl syntax/],
    ["a**", /two repetition operators/],
    ["a+?", /two repetition operators/],
    ["*a", /nothing to repeat/],
    ["^*a", /a repetition of an anchor/],
    ["a^b", /`\^` inside a pattern/],
    ["a$b", /`\$` inside a pattern/],
    ["(a", /`\(` is never closed/],
    ["a)", /`\)` closes no group/],
    ["[a-", /`\[` is never closed/],
    ["[z-a]", /the range `z-a` is backwards/],
    ["a\\", /escapes nothing/],
    ["a\tb", /a control character/],
    ["[\u00e9]", /non-ASCII character inside/],
    ["\u00e9+", /would repeat only its last byte/],
    ["x*", /matches the empty string/],
    ["^$", /matches the empty string/],
    ["(a|b*)", /matches the empty string/],
  ];
  test.each(REJECTED)("rejects %s", (pattern, why) => {
    const result = checkRedactPattern(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(why);
  });

  test("an error points at the pattern in the config, with why and what to write instead", () => {
    const { diagnostics, program } = checkText("checks.yaml", configWith(["token-[0-9]+", "[0-9]{3}-[0-9]{4}"]));
    expect(program).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe(Codes.InvalidValue);
    expect(renderDiagnostics(diagnostics)).toBe(`checks.yaml:4:7: error[HYP0204]: redact pattern \`[0-9]{3}-[0-9]{4}\`: at \`{\` (character 6): \`{n,m}\` intervals are not understood by mawk 1.3.4 (Debian 12, Ubuntu 22.04), which reads the braces as text
  |
4 |     - '[0-9]{3}-[0-9]{4}'
  |       ^^^^^^^^^^^^^^^^^^^
   = help: write the repetition out, e.g. \`[0-9][0-9][0-9]\` for \`[0-9]{3}\`; \`\\{\` and \`\\}\` are the characters

1 error
`);
  });

  test("every entry is checked; an empty one and one that is not text are errors too", () => {
    const { diagnostics } = checkText("checks.yaml", configWith(["ok+", "", "a|", "\\s+"]).replace("    - 'ok+'", "    - 42"));
    expect(diagnostics.map((d) => d.message)).toEqual([
      "each entry of `redact` must be text, not the number `42`",
      "a redact pattern cannot be empty",
      "redact pattern `a|`: at the end (character 3): an empty alternative",
      "redact pattern `\\s+`: at `\\` (character 1): `\\s` means different things to busybox awk, mawk and gawk",
    ]);
  });

  test("accepted patterns reach the runner, one per line, quoted once; none, no setting", () => {
    const { program } = checkText("checks.yaml", configWith(["it's [0-9]+", "^pin: .+"]));
    expect(program?.report.redact).toEqual(["it's [0-9]+", "^pin: .+"]);
    const runner = generateRunner(program!, loadLibrary(), { compilerVersion: "0.0.0-test" });
    expect(runner).toContain("\nHYP_REPORT_REDACT='it'\\''s [0-9]+\n^pin: .+'\n");
    const plain = checkText("checks.yaml", configWith([]).replace(/report:\n {2}redact:\n\n/, "")).program;
    expect(plain?.report.redact).toEqual([]);
    expect(generateRunner(plain!, loadLibrary(), { compilerVersion: "0.0.0-test" })).not.toContain("HYP_REPORT_REDACT=");
  });
});

/** The awks this machine has: the system awk (mawk on Debian) and busybox awk; gawk if present. */
function awks(): string[][] {
  const found: string[][] = [];
  for (const candidate of [["awk"], ["busybox", "awk"], ["mawk"], ["gawk"]]) {
    const probe = spawnSync(candidate[0]!, [...candidate.slice(1), "BEGIN { print 1 }"], { encoding: "utf8" });
    if (probe.status === 0 && probe.stdout.trim() === "1") found.push(candidate);
  }
  return found;
}

describe("accepted patterns mean the same to every awk here", () => {
  const lines = [
    "order for customer-4711 and customer-42",
    "pin: 1234",
    "the pin: 99 stays",
    "key sk_live_AbC123 and pk_live_9",
    "AB-12 cd-34 XY-9",
    "]]] a-x ]x -x;",
    "a.b(c){d}/e-f\\g",
    "xyw xw xzw",
    "caf\u00e9 \u00e9\u00e9\u00e9",
    "a then b",
    "the code",
    "xb -x .x",
  ];
  const program = `BEGIN { n = split(ENVIRON["P"], p, "\\n") }
{ for (i = 1; i <= n; i++) gsub(p[i], "[R]"); print }`;

  test("at least two awks to compare", () => {
    const found = awks();
    if (process.env.HYP_REQUIRE_SHELLS === "1") expect(found.length).toBeGreaterThanOrEqual(2);
  });

  test.each(ACCEPTED)("%s", (pattern) => {
    const outputs = awks().map((awk) => {
      const run = spawnSync(awk[0]!, [...awk.slice(1), program], {
        input: lines.join("\n") + "\n",
        env: { ...process.env, LC_ALL: "C", P: pattern },
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      return run.stdout;
    });
    for (const output of outputs) expect(output).toBe(outputs[0]);
    // And the pattern did something: each matches one of the lines.
    expect(outputs[0]).toContain("[R]");
  });
});
