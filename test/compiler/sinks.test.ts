import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { generateRunner } from "../../compiler/codegen/generate-runner.js";
import { Codes } from "../../compiler/diagnostics/codes.js";
import type { Program } from "../../compiler/model/model.js";
import { checkText } from "./support/front-to-check.js";

const PLUGIN = `plugins:
  - plugin: { name: api, type: shell, shell_command: "exit 0" }
`;

function withSinks(sinks: string): ReturnType<typeof checkText> {
  return checkText("shop.yaml", `sinks:\n${sinks}\n${PLUGIN}`);
}

/** Each diagnostic as `CODE message` (the rest is the golden files' business). */
function problems(sinks: string): string[] {
  return withSinks(sinks).diagnostics.map((d) => `${d.code} ${d.message}`);
}

function programOf(sinks: string): Program {
  const result = withSinks(sinks);
  expect(result.diagnostics).toEqual([]);
  return result.program!;
}

describe("the sinks schema", () => {
  test("a token is required where the service needs one, and named, never written", () => {
    expect(problems(`  - { type: splunk_hec, url: "https://splunk:8088" }`)).toEqual([
      `${Codes.MissingKey} a \`splunk_hec\` sink needs \`token_env\` or \`token_file\``,
    ]);
    expect(problems(`  - { type: datadog }`)).toEqual([`${Codes.MissingKey} a \`datadog\` sink needs \`token_env\` or \`token_file\``]);
    // A token written into the config is refused outright.
    expect(problems(`  - { type: datadog, token: abc123 }`)).toEqual([`${Codes.UnknownKey} unknown key \`token\` in this entry of \`sinks\``]);
    expect(problems(`  - { type: webhook, url: "https://h/x", token_env: A, token_file: /b }`)).toEqual([
      `${Codes.InvalidValue} a sink has one token, but this one has \`token_env\` and \`token_file\``,
    ]);
  });

  test("every sink but Datadog needs one URL, which may come from the environment or a file", () => {
    expect(problems(`  - { type: slack }`)).toEqual([`${Codes.MissingKey} a \`slack\` sink needs \`url\`, \`url_env\` or \`url_file\``]);
    expect(problems(`  - { type: loki, url: "http://loki:3100", url_file: /x }`)).toEqual([
      `${Codes.InvalidValue} a sink has one URL, but this one has \`url\` and \`url_file\``,
    ]);
    expect(problems(`  - { type: webhook, url: "ftp://h/x" }`)).toEqual([
      `${Codes.InvalidValue} \`url\` must be an http:// or https:// URL, not \`ftp://h/x\``,
    ]);
    expect(problems(`  - { type: slack, url_file: secrets/slack }`)[0]).toMatch(/^HYP0204 `url_file` must be an absolute path/);
    expect(problems(`  - { type: slack, url_env: "$SLACK" }`)[0]).toMatch(/^HYP0204 `url_env` must name an environment variable/);
  });

  test("a key of another type names the type it belongs to", () => {
    const result = withSinks(`  - { type: webhook, url: "https://h/x", tenant: a, sourcetype: b }`);
    expect(result.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
      [Codes.KeyNotForType, "`tenant` does not apply to a `webhook` sink", "`tenant` belongs to `type: loki`"],
      [Codes.KeyNotForType, "`sourcetype` does not apply to a `webhook` sink", "`sourcetype` belongs to `type: splunk_hec`"],
    ]);
    expect(withSinks(`  - { type: slack, url_env: S, token_file: /t }`).diagnostics[0]!.help).toBe(
      "a Slack webhook's secret is its URL: give it with `url_env` or `url_file`",
    );
  });

  test("deadlines, retries, headers, labels and tags are checked", () => {
    expect(problems(`  - { type: webhook, url: "https://h/x", timeout: 61s, retries: -1 }`)).toEqual([
      `${Codes.InvalidValue} a sink's \`timeout\` must be above 0 and at most 60s`,
      `${Codes.InvalidValue} \`retries\` must be a whole number from 0 to 10, not \`-1\``,
    ]);
    expect(problems(`  - { type: webhook, url: "https://h/x", timeout: soon }`)[0]).toMatch(/^HYP0205 invalid `timeout`/);
    expect(problems(`  - { type: webhook, url: "https://h/x", headers: { "X-A": "one\\ntwo" } }`)).toEqual([
      `${Codes.InvalidValue} header \`X-A\` must be one line without control characters`,
    ]);
    expect(problems(`  - { type: loki, url: "http://l", labels: { app-name: x } }`)[0]).toMatch(/^HYP0204 `app-name` is not a Loki label name/);
    expect(problems(`  - { type: datadog, token_env: K, tags: ["a,b"] }`)[0]).toMatch(/^HYP0204 a Datadog tag is one/);
    expect(problems(`  - { type: datadog, token_env: K, site: "datadoghq.eu/x" }`)[0]).toMatch(/^HYP0204 `site` must be a Datadog site/);
  });

  test("sink names are unique, defaults included", () => {
    const result = withSinks(`  - { type: webhook, name: loki, url: "https://h/1" }
  - { type: loki, url: "http://loki:3100" }`);
    expect(result.diagnostics.map((d) => [d.code, d.message, d.notes?.length])).toEqual([[Codes.DuplicateName, "duplicate sink name `loki`", 1]]);
    expect(result.program).toBeUndefined();
  });
});

