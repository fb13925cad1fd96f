import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DEFAULT_TRIGGERS, DEFAULTS, type CheckedPlugin, type Program } from "../../compiler/model/model.js";
import { checkFixture, checkText } from "./support/front-to-check.js";

/** The valid fixtures compile, and the `Program` says what the config meant. */
const VALID = "test/compiler/fixtures/valid";

function programOf(name: string): Program {
  const { program, diagnostics } = checkFixture(`${VALID}/${name}`);
  expect(diagnostics).toEqual([]);
  expect(program).toBeDefined();
  return program!;
}

function plugin(program: Program, name: string): CheckedPlugin {
  const found = program.plugins.find((p) => p.name === name);
  expect(found, `plugin ${name}`).toBeDefined();
  return found!;
}

describe("the seed's examples, with their children defined", () => {
  test("prebuilt: AWS-STS runs the AWS-STS prebuilt, with its default region", () => {
    const program = programOf("seed-prebuilt.yaml");
    const sts = plugin(program, "AWS-STS");
    expect(sts).toMatchObject({
      index: 1,
      line: 2,
      action: { kind: "prebuilt", prebuilt: "AWS-STS", args: [{ name: "region", value: "us-east-1" }] },
      parallel: true,
      timeoutMs: 60_000,
      triggers: ["on_liveness_failure", "periodic"],
      intervalMs: 5_000,
      isRoot: true,
      edges: [
        { response: "http_2xx", child: 2 },
        { response: "not_http_2xx", child: null },
      ],
    });
    expect(plugin(program, "plugin-do-something")).toMatchObject({ index: 2, line: 17, isRoot: false, edges: [] });
  });

  test("shell command", () => {
    const program = programOf("seed-shell-command.yaml");
    expect(plugin(program, "call-openai")).toMatchObject({
      action: { kind: "shell", command: "curl -X GET https://api.openai.com/v1/engines" },
      edges: [
        { response: "http_2xx", child: 2 },
        { response: "not_http_2xx", child: null },
      ],
      isRoot: true,
    });
  });

  test("shell script", () => {
    const program = programOf("seed-shell-script.yaml");
    expect(plugin(program, "call-openai")).toMatchObject({
      action: { kind: "shell", command: "sh script.sh" },
      edges: [
        { response: "http_2xx", child: 2 },
        { response: "not_http_2xx", child: 3 },
      ],
    });
    expect(program.plugins.map((p) => p.isRoot)).toEqual([true, false, false]);
  });
});

