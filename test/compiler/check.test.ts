import { describe, expect, test } from "vitest";
import { interpreterOf } from "../../compiler/check/scripts.js";
import { normaliseParam } from "../../compiler/check/params.js";
import { Codes } from "../../compiler/diagnostics/codes.js";
import type { Library, ParamSpec } from "../../compiler/library/library.js";
import { parsePrebuilt } from "../../compiler/library/parse-library.js";
import { checkText, mapHost } from "./support/front-to-check.js";

const codesOf = (result: ReturnType<typeof checkText>) => result.diagnostics.map((d) => d.code);

function shellPlugin(name: string, extra = ""): string {
  return `  - plugin:
      name: ${name}
      type: shell
      shell_command: exit 0
${extra}`;
}

describe("check", () => {
  test("the service defaults to the config's base name", () => {
    const text = `plugins:\n${shellPlugin("api")}`;
    expect(checkText("deploy/checkout.yaml", text).program!.service).toBe("checkout");
    expect(checkText("my.config.yml", text).program!.service).toBe("my.config");
    expect(checkText("C:\\configs\\billing.yaml", text).program!.service).toBe("billing");
    expect(checkText("noext", text).program!.service).toBe("noext");
  });

  test("a warning alone still gives a program", () => {
    const result = checkText(
      "c.yaml",
      `plugins:
${shellPlugin("api", "      conditionals: [{ response: failure, child_name: db }]\n")}${shellPlugin("db", "      trigger: { trigger_type: periodic }\n")}`,
    );
    expect(codesOf(result)).toEqual([Codes.TriggerOnChild]);
    expect(result.program!.plugins.map((p) => p.isRoot)).toEqual([true, false]);
  });

  test("a cycle closed by two edges is reported once", () => {
    const result = checkText(
      "c.yaml",
      `plugins:
${shellPlugin("a", "      conditionals: [{ response: failure, child_name: b }]\n")}${shellPlugin(
        "b",
        "      conditionals: [{ response: failure, child_name: a }, { response: timeout, child_name: a }]\n",
      )}`,
    );
    expect(result.diagnostics.map((d) => d.message)).toEqual(["cycle: a -> b -> a"]);
  });

  test("a plugin can be the child of several parents", () => {
    const result = checkText(
      "c.yaml",
      `plugins:
${shellPlugin("a", "      conditionals: [{ response: failure, child_name: c }]\n")}${shellPlugin(
        "b",
        "      conditionals: [{ response: failure, child_name: c }]\n",
      )}${shellPlugin("c")}`,
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.program!.plugins.map((p) => p.isRoot)).toEqual([true, true, false]);
  });

  test("scripts: missing, binary and not UTF-8", () => {
    const host = mapHost({
      "ok.sh": "#!/bin/sh\necho ok\n",
      "nul.sh": new Uint8Array([0x65, 0x00, 0x0a]),
      "latin1.sh": new Uint8Array([0x23, 0x20, 0xe9, 0x0a]),
    });
    const script = (name: string, path: string) => `  - plugin:\n      name: ${name}\n      type: script\n      path: ${path}\n`;
    const result = checkText(
      "c.yaml",
      `plugins:\n${script("ok", "ok.sh")}${script("gone", "gone.sh")}${script("nul", "nul.sh")}${script("latin1", "latin1.sh")}`,
      { host },
    );
    expect(codesOf(result)).toEqual([Codes.ScriptNotFound, Codes.ScriptNotText, Codes.ScriptNotText]);
    expect(result.program).toBeUndefined();
  });

  test("a script's bytes change the config hash", () => {
    const text = "plugins:\n  - plugin:\n      name: s\n      type: script\n      path: s.sh\n";
    const first = checkText("c.yaml", text, { host: mapHost({ "s.sh": "echo 1\n" }) }).program!;
    const second = checkText("c.yaml", text, { host: mapHost({ "s.sh": "echo 2\n" }) }).program!;
    expect(first.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.configHash).not.toBe(second.configHash);
  });

  test("a prebuilt's broken default is a bug in the prebuilt, not the user's problem", () => {
    const broken = parsePrebuilt(
      "stdlib/broken.sh",
      "# hypothecary prebuilt: BROKEN\n# summary: s\n# reports: r\n# function: hyp_prebuilt_broken\n# param wait: duration = soon -- w\nhyp_prebuilt_broken() { :; }\n",
    );
    const library: Library = { fragments: new Map(), prebuilts: new Map([["BROKEN", broken]]) };
    expect(() => checkText("c.yaml", "plugins:\n  - plugin:\n      name: BROKEN\n      type: prebuilt\n", { library })).toThrow(
      /stdlib\/broken.sh: the default of parameter `wait` is invalid/,
    );
  });
});