describe("checked sinks", () => {
  test("defaults: 5 s per attempt, 2 retries, names from the type, the Datadog site's intake", () => {
    const program = programOf(`  - { type: datadog, token_env: DD_API_KEY }
  - { type: datadog, site: datadoghq.eu, token_file: /run/dd, service: web, tags: ["env:prod", team] }
  - { type: slack, url_env: SLACK_URL, timeout: 1500ms, retries: 0 }`);
    expect(program.sinks.map((s) => [s.name, s.timeoutMs, s.retries, s.url, s.token])).toEqual([
      ["datadog-1", 5000, 2, { kind: "literal", value: "https://http-intake.logs.datadoghq.com/api/v2/logs" }, { kind: "env", name: "DD_API_KEY" }],
      ["datadog-2", 5000, 2, { kind: "literal", value: "https://http-intake.logs.datadoghq.eu/api/v2/logs" }, { kind: "file", path: "/run/dd" }],
      ["slack", 1500, 0, { kind: "env", name: "SLACK_URL" }, undefined],
    ]);
    expect(program.sinks[0]!.fields).toEqual([
      ["source", "hypothecary"],
      ["service", "shop"],
      ["tags", ""],
      ["host", ""],
    ]);
    expect(program.sinks[1]!.fields[1]).toEqual(["service", "web"]);
    expect(program.sinks[1]!.fields[2]).toEqual(["tags", "env:prod,team"]);
  });

  test("Loki's labels: service and source unless the config says otherwise, in order", () => {
    const program = programOf(`  - { type: loki, url: "http://loki:3100", tenant: t1, labels: { source: checks, env: prod } }`);
    expect(program.sinks[0]!.fields).toEqual([
      ["tenant", "t1"],
      ["labels", "service=shop\nsource=checks\nenv=prod"],
    ]);
  });

  test("Splunk's defaults", () => {
    const program = programOf(`  - { type: splunk_hec, url: "https://splunk:8088", token_env: HEC }`);
    expect(program.sinks[0]!.fields).toEqual([
      ["index", ""],
      ["source", "hypothecary"],
      ["sourcetype", "hypothecary:report"],
      ["host", ""],
    ]);
  });
});

describe("the runner with sinks", () => {
  const library = loadLibrary();
  const generate = (program: Program) => generateRunner(program, library, { compilerVersion: "0.0.0-test" });

  test("inlines the delivery engine and the builders of the types used, nothing else", () => {
    const runner = generate(programOf(`  - { type: loki, url: "http://loki:3100" }
  - { type: slack, url_env: SLACK_URL }`));
    expect(runner).toContain("# ---- runtime/sinks.sh ----");
    expect(runner).toContain("# ---- runtime/sink-loki.sh ----");
    expect(runner).toContain("# ---- runtime/sink-slack.sh ----");
    expect(runner).not.toContain("sink-splunk-hec.sh");
    expect(runner).not.toContain("sink-datadog.sh");
    expect(runner).not.toContain("sink-webhook.sh");
    expect(runner).toContain("HYP_SINKS='1 2'");
    const bare = generate(checkText("shop.yaml", PLUGIN).program!);
    expect(bare).not.toContain("# ---- runtime/sinks.sh");
    expect(bare).not.toContain("HYP_SINKS=");
  });

  test("carries where secrets are, never a secret; quotes user text; is clean under shellcheck", () => {
    const runner = generate(programOf(`  - { type: splunk_hec, url: "https://splunk:8088", token_env: HEC_TOKEN, index: "it's" }
  - { type: datadog, token_file: /run/secrets/dd, host: "$(id)" }
  - { type: loki, url: "http://loki:3100", tenant: team-a, labels: { app: "a b" } }
  - { type: webhook, url: "https://h/x", headers: { X-A: "\`q\`" }, timeout: 2.5s }
  - { type: slack, url_file: /run/secrets/slack }`));
    expect(runner).toContain("hyp_sink_token_env='HEC_TOKEN'");
    expect(runner).toContain("hyp_sink_token_file='/run/secrets/dd'");
    expect(runner).toContain("hyp_sink_index='it'\\''s'");
    expect(runner).toContain("hyp_sink_host='$(id)'");
    expect(runner).toContain("hyp_sink_timeout=2.5");
    expect(runner).toContain("hyp_sink_url_file='/run/secrets/slack'");
    const dir = mkdtempSync(join(tmpdir(), "hyp-sinks-"));
    const file = join(dir, "runner.sh");
    writeFileSync(file, runner);
    expect(spawnSync("sh", ["-n", file]).status).toBe(0);
    const shellcheck = spawnSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" });
    if (shellcheck.error && process.env.HYP_REQUIRE_SHELLS !== "1") return;
    expect(shellcheck.stdout).toBe("");
    expect(shellcheck.status).toBe(0);
  });
});
