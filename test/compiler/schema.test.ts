import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import { convertSource } from "../../compiler/convert/convert.js";
import { DiagnosticBag } from "../../compiler/diagnostics/diagnostic.js";
import { EXAMPLES_MODELINE, INSTALLED_SCHEMA_FILE, modeline, SCHEMA_FILE } from "../../compiler/schema/modeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { runCli } from "./support/cli.js";

/**
 * Issue 7: `hypothecary schema` is the committed schema/hypothecary.schema.json; it accepts every
 * example and README config, and rejects every malformed golden config whose problem is one of
 * shape (HYP02xx). Problems of the file itself (HYP01xx) are the YAML parser's, which editors run
 * before any schema; problems of the graph, the prebuilts and the scripts (HYP03xx, HYP04xx) need
 * the whole config or the file system, and only `validate` sees them: see the lists below.
 */
const committed = readFileSync(join(PACKAGE_ROOT, SCHEMA_FILE), "utf8");
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const validate: ValidateFunction = ajv.compile(JSON.parse(committed) as object);

/** The config as editors read it: one YAML document, or undefined when YAML itself refuses it. */
function readYaml(bytes: Buffer): { value: unknown } | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents) || documents.length > 1) return undefined;
  const document = documents[0];
  if (document === undefined) return { value: null };
  if (document.errors.length > 0) return undefined;
  try {
    return { value: document.toJS({ maxAliasCount: 100 }) as unknown };
  } catch {
    return undefined;
  }
}

function errorsOf(value: unknown): string {
  validate(value);
  return ajv.errorsText(validate.errors, { separator: "\n" });
}

describe("the committed schema", () => {
  it("is what `hypothecary schema` prints (run: hypothecary schema -o schema/hypothecary.schema.json)", async () => {
    const result = await runCli(["schema"], PACKAGE_ROOT);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(committed);
    expect((await runCli(["schema", "-o", SCHEMA_FILE, "--check"], PACKAGE_ROOT)).status).toBe(0);
  });

  it("-o writes it, and --check fails on a stale copy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hyp-schema-"));
    expect((await runCli(["schema", "-o", "s.json"], dir)).status).toBe(0);
    expect(readFileSync(join(dir, "s.json"), "utf8")).toBe(committed);
    writeFileSync(join(dir, "s.json"), committed.replace("draft-07", "draft-06"));
    const stale = await runCli(["schema", "-o", "s.json", "--check"], dir);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("s.json is out of date");
    expect((await runCli(["schema", "--check"], dir)).status).toBe(2);
  });

  it("is draft-07 and says what keys mean", () => {
    const schema = JSON.parse(committed) as Record<string, unknown>;
    expect(schema["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    expect(committed).toContain("The plugin's deadline");
    // The stdlib's prebuilts complete, with their parameters.
    expect(committed).toContain('"AWS-STS"');
  });
});

const examples = (readdirSync(join(PACKAGE_ROOT, "examples"), { recursive: true }) as string[])
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("examples", () => {
  it("include every top-level config and the Docker one", () => {
    expect(examples).toContain("checkout.yaml");
    expect(examples).toContain("docker/hypothecary.yaml");
  });

  it.each(examples)("examples/%s starts with the modeline and passes the schema", (example) => {
    const bytes = readFileSync(join(PACKAGE_ROOT, "examples", example));
    const schema = relative(dirname(join(PACKAGE_ROOT, "examples", example)), join(PACKAGE_ROOT, SCHEMA_FILE));
    expect(bytes.toString("utf8").split("\n")[0]).toBe(modeline(schema));
    if (!example.includes("/")) expect(modeline(schema)).toBe(EXAMPLES_MODELINE);
    const read = readYaml(bytes);
    expect(read).toBeDefined();
    expect(errorsOf(read!.value)).toBe("No errors");
  });

  it("README's YAML configs pass the schema", () => {
    const readme = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^plugins:/m.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    for (const block of blocks) {
      const read = readYaml(Buffer.from(block));
      expect(read).toBeDefined();
      expect(errorsOf(read!.value)).toBe("No errors");
    }
  });
});

describe("valid fixtures (test/compiler/fixtures/valid)", () => {
  // prebuilt-params.yaml is written against the test library's prebuilts (test/compiler/support),
  // whose TCP takes parameters the stdlib's does not.
  const valid = readdirSync(join(PACKAGE_ROOT, "test/compiler/fixtures/valid"))
    .filter((f) => f.endsWith(".yaml") && f !== "prebuilt-params.yaml")
    .sort();
  it.each(valid)("%s passes the schema", (fixture) => {
    const read = readYaml(readFileSync(join(PACKAGE_ROOT, "test/compiler/fixtures/valid", fixture)));
    expect(errorsOf(read!.value)).toBe("No errors");
  });
});

const INVALID = "test/compiler/fixtures/invalid";
const fixtures = readdirSync(join(PACKAGE_ROOT, INVALID))
  .filter((f) => f.endsWith(".yaml"))
  .sort();