describe("defaults", () => {
  const program = programOf("defaults.yaml");

  test("the service is the config's base name", () => {
    expect(program.service).toBe("defaults");
  });

  test("the report is JSON lines to the container log", () => {
    expect(program.report).toEqual({ format: "json", to: [{ kind: "container-log" }], redact: [] });
  });

  test("a plugin gets the default timeout, interval and triggers", () => {
    expect(program.plugins).toEqual([
      {
        index: 1,
        name: "ping",
        line: 3,
        action: { kind: "shell", command: "exit 0" },
        parallel: false,
        timeoutMs: DEFAULTS.timeoutMs,
        triggers: DEFAULT_TRIGGERS,
        intervalMs: DEFAULTS.intervalMs,
        hypothesis: undefined,
        edges: [],
        isRoot: true,
      },
    ]);
  });

  test("the hash covers what the config means, not how it is spelled", () => {
    const text = readFileSync(`${VALID}/defaults.yaml`, "utf8");
    const hashOf = (path: string, source: string) => checkText(path, source).program?.configHash;
    expect(program.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // A comment, a different layout, or the same hypotheses in the DSL: the same runner.
    expect(hashOf("defaults.yaml", `# why\n${text}\n\n`)).toBe(program.configHash);
    expect(hashOf("defaults.yaml", "plugins: [{ plugin: { name: ping, type: shell, shell_command: exit 0 } }]")).toBe(program.configHash);
    expect(hashOf("defaults.hyp", 'plugin ping shell "exit 0"')).toBe(program.configHash);
    // Anything the runner does differently: another hash.
    expect(hashOf("defaults.yaml", text.replace("exit 0", "exit 1"))).not.toBe(program.configHash);
    expect(hashOf("defaults.hyp", 'plugin ping shell "exit 0"\n  timeout 5s')).not.toBe(program.configHash);
  });
});

describe("a graph with every way to end a branch", () => {
  const program = programOf("graph.yaml");

  test("service and report come from the config", () => {
    expect(program.service).toBe("checkout");
    expect(program.report).toEqual({
      format: "text",
      to: [{ kind: "stdout" }, { kind: "file", path: "/var/log/hypothecary.log" }],
      redact: [],
    });
  });

  test("indices follow declaration order; edges follow conditional order", () => {
    expect(program.plugins.map((p) => [p.index, p.name])).toEqual([
      [1, "api"],
      [2, "database"],
      [3, "dns"],
      [4, "disk"],
      [5, "certificates"],
    ]);
    expect(plugin(program, "api").edges).toEqual([
      { response: "http_5xx", child: 2 },
      { response: "timeout", child: 3 },
      { response: "success", child: null },
    ]);
    // None, none, null, YAML null (empty) and skip-to-end all end the branch.
    expect(plugin(program, "database").edges).toEqual([
      { response: "not_success", child: 4 },
      { response: "exit_2", child: null },
    ]);
    expect(plugin(program, "dns").edges).toEqual([
      { response: "failure", child: 4 },
      { response: "success", child: null },
      { response: "http_404", child: null },
    ]);
    expect(plugin(program, "disk").edges).toEqual([{ response: "success", child: null }]);
  });

  test("roots are the plugins no conditional names", () => {
    expect(program.plugins.filter((p) => p.isRoot).map((p) => p.name)).toEqual(["api", "certificates"]);
  });

  test("durations, triggers and the hypothesis", () => {
    expect(plugin(program, "api")).toMatchObject({
      parallel: true,
      triggers: ["periodic"],
      intervalMs: 90_000,
      timeoutMs: 500,
      hypothesis: "the API answers on its health endpoint",
    });
    // A repeated trigger type counts once.
    expect(plugin(program, "certificates")).toMatchObject({ triggers: ["manual", "periodic"], intervalMs: 3_600_000, timeoutMs: 2_500 });
  });

  test("each plugin knows its line", () => {
    expect(program.plugins.map((p) => p.line)).toEqual([7, 24, 33, 44, 51]);
  });
});

describe("scripts", () => {
  const program = programOf("scripts.yaml");
  const read = (path: string) => readFileSync(`${VALID}/${path}`);

  test("are inlined with the interpreter of their #! line", () => {
    expect(plugin(program, "python-check").action).toEqual({
      kind: "script",
      path: "scripts/check.py",
      content: read("scripts/check.py").toString("utf8"),
      interpreter: ["/usr/bin/env", "python3"],
    });
    expect(plugin(program, "strict-check").action).toMatchObject({ path: "./scripts/strict.sh", interpreter: ["/bin/sh", "-e"] });
    expect(plugin(program, "plain-check").action).toMatchObject({ interpreter: ["sh"] });
  });

  test("the hash covers each script's bytes", () => {
    const text = read("scripts.yaml").toString("utf8");
    const withScript = (content: string) =>
      checkText(`${VALID}/scripts.yaml`, text, {
        host: {
          readPack: () => "no such folder",
          readRelative: (path) =>
            path.endsWith("plain.sh") ? new TextEncoder().encode(content) : new Uint8Array(readFileSync(`${VALID}/${path}`)),
        },
      }).program?.configHash;
    expect(withScript(read("scripts/plain.sh").toString("utf8"))).toBe(program.configHash);
    expect(withScript(`${read("scripts/plain.sh").toString("utf8")}# one more line\n`)).not.toBe(program.configHash);
  });
});

describe("prebuilt parameters", () => {
  const program = programOf("prebuilt-params.yaml");

  test("are normalised, in manifest order, with defaults applied", () => {
    expect(plugin(program, "api-up").action).toEqual({
      kind: "prebuilt",
      prebuilt: "HTTP",
      args: [
        { name: "url", value: "https://api.example.com/healthz" },
        { name: "status", value: "2xx" },
        { name: "method", value: "GET" },
        { name: "timeout", value: "90" },
        { name: "insecure", value: "1" },
        { name: "headers", value: "Accept: application/json\nX-Probe: hypothecary" },
      ],
    });
    expect(plugin(program, "admin-up").action).toMatchObject({
      args: [
        { name: "url", value: "https://admin.example.com/" },
        { name: "status", value: "200" },
        { name: "method", value: "HEAD" },
        { name: "timeout", value: "0.25" },
        { name: "insecure", value: "" },
        { name: "headers", value: "" },
      ],
    });
  });

  test("two plugins can run the same prebuilt", () => {
    expect(program.plugins.filter((p) => p.action.kind === "prebuilt" && p.action.prebuilt === "HTTP")).toHaveLength(2);
  });

  test("a prebuilt without `prebuilt:` is the one its name names", () => {
    expect(plugin(program, "AWS-STS").action).toEqual({ kind: "prebuilt", prebuilt: "AWS-STS", args: [{ name: "region", value: "us-east-1" }] });
  });

  test("numbers are read as written, then normalised", () => {
    expect(plugin(program, "db-port").action).toEqual({
      kind: "prebuilt",
      prebuilt: "TCP",
      args: [
        { name: "host", value: "db.internal" },
        { name: "port", value: "5432" },
        { name: "retries", value: "7" },
      ],
    });
  });
});