describe("interpreterOf", () => {
  test.each([
    ["#!/usr/bin/env python3\nprint(1)\n", ["/usr/bin/env", "python3"]],
    ["#!/bin/sh -e\n", ["/bin/sh", "-e"]],
    ["#! /bin/bash\n", ["/bin/bash"]],
    ["#!/bin/sh\r\necho\r\n", ["/bin/sh"]],
    // Linux passes everything after the program as one argument.
    ["#!/usr/bin/env -S python3 -u\n", ["/usr/bin/env", "-S python3 -u"]],
    ["#!/bin/sh", ["/bin/sh"]],
    ["#!\n", ["sh"]],
    ["echo no interpreter\n", ["sh"]],
    ["", ["sh"]],
    ["\uFEFF#!/bin/dash\n", ["/bin/dash"]],
  ])("%j", (content, interpreter) => {
    expect(interpreterOf(content)).toEqual(interpreter);
  });
});

describe("normaliseParam", () => {
  const spec = (type: ParamSpec["type"], choices?: string[]): ParamSpec => ({
    name: "p",
    type,
    required: false,
    default: undefined,
    choices,
    description: "",
  });
  const ok = (value: string) => ({ ok: true, value });

  test("strings pass as they are, within their choices", () => {
    expect(normaliseParam(spec("string"), "a b")).toEqual(ok("a b"));
    expect(normaliseParam(spec("string", ["GET", "HEAD"]), "HEAD")).toEqual(ok("HEAD"));
    expect(normaliseParam(spec("string", ["GET", "HEAD"]), "get")).toMatchObject({ ok: false, help: "did you mean `GET`?" });
  });

  test("integers and ports come out in plain decimal", () => {
    expect(normaliseParam(spec("integer"), "007")).toEqual(ok("7"));
    expect(normaliseParam(spec("integer"), "-3")).toEqual(ok("-3"));
    expect(normaliseParam(spec("integer"), "+3")).toEqual(ok("3"));
    expect(normaliseParam(spec("integer"), "1.5")).toMatchObject({ ok: false });
    expect(normaliseParam(spec("integer"), "99999999999999999999")).toMatchObject({ ok: false });
    expect(normaliseParam(spec("port"), "8080")).toEqual(ok("8080"));
    expect(normaliseParam(spec("port"), "0")).toMatchObject({ ok: false });
    expect(normaliseParam(spec("port"), "65536")).toMatchObject({ ok: false });
  });

  test("durations come out in seconds", () => {
    expect(normaliseParam(spec("duration"), "1m30s")).toEqual(ok("90"));
    expect(normaliseParam(spec("duration"), "250ms")).toEqual(ok("0.25"));
    expect(normaliseParam(spec("duration"), "5")).toEqual(ok("5"));
    expect(normaliseParam(spec("duration"), "later")).toMatchObject({ ok: false, code: Codes.BadDuration });
  });

  test("booleans come out as 1 or empty", () => {
    for (const word of ["true", "True", "yes", "on", "1"]) expect(normaliseParam(spec("boolean"), word)).toEqual(ok("1"));
    for (const word of ["false", "no", "OFF", "0"]) expect(normaliseParam(spec("boolean"), word)).toEqual(ok(""));
    expect(normaliseParam(spec("boolean"), "maybe")).toMatchObject({ ok: false });
  });

  test("lists come out one entry per line; one value is a list of one", () => {
    expect(normaliseParam(spec("list"), ["a", "b"])).toEqual(ok("a\nb"));
    expect(normaliseParam(spec("list"), "a")).toEqual(ok("a"));
    expect(normaliseParam(spec("list"), [])).toEqual(ok(""));
    expect(normaliseParam(spec("list"), ["a", "b\nc"])).toMatchObject({ ok: false, message: expect.stringContaining("entry 2") });
    expect(normaliseParam(spec("string"), ["a"])).toMatchObject({ ok: false });
  });
});

describe("prebuilt manifests", () => {
  test("parameters are read from `# param NAME: …` lines", () => {
    const prebuilt = parsePrebuilt(
      "stdlib/x.sh",
      "# hypothecary prebuilt: X\n# summary: s\n# reports: r\n# function: hyp_prebuilt_x\n# param url: string, required -- the URL\n# param max_wait: duration = 5s -- how long\n# param method: string = GET, one of GET|HEAD -- m\nhyp_prebuilt_x() { :; }\n",
    );
    expect(prebuilt.params).toEqual([
      { name: "url", type: "string", required: true, default: undefined, choices: undefined, description: "the URL" },
      { name: "max_wait", type: "duration", required: false, default: "5s", choices: undefined, description: "how long" },
      { name: "method", type: "string", required: false, default: "GET", choices: ["GET", "HEAD"], description: "m" },
    ]);
  });
});