/** Error codes in a fixture's golden diagnostics (warnings left out). */
function codesOf(fixture: string): string[] {
  const golden = readFileSync(join(PACKAGE_ROOT, "test/compiler/golden/diagnostics", fixture.replace(/\.yaml$/, ".txt")), "utf8");
  return [...new Set([...golden.matchAll(/error\[(HYP\d{4})\]/g)].map((m) => m[1]!))].sort();
}

/** Configs of the right shape whose errors only `validate` finds: the schema accepts them. */
const BEYOND_THE_SCHEMA = [
  "cycles.yaml", // HYP0303: a cycle is a property of the whole graph
  "duplicate-names.yaml", // HYP0301: JSON Schema cannot compare values across list items
  "nul-in-strings.yaml", // HYP0211: found by check/nul.ts in the text the runner carries
  "bad-redact.yaml", // HYP0204 from redact-pattern.ts's parser: which EREs every awk reads alike
  "no-plugins.yaml", // HYP0305: `plugins:` with nothing after it is well-formed
  "reserved-names.yaml", // HYP0304: names the runner keeps for itself
  "script-not-found.yaml", // HYP0403: the file system
  "script-not-text.yaml", // HYP0404: the file system
  "seed-prebuilt-verbatim.yaml", // HYP0302: a child that no plugin is
  "unknown-child-typo.yaml", // HYP0302
  "unknown-prebuilt.yaml", // HYP0401: a plugin pack may bring any name
];

/** Configs whose errors are beyond a schema in general, but that this one catches too. */
const ALSO_CAUGHT_BY_THE_SCHEMA = [
  "empty-file.yaml", // HYP0305: an empty document is not a mapping
  "many-graph-errors.yaml", // HYP0301-0303, HYP0401-0403: its misspelt HTTP parameter (the stdlib's are in the schema)
];

/** The one shape error (HYP02xx) the schema leaves to `validate`. */
const SHAPE_BEYOND_THE_SCHEMA = ["bad-redact.yaml"];

describe("malformed configs (test/compiler/fixtures/invalid)", () => {
  it("every fixture is in exactly one group", () => {
    const groups = fixtures.map((f) => {
      const codes = codesOf(f);
      if (codes.length === 0) return "warning only";
      if (codes.some((c) => c.startsWith("HYP01"))) return "yaml";
      if (codes.some((c) => c.startsWith("HYP02") && c !== "HYP0211")) return "shape";
      return "semantic";
    });
    const semantic = fixtures.filter((_, i) => groups[i] === "semantic");
    const listed = [...BEYOND_THE_SCHEMA, ...ALSO_CAUGHT_BY_THE_SCHEMA].filter((f) => !SHAPE_BEYOND_THE_SCHEMA.includes(f));
    expect(listed.sort()).toEqual(semantic);
    expect(SHAPE_BEYOND_THE_SCHEMA.map(codesOf)).toEqual([["HYP0204"]]);
    expect(fixtures.filter((_, i) => groups[i] === "warning only")).toEqual(["trigger-on-child.yaml"]);
  });

  for (const fixture of fixtures) {
    const codes = codesOf(fixture);
    const bytes = () => readFileSync(join(PACKAGE_ROOT, INVALID, fixture));
    if (codes.some((c) => c.startsWith("HYP01"))) {
      it(`${fixture} (${codes.join(" ")}): the YAML parser refuses it`, () => {
        expect(readYaml(bytes())).toBeUndefined();
      });
    } else if (BEYOND_THE_SCHEMA.includes(fixture)) {
      it(`${fixture} (${codes.join(" ")}): the schema accepts it, validate does not`, async () => {
        const read = readYaml(bytes());
        expect(errorsOf(read!.value)).toBe("No errors");
        const result = await runCli(["validate", `${INVALID}/${fixture}`], PACKAGE_ROOT);
        expect(result.status).toBe(1);
      });
    } else if (codes.length > 0) {
      it(`${fixture} (${codes.join(" ")}): the schema rejects it`, () => {
        const read = readYaml(bytes());
        expect(read).toBeDefined();
        expect(validate(read!.value)).toBe(false);
      });
    }
  }
});

