import fc from "fast-check";
import { Document } from "yaml";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { convertSource } from "../../compiler/convert/convert.js";
import { DiagnosticBag } from "../../compiler/diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { compileSource } from "../../compiler/pipeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { mapHost } from "./support/front-to-check.js";

/**
 * Issue 5's property: for generated configs, YAML -> DSL -> YAML gives the same checked model,
 * the YAML and the DSL compile to the same bytes, the DSL printed again from the new YAML is the
 * same text (stable enough to commit), and no comment is lost on the way.
 */
const library = loadLibrary();
const host = mapHost({ "check.sh": "#!/bin/sh\necho checked\n", "scripts/with space.sh": "#!/bin/bash -e\nexit 3\n" });

/** Text that tries to break quoting in both forms. */
const hostile = fc.oneof(
  fc.constantFrom(
    'say "hi"',
    "back\\slash \\n \\u{41}",
    "multi\nline\n  indented\n",
    'three """ quotes',
    "# not a comment",
    "key: value, [x] {y}",
    "ünïcödé ☃ 🚀",
    "tab\there",
    "  leading and trailing  ",
    "$(echo pwned) `id` ; rm -rf /tmp/x &&",
    "'single' quotes'",
    "true",
    "8080",
    "1.10",
    "null",
    "- dash",
    "ends with backslash \\",
    "line\r\nwith crlf",
  ),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== "" && !s.includes("\u0000")),
);

const names = fc.constantFrom(
  "check-a", "check_b", "c.3", "AWS-STS", "stop", "plugin", "timeout", "when", "5s", "1.10", "42", "on", "x",
);
const durationText = fc.oneof(
  fc.constantFrom("500ms", "30s", "5m", "1h", "1m30s", "0.5s"),
  fc.integer({ min: 1, max: 600 }),
);
const responses = fc.constantFrom("success", "failure", "http_2xx", "not_http_2xx", "exit_3", "timeout", "not_timeout", "http_5xx");
const triggerTypes = fc.subarray(["on_liveness_failure", "on_readiness_failure", "on_startup_failure", "periodic", "manual"], {
  minLength: 1,
});

const pluginBody = fc.oneof(
  hostile.map((command) => ({ type: "shell", shell_command: command })),
  fc.constantFrom("check.sh", "scripts/with space.sh").map((path) => ({ type: "script", path })),
  fc.record(
    { url: fc.constantFrom("http://127.0.0.1:8080/healthz", "https://example.com/a?b=c&d=e"), timeout: fc.constantFrom("2s", "5s", 3) },
    { requiredKeys: ["url"] },
  ).map((params) => ({ type: "prebuilt", prebuilt: "HTTP", with: params })),
  fc.record({ host: fc.constantFrom("127.0.0.1", "localhost"), port: fc.integer({ min: 1, max: 65535 }) }).map((params) => ({
    type: "prebuilt",
    prebuilt: "TCP",
    with: params,
  })),
);

const sinkTimeout = fc.constantFrom("3s", "500ms", 2);
const sink = fc.oneof(
  fc.record(
    {
      type: fc.constant("splunk_hec"),
      url: fc.constant("https://splunk.example:8088"),
      token_env: fc.constant("HEC_TOKEN"),
      // eslint-disable-next-line no-control-regex
      index: hostile.filter((text) => text.trim() !== "" && !/[\u0000-\u001f\u007f]/.test(text)),
      timeout: sinkTimeout,
      retries: fc.integer({ min: 0, max: 10 }),
      headers: fc.constant({ "X-Team": "pay ments" }),
    },
    { requiredKeys: ["type", "url", "token_env"] },
  ),
  fc.record(
    { type: fc.constant("datadog"), token_file: fc.constant("/run/secrets/dd"), service: fc.constant("checkout"), tags: fc.constant(["env:prod", "team:pay"]) },
    { requiredKeys: ["type", "token_file"] },
  ),
  fc.record(
    { type: fc.constant("loki"), url: fc.constant("http://loki:3100"), tenant: fc.constant("acme"), labels: fc.constant({ app: "shop", odd_key: "v 1" }) },
    { requiredKeys: ["type", "url"] },
  ),
  fc.record({ type: fc.constant("webhook"), url_env: fc.constant("HOOK_URL"), name: fc.constant("stop") }, { requiredKeys: ["type", "url_env"] }),
  fc.record({ type: fc.constant("slack"), url_file: fc.constant("/run/secrets/slack") }),
);

