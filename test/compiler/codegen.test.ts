import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { generateRunner } from "../../compiler/codegen/generate-runner.js";
import { isInlineCheck } from "../../compiler/codegen/inline-check.js";
import { shellQuote } from "../../compiler/codegen/shell-quote.js";
import { programOf } from "./support/program.js";

const library = loadLibrary();
const generate = (program: ReturnType<typeof programOf>) => generateRunner(program, library, { compilerVersion: "0.0.0-test" });

describe("shellQuote", () => {
  it("round-trips hostile text through sh", () => {
    const hostile = `it's $(touch /tmp/x) \`id\`; "q" \\ \n ünï ☃ $HOME *`;
    const printed = execFileSync("sh", ["-c", `printf '%s' ${shellQuote(hostile)}`], { encoding: "utf8" });
    expect(printed).toBe(hostile);
  });
  it("refuses NUL, which sh cannot carry", () => {
    expect(() => shellQuote("a\u0000b")).toThrow(/NUL/);
  });
});

describe("generateRunner", () => {
  it("inlines only the runtime a shell-only config needs", () => {
    const runner = generate(programOf([{ action: { kind: "shell", command: "true" } }]));
    expect(runner).toContain("# ---- runtime/session.sh ----");
    expect(runner).not.toContain("# ---- runtime/script.sh ----");
    expect(runner).not.toContain("runtime/plugin-api.sh");
    expect(runner.startsWith("#!/bin/sh\n")).toBe(true);
    expect(runner.endsWith('hyp_main "$@"\n')).toBe(true);
  });

  it("writes a block per plugin, naming its source line only when asked", () => {
    const program = programOf([
      { name: "first", line: 3, edges: [{ response: "http_2xx", child: 2 }, { response: "not_http_2xx", child: null }] },
      { name: "second", line: 9, isRoot: false },
    ]);
    const runner = generate(program);
    expect(runner).toContain("\n# plugin first\nhyp_plugin_1() {");
    expect(runner).not.toContain("config.yaml");
    const annotated = generateRunner(program, library, { compilerVersion: "0", sourceLines: true });
    expect(annotated).toContain("# config.yaml:3  plugin first\nhyp_plugin_1() {");
    expect(annotated).toContain("HYP_CONFIG_PATH='config.yaml'");
    expect(runner).toContain("hyp_edges='http_2xx:2 not_http_2xx:-'");
    expect(runner).toContain("HYP_ROOTS='1'");
  });

  it("keeps a line break in the config path out of comments, and carries it literally", () => {
    const program = programOf([{ name: "x" }]);
    const path = "evil\nrm -rf /tmp/nothing.yaml";
    const runner = generateRunner({ ...program, file: { ...program.file, path } as never }, library, {
      compilerVersion: "0",
      sourceLines: true,
    });
    expect(runner).toContain("runner for evil?rm -rf /tmp/nothing.yaml, generated");
    const dir = mkdtempSync(join(tmpdir(), "hyp-codegen-"));
    writeFileSync(join(dir, "runner.sh"), runner);
    expect(execFileSync("sh", [join(dir, "runner.sh"), "version"], { encoding: "utf8" })).toContain(`config ${path} sha256:0`);
  });

  it("passes sh -n under dash", () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-codegen-"));
    const file = join(dir, "runner.sh");
    writeFileSync(file, generate(programOf([{ action: { kind: "script", path: "a.sh", content: "echo 'hi'\n", interpreter: ["sh"] } }])));
    expect(() => execFileSync("dash", ["-n", file])).not.toThrow();
  });
});

describe("ASCII", () => {
  it("keeps the runtime and the stdlib pure ASCII (yash reads nothing else without a UTF-8 locale)", () => {
    for (const fragment of library.fragments.values()) expect(fragment.body, fragment.path).toMatch(/^[\x00-\x7f]*$/);
    for (const prebuilt of library.prebuilts.values()) expect(prebuilt.body, prebuilt.path).toMatch(/^[\x00-\x7f]*$/);
  });

  it("adds the yash UTF-8 preamble only to runners that carry non-ASCII text", () => {
    expect(generate(programOf([{ name: "x" }]))).not.toContain("YASH_VERSION");
    const runner = generate(programOf([{ name: "x", hypothesis: "café" }]));
    expect(runner).toContain("HYP_YASH_REEXEC=1 LC_ALL=C.UTF-8 exec yash");
    expect(runner.indexOf("YASH_VERSION")).toBeLessThan(runner.indexOf("café"));
  });
});

describe("isInlineCheck", () => {
  it.each([
    "test -f /tmp/healthy",
    "[ -d /var/run ] && [ ! -e /tmp/drain ]",
    "test -s /a || test -s /b; true",
    "! test -e /x",
    'test -d "$HOME" && test -f ${APP_DIR}/ready',
    "test '*' = '*'",
    'test -d "${DATA_DIR:-/data}" && test -e /run/app/*.sock',
  ])(
    "runs %s in the probe's own shell",
    (command) => expect(isInlineCheck(command)).toBe(true),
  );
  it.each([
    "curl -fsS http://127.0.0.1/",
    "test -f $(id -u)",
    'test -f "${X?unset}"',
    'test -f "${X:=set}"',
    "test -f ${X:-$(id)}",
    'test -f "\\x"',
    "test -f '/tmp/a b'",
    "[ -f /x",
    "test -f /x && exit 1",
    "test -f /x > /tmp/y",
    "test -f `id`",
    "test -f /x | cat",
    "test -f /x &",
    "",
    "test -f /x &&",
  ])("bounds %j in a subshell with a watchdog", (command) => expect(isInlineCheck(command)).toBe(false));
});
