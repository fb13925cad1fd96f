import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

/** An unknown child (with did-you-mean help) and a duplicate name (with a note). */
const BAD = `plugins:
  - plugin:
      name: up
      type: shell
      shell_command: exit 0
      conditionals: [{ response: failure, child_name: dwn }]
  - plugin: { name: down, type: shell, shell_command: exit 1 }
  - plugin: { name: down, type: shell, shell_command: exit 2 }
`;

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "hyp-validate-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}


const ESC = "\u001b[";

describe("validate --format json", () => {
  it("prints one document with every diagnostic, located 1-based, and exits 1", async () => {
    const dir = workdir({ "bad.yaml": BAD });
    const result = await runCli(["validate", "bad.yaml", "--format", "json"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(["file", "ok", "plugins", "errors", "warnings", "error", "diagnostics"]);
    expect(report).toMatchObject({ file: "bad.yaml", ok: false, plugins: null, errors: 2, warnings: 0, error: null });
    expect(report.diagnostics).toEqual([
      {
        severity: "error",
        code: "HYP0302",
        message: "unknown child `dwn`: no plugin has that name",
        file: "bad.yaml",
        line: 6,
        column: 55,
        endLine: 6,
        endColumn: 58,
        notes: [],
        help: "did you mean `down`?",
      },
      expect.objectContaining({
        code: "HYP0301",
        line: 8,
        notes: [expect.objectContaining({ file: "bad.yaml", line: 7, column: expect.any(Number), message: expect.any(String) })],
      }),
    ]);
  });

  it("says ok with the plugin count for a good config, and exits 0", async () => {
    const dir = workdir({ "ok.hyp": 'plugin up shell "exit 0"\n' });
    const result = await runCli(["validate", "ok.hyp", "--format", "json"], dir);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file: "ok.hyp", ok: true, plugins: 1, errors: 0, warnings: 0, error: null, diagnostics: [] });
  });

  it("reports a file it cannot read in the document too", async () => {
    const result = await runCli(["validate", "nope.yaml", "--format", "json"], workdir({}));
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: "nope.yaml", ok: false, error: "cannot read nope.yaml: no such file", diagnostics: [] });
    expect(result.stderr).toBe("");
    const github = await runCli(["validate", "nope.yaml", "--format", "github"], workdir({}));
    expect(github.status).toBe(1);
    expect(github.stdout).toBe("::error title=hypothecary::cannot read nope.yaml: no such file\n");
  });

  it("is never coloured, even on a terminal", async () => {
    const dir = workdir({ "bad.yaml": BAD });
    const result = await runCli(["validate", "bad.yaml", "--format", "json"], dir, {}, { isTTY: true });
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(ESC);
  });

  it("refuses an unknown format with exit 2", async () => {
    expect((await runCli(["validate", "x.yaml", "--format", "sarif"], workdir({}))).status).toBe(2);
  });
});

describe("validate --format github", () => {
  it("writes one workflow annotation per diagnostic, escaped", async () => {
    const dir = workdir({ "bad.yaml": BAD });
    const result = await runCli(["validate", "bad.yaml", "--format", "github"], dir);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("::error file=bad.yaml,line=6,col=55,endLine=6,endColumn=58,title=HYP0302::unknown child `dwn`: no plugin has that name%0Ahelp: did you mean `down`?");
    expect(lines[1]).toMatch(/^::error file=bad\.yaml,line=8,col=\d+,endLine=8,endColumn=\d+,title=HYP0301::duplicate plugin name `down`%0Anote: first used here \(bad\.yaml:7:21\)%0Ahelp: .*$/);
  });
});

describe("colour in text diagnostics", () => {
  const dir = workdir({ "bad.yaml": BAD });
  const validate = (env: NodeJS.ProcessEnv, isTTY: boolean) => runCli(["validate", "bad.yaml"], dir, env, { isTTY });

  it("only when stderr is a terminal", async () => {
    expect((await validate({}, true)).stderr).toContain(`${ESC}31merror[HYP0302]`);
    expect((await validate({}, false)).stderr).not.toContain(ESC);
  });

  it("never with NO_COLOR set to something; an empty NO_COLOR does not count (no-color.org)", async () => {
    expect((await validate({ NO_COLOR: "1" }, true)).stderr).not.toContain(ESC);
    expect((await validate({ NO_COLOR: "0" }, true)).stderr).not.toContain(ESC);
    expect((await validate({ NO_COLOR: "" }, true)).stderr).toContain(ESC);
  });
});