const config = fc
  .record(
    {
      version: fc.constant(1),
      service: hostile.filter((s) => s.trim() !== ""),
      probes: fc.record(
        {
          liveness: fc.record({ exec: hostile, timeout: durationText }, { requiredKeys: ["exec"] }),
          readiness: fc.record({
            http: fc.record(
              { port: fc.integer({ min: 1, max: 65535 }), path: fc.constantFrom("/ready", "/a b", "/x?y=1"), headers: fc.constant({ "X-Probe": "yes" }) },
              { requiredKeys: ["port", "path"] },
            ),
          }),
          startup: fc.record({ tcp: fc.record({ port: fc.integer({ min: 1, max: 65535 }) }) }),
          cooldown: durationText,
        },
        { requiredKeys: [] },
      ),
      report: fc.record(
        {
          format: fc.constantFrom("json", "text"),
          to: fc.constantFrom(["container-log"], ["stdout", "file:/var/log/h y.jsonl"], "stderr"),
          redact: fc.constantFrom(["token=[A-Za-z0-9]+"], ["x-api-key: [^ ]+", "secret"]),
        },
        { requiredKeys: [] },
      ),
      sinks: fc.uniqueArray(sink, { minLength: 1, maxLength: 3, selector: (s) => s.type }),
      plugins: fc.uniqueArray(names, { minLength: 1, maxLength: 6 }).chain((pluginNames) =>
        fc.tuple(
          ...pluginNames.map((name, index) =>
            fc.record(
              {
                body: pluginBody,
                hypothesis: hostile,
                parallel: fc.boolean(),
                conditionals: fc.array(
                  fc.record({
                    response: responses,
                    // Children come later in the list, so the graph has no cycle.
                    child_name: fc.constantFrom(...pluginNames.slice(index + 1), null, "None", "skip-to-end"),
                  }),
                  { maxLength: 3 },
                ),
                trigger: fc.record(
                  { trigger_type: fc.oneof(triggerTypes, fc.constant("manual")), trigger_interval: durationText, trigger_timeout: durationText },
                  { requiredKeys: [] },
                ),
              },
              { requiredKeys: ["body"] },
            ).map(({ body, ...rest }) => ({ plugin: { name, ...body, ...rest } })),
          ),
        ),
      ),
      comments: fc.array(fc.constantFrom(" why this check", " owner: team-payments", " ünïcode ☃", "#double", ""), { maxLength: 4 }),
    },
    { requiredKeys: ["plugins", "comments"] },
  )
  .map(({ comments, ...data }) => ({ data, comments }));

function yamlOf(data: object, comments: readonly string[]): string {
  const doc = new Document(data);
  const plugins = doc.get("plugins", true) as { items: { commentBefore?: string }[] };
  comments.forEach((text, i) => {
    const item = plugins.items[i % plugins.items.length]!;
    item.commentBefore = item.commentBefore === undefined ? text : `${item.commentBefore}\n${text}`;
  });
  return doc.toString();
}

function convert(path: string, text: string): string {
  const bag = new DiagnosticBag();
  const out = convertSource(new SourceFile(path, text), bag);
  if (out === undefined) throw new Error(`${path} did not convert:\n${renderDiagnostics(bag.sorted())}\n${text}`);
  return out;
}

function compile(path: string, text: string): { runner: string; hash: string } {
  const result = compileSource(new SourceFile(path, text), library, host, { compilerVersion: "test" });
  if (result.runner === undefined || result.program === undefined) {
    throw new Error(`${path} did not compile:\n${renderDiagnostics(result.diagnostics)}\n${text}`);
  }
  return { runner: result.runner, hash: result.program.configHash };
}

/** The comment texts of a file in either form (`#` at a line's start, outside strings). */
function commentsOf(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => /^\s*#/.test(line))
    .map((line) => line.trim())
    .sort();
}

describe("YAML <-> DSL", () => {
  it("round-trips generated configs to the same model and the same runner bytes", () => {
    fc.assert(
      fc.property(config, ({ data, comments }) => {
        const yaml0 = yamlOf(data, comments);
        const dsl1 = convert("checks.yaml", yaml0);
        const yaml2 = convert("checks.hyp", dsl1);
        const dsl3 = convert("checks.yaml", yaml2);

        const fromYaml = compile("checks.yaml", yaml0);
        const fromDsl = compile("checks.hyp", dsl1);
        const again = compile("checks.yaml", yaml2);
        // The hash covers the whole checked model (without source positions).
        expect(again.hash).toBe(fromYaml.hash);
        expect(fromDsl.runner).toBe(fromYaml.runner);
        expect(again.runner).toBe(fromYaml.runner);
        expect(dsl3).toBe(dsl1);
        expect(commentsOf(dsl1)).toEqual(commentsOf(yaml0));
        expect(commentsOf(yaml2)).toEqual(commentsOf(yaml0));
      }),
      { numRuns: Number(process.env.HYP_PROPERTY_RUNS ?? 150), seed: process.env.HYP_PROPERTY_SEED ? Number(process.env.HYP_PROPERTY_SEED) : undefined },
    );
  });
});
