import { describe, expect, test } from "vitest";
import { Codes } from "../../compiler/diagnostics/codes.js";
import { DiagnosticBag } from "../../compiler/diagnostics/diagnostic.js";
import { keysAt } from "../../compiler/frontend/yaml/schema-keys.js";
import { configSchema } from "../../compiler/frontend/yaml/schema.js";
import { parseConfig as parseYamlConfig } from "../../compiler/frontend/parse-config.js";
import type { ConfigModel } from "../../compiler/model/model.js";
import { SourceFile, type Span } from "../../compiler/source/source-file.js";

function parse(text: string): { config: ConfigModel | undefined; bag: DiagnosticBag; file: SourceFile } {
  const file = new SourceFile("checks.yaml", text);
  const bag = new DiagnosticBag();
  return { config: parseYamlConfig(file, bag), bag, file };
}

function textAt(file: SourceFile, at: Span): string {
  return file.text.slice(at.start, at.end);
}

const ONE_PLUGIN = `plugins:
  - plugin:
      name: api
      type: shell
      shell_command: exit 0
`;

describe("the YAML front end", () => {
  test("keeps where each value was written", () => {
    const { config, file, bag } = parse(`service: checkout
plugins:
  - plugin:
      name: api
      type: shell
      shell_command: curl -fsS http://127.0.0.1/
      hypothesis: the API answers
      conditionals:
        - response: failure
          child_name: db
      trigger:
        trigger_type: periodic
        trigger_interval: 30s
`);
    expect(bag.sorted()).toEqual([]);
    const plugin = config!.plugins[0]!;
    expect(textAt(file, config!.service!.span)).toBe("checkout");
    expect(textAt(file, plugin.name.span)).toBe("api");
    expect(textAt(file, plugin.shellCommand!.span)).toBe("curl -fsS http://127.0.0.1/");
    expect(textAt(file, plugin.conditionals[0]!.response.span)).toBe("failure");
    expect(textAt(file, plugin.conditionals[0]!.child.span)).toBe("db");
    expect(textAt(file, plugin.trigger!.types![0]!.span)).toBe("periodic");
    expect(plugin.trigger!.intervalMs).toMatchObject({ value: 30_000 });
    expect(textAt(file, plugin.trigger!.intervalMs!.span)).toBe("30s");
    // The plugin block starts at its `plugin:` key.
    expect(file.positionOf(plugin.span.start)).toEqual({ line: 3, column: 5 });
    expect(textAt(file, config!.pluginsSpan).startsWith("- plugin:")).toBe(true);
  });

  test("maps the end-of-branch words, YAML null included, to null", () => {
    const { config } = parse(`plugins:
  - plugin:
      name: api
      type: shell
      shell_command: exit 0
      conditionals:
        - { response: success, child_name: None }
        - { response: failure, child_name: none }
        - { response: timeout, child_name: null }
        - { response: error, child_name: skip-to-end }
        - { response: skipped, child_name: }
        - { response: exit_3, child_name: "null" }
`);
    expect(config!.plugins[0]!.conditionals.map((c) => c.child.value)).toEqual([null, null, null, null, null, null]);
  });

  test("keeps prebuilt parameters as the user wrote them", () => {
    const { config } = parse(`plugins:
  - plugin:
      name: AWS-STS
      type: prebuilt
      with:
        version: 1.10
        flag: yes
        on: true
        port: 0x1F
        quoted: "1.10"
        list: [1.50, b, false]
`);
    const params = Object.fromEntries(config!.plugins[0]!.params.map((p) => [p.key.value, p.value.value]));
    expect(params).toEqual({ version: "1.10", flag: "yes", on: "true", port: "0x1F", quoted: "1.10", list: ["1.50", "b", "false"] });
  });

  test("follows aliases, and shows their values at the anchor", () => {
    const { config, file, bag } = parse(`plugins:
  - plugin:
      name: api
      type: shell
      shell_command: exit 0
      trigger: &every-minute
        trigger_type: periodic
        trigger_interval: 1m
  - plugin:
      name: db
      type: shell
      shell_command: exit 0
      trigger: *every-minute
`);
    expect(bag.sorted()).toEqual([]);
    const db = config!.plugins[1]!;
    expect(db.trigger!.intervalMs!.value).toBe(60_000);
    expect(file.positionOf(db.trigger!.intervalMs!.span.start).line).toBe(8);
  });

  test("builds sinks with where their secrets come from; keeps each import with its span", () => {
    const { config, file } = parse(`imports: [./common, "@acme/checks"]
sinks: [{ type: webhook, url: "https://hooks.example.com/x" }, { type: slack, url_file: /run/slack.url, name: ops }]
probes: { liveness: { tcp: { port: 8080 } } }
${ONE_PLUGIN}`);
    expect(config!.sinks.map((s) => [s.type.value, s.name?.value, s.url, textAt(file, s.type.span)])).toEqual([
      ["webhook", undefined, { kind: "literal", value: "https://hooks.example.com/x" }, "webhook"],
      ["slack", "ops", { kind: "file", path: "/run/slack.url" }, "slack"],
    ]);
    expect(config!.imports.map((i) => [i.value, textAt(file, i.span)])).toEqual([
      ["./common", "./common"],
      ["@acme/checks", '"@acme/checks"'],
    ]);
  });

  test("builds probes with their checks and defaults, in liveness, readiness, startup order", () => {
    const { config } = parse(`probes:
  startup: { tcp: { port: 8080 } }
  liveness: { exec: "curl -fsS http://127.0.0.1:8080/healthz", timeout: 2s }
  readiness: { http: { port: 8080, path: /ready, headers: { X-Probe: kubelet } } }
  cooldown: 5m
${ONE_PLUGIN}`);
    expect(config!.probes.map((p) => [p.kind, p.check, p.timeoutMs?.value])).toEqual([
      ["liveness", { kind: "exec", command: "curl -fsS http://127.0.0.1:8080/healthz" }, 2000],
      ["readiness", { kind: "http", scheme: "http", host: "127.0.0.1", port: 8080, path: "/ready", headers: [["X-Probe", "kubelet"]] }, undefined],
      ["startup", { kind: "tcp", host: "127.0.0.1", port: 8080 }, undefined],
    ]);
    expect(config!.cooldownMs?.value).toBe(300_000);
  });

  test("an empty file is a config without plugins", () => {
    for (const text of ["", "# nothing yet\n", "---\n", "plugins:\n"]) {
      const { config, bag } = parse(text);
      expect(bag.sorted()).toEqual([]);
      expect(config!.plugins).toEqual([]);
    }
  });

  test("a binary file is reported once, at its first NUL byte", () => {
    const { config, bag } = parse("plugins:\n\u0000\u0001\u0002");
    expect(config).toBeUndefined();
    expect(bag.sorted().map((d) => [d.code, d.span.start])).toEqual([[Codes.NotText, 9]]);
  });

  test("returns no model when there were errors", () => {
    const { config, bag } = parse(ONE_PLUGIN.replace("type: shell", "type: shel"));
    expect(config).toBeUndefined();
    expect(bag.hasErrors).toBe(true);
  });

  test("reports unresolved YAML tags as warnings, and goes on", () => {
    const { config, bag } = parse(ONE_PLUGIN.replace("exit 0", "!vault exit 0"));
    expect(bag.sorted().map((d) => [d.code, d.severity])).toEqual([[Codes.YamlSyntax, "warning"]]);
    expect(config!.plugins[0]!.shellCommand!.value).toBe("exit 0");
  });

  test("stops runaway aliases", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const { config, bag } = parse(`${lines.join("\n")}\n`);
    expect(config).toBeUndefined();
    expect(bag.sorted().map((d) => d.code)).toEqual([Codes.YamlSyntax]);
  });

  test("reads allowed keys straight from the schema", () => {
    expect(keysAt(configSchema, [])).toEqual(["version", "service", "probes", "report", "sinks", "imports", "plugins"]);
    expect(keysAt(configSchema, ["plugins", 0, "plugin", "conditionals", 0])).toEqual(["response", "child_name"]);
    expect(keysAt(configSchema, ["plugins", 0, "plugin", "trigger"])).toEqual(["trigger_type", "trigger_interval", "trigger_timeout"]);
    expect(keysAt(configSchema, ["probes", "liveness", "http"])).toEqual(["port", "path", "scheme", "host", "headers"]);
  });
});