describe("what the schema adds to zod's translation", () => {
  const plugin = (fields: Record<string, unknown>) => ({ plugins: [{ plugin: { name: "p", type: "shell", shell_command: "true", ...fields } }] });
  const trigger = (fields: Record<string, unknown>) => plugin({ trigger: fields });

  it.each([
    ["trigger_timeout 60s", trigger({ trigger_timeout: "60s" }), true],
    ["trigger_timeout 1m30s", trigger({ trigger_timeout: "1m30s" }), true],
    ["trigger_timeout 500ms", trigger({ trigger_timeout: "500ms" }), true],
    ["trigger_timeout 5 (seconds)", trigger({ trigger_timeout: 5 }), true],
    ["trigger_timeout 60x", trigger({ trigger_timeout: "60x" }), false],
    ["trigger_timeout 30s1m (wrong order)", trigger({ trigger_timeout: "30s1m" }), false],
    ["trigger_timeout empty", trigger({ trigger_timeout: "" }), false],
    ["trigger_timeout 0", trigger({ trigger_timeout: 0 }), false],
    ["trigger_type one word", trigger({ trigger_type: "periodic" }), true],
    ["trigger_type unknown", trigger({ trigger_type: ["periodic", "hourly"] }), false],
    ["trigger_type empty list", trigger({ trigger_type: [] }), false],
    ["response exit_255", plugin({ conditionals: [{ response: "exit_255", child_name: null }] }), true],
    ["response not_http_404", plugin({ conditionals: [{ response: "not_http_404", child_name: "skip-to-end" }] }), true],
    ["response exit_256", plugin({ conditionals: [{ response: "exit_256", child_name: null }] }), false],
    ["response exit_01", plugin({ conditionals: [{ response: "exit_01", child_name: null }] }), false],
    ["response not_not_success", plugin({ conditionals: [{ response: "not_not_success", child_name: null }] }), false],
    ["child_name with a space", plugin({ conditionals: [{ response: "success", child_name: "a b" }] }), false],
    ["plugin name with a space", plugin({ name: "a b" }), false],
    ["shell without shell_command", { plugins: [{ plugin: { name: "p", type: "shell" } }] }, false],
    ["script without path", { plugins: [{ plugin: { name: "p", type: "script" } }] }, false],
    ["shell with a prebuilt's with", plugin({ with: { url: "x" } }), false],
    ["shell_command blank", plugin({ shell_command: "  " }), false],
    ["HTTP without its url", { plugins: [{ plugin: { name: "p", type: "prebuilt", prebuilt: "HTTP" } }] }, false],
    ["HTTP with a misspelt parameter", { plugins: [{ plugin: { name: "p", type: "prebuilt", prebuilt: "HTTP", with: { url: "http://x", timout: "2s" } } }] }, false],
    ["a pack's prebuilt, any parameters", { plugins: [{ plugin: { name: "p", type: "prebuilt", prebuilt: "MY-CHECK", with: { anything: 1 } } }] }, true],
    ["AWS-STS by its name", { plugins: [{ plugin: { name: "AWS-STS", type: "prebuilt", with: { region: "eu-west-1" } } }] }, true],
    ["AWS-STS by its name, unknown parameter", { plugins: [{ plugin: { name: "AWS-STS", type: "prebuilt", with: { zone: "a" } } }] }, false],
    ["probe with two checks", { probes: { liveness: { exec: "true", tcp: { port: 1 } } }, plugins: null }, false],
    ["probe with none", { probes: { liveness: { timeout: "1s" } }, plugins: null }, false],
    ["probe port 0", { probes: { liveness: { tcp: { port: 0 } } }, plugins: null }, false],
    ["report to file:", { report: { to: "file:" } }, false],
    ["report to file:/x and stdout", { report: { to: ["file:/x", "stdout"] } }, true],
    ["slack sink with a token", { sinks: [{ type: "slack", url_env: "U", token_env: "T" }] }, false],
    ["splunk sink without a token", { sinks: [{ type: "splunk_hec", url: "https://s:8088" }] }, false],
    ["splunk sink", { sinks: [{ type: "splunk_hec", url: "https://s:8088", token_env: "T" }] }, true],
    ["sink with two URLs", { sinks: [{ type: "webhook", url: "https://s", url_env: "U" }] }, false],
    ["datadog with site", { sinks: [{ type: "datadog", site: "datadoghq.eu", token_env: "T" }] }, true],
    ["datadog with site and url", { sinks: [{ type: "datadog", site: "datadoghq.eu", url: "https://x", token_env: "T" }] }, false],
  ])("%s", (_, config, ok) => {
    expect(validate(config), errorsOf(config)).toBe(ok);
  });
});

describe("the modeline", () => {
  const convert = (path: string, text: string, to?: "yaml" | "hyp") => {
    const bag = new DiagnosticBag();
    const out = convertSource(new SourceFile(path, text), bag, to);
    expect(bag.hasErrors).toBe(false);
    return out!;
  };
  const config = "plugins:\n  - plugin: { name: a, type: shell, shell_command: \"true\" }  # yaml-language-server: kept\n";

  it("is spelt in one place", () => {
    expect(modeline()).toBe(`# yaml-language-server: $schema=${INSTALLED_SCHEMA_FILE}`);
    expect(EXAMPLES_MODELINE).toBe("# yaml-language-server: $schema=../schema/hypothecary.schema.json");
  });

  it("is left out of a .hyp file; other comments, and a trailing mention, are not", () => {
    const hyp = convert("c.yaml", `${modeline()}\n# the header\n${config}`);
    expect(hyp).not.toContain("$schema");
    expect(hyp).toContain("# the header");
    expect(hyp).toContain("# yaml-language-server: kept");
  });

  it("stays in YAML converted to YAML", () => {
    expect(convert("c.yaml", `${modeline()}\n${config}`, "yaml").split("\n")[0]).toBe(modeline());
  });
});
