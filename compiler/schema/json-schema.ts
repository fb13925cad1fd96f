import { z } from "zod";
import { COMMON_KEYS, KEYS_OF_SINK, TOKEN_KEYS, TOKEN_REQUIRED, URL_KEYS } from "../frontend/yaml/sinks.js";
import { configSchema, KEYS_OF_TYPE, REQUIRED_OF_TYPE } from "../frontend/yaml/schema.js";
import type { ParamSpec, PrebuiltDefinition } from "../library/library.js";
import { MAX_DURATION_MS } from "../model/duration.js";
import { PLUGIN_NAME_PATTERN, PLUGIN_TYPES, TERMINAL_CHILD_NAMES, TRIGGER_TYPES } from "../model/model.js";
import { RESPONSE_WORDS } from "../model/response.js";
import { SINK_MAX_RETRIES, SINK_MAX_TIMEOUT_MS, SINK_TYPES } from "../model/sinks.js";

/**
 * `hypothecary schema`: the JSON Schema (draft-07, which yaml-language-server supports fully) of
 * the YAML config, for editors: key completion, hover text, and the errors a schema can see.
 *
 * zod writes the shape from `frontend/yaml/schema.ts` (strict mappings, enums, required keys).
 * What zod cannot translate (refinements and transforms: durations, responses, names, ports,
 * one-of-a-list fields, keys that depend on `type`) is added here, at the data path where it
 * applies; a path that no longer exists in the generated schema is an error, so the two files
 * cannot drift apart silently. Errors a schema cannot see (unknown children, cycles, duplicate
 * names, missing scripts, a pack's prebuilts) are left to `hypothecary validate`.
 *
 * `prebuilt:` completes from the prebuilts given (the stdlib's), and a plugin naming one of them
 * gets its `with:` parameters, with their descriptions. A prebuilt from a plugin pack is any other
 * name, with any parameters: the schema cannot know the packs a config imports.
 */
export type JsonSchema = { [key: string]: unknown };

export function buildJsonSchema(prebuilts: readonly PrebuiltDefinition[]): JsonSchema {
  const generated = z.toJSONSchema(configSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as JsonSchema;
  const patches = patchTable(prebuilts);
  const used = new Set<string>();
  const patched = walk(generated, "", (path, node) => {
    const patch = patches.get(path);
    if (patch === undefined) return node;
    used.add(path);
    return patch(node);
  });
  const unused = [...patches.keys()].filter((path) => !used.has(path));
  if (unused.length > 0) throw new Error(`json-schema.ts patches paths the config schema no longer has: ${unused.join(", ")}`);
  const { $schema, ...rest } = patched;
  return {
    $schema,
    title: "hypothecary config",
    description: "Diagnostic hypotheses compiled into one POSIX sh runner (hypothecary compile CONFIG -o runner.sh).",
    ...rest,
  };
}

/** The schema as `hypothecary schema` prints it: two-space JSON, one trailing newline. */
export function renderJsonSchema(prebuilts: readonly PrebuiltDefinition[]): string {
  return `${JSON.stringify(buildJsonSchema(prebuilts), null, 2)}\n`;
}

type Patch = (node: JsonSchema) => JsonSchema;

/**
 * Visits every subschema depth first, children before parents, with its data path: property
 * names joined by `.`, `[]` for list items (`plugins[].plugin.trigger.trigger_timeout`).
 */
function walk(
  node: JsonSchema,
  path: string,
  visit: (path: string, node: JsonSchema) => JsonSchema,
  self = true,
): JsonSchema {
  const out: JsonSchema = { ...node };
  const join = (key: string): string => (path === "" ? key : `${path}.${key}`);
  if (isSchema(node["properties"])) {
    const properties: JsonSchema = {};
    for (const [key, child] of Object.entries(node["properties"])) properties[key] = walk(child as JsonSchema, join(key), visit);
    out["properties"] = properties;
  }
  if (isSchema(node["items"])) out["items"] = walk(node["items"], `${path}[]`, visit);
  // The alternatives of a value (`plugins`: a list or null) are the value: patched once, as a whole.
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = node[key];
    if (Array.isArray(list)) out[key] = list.map((child: JsonSchema) => walk(child, path, visit, false));
  }
  return self ? visit(path, out) : out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Value schemas for what zod's refinements check.

const NON_EMPTY = "\\S";
const NAME_PATTERN = PLUGIN_NAME_PATTERN.source;

/** `parseDuration`: seconds, or `<number><unit>` parts from hours down to milliseconds. */
const DURATION_PATTERN = "^(?!$)(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?h)?(\\d+(\\.\\d+)?m)?(\\d+(\\.\\d+)?s)?(\\d+(\\.\\d+)?ms)?)$";

function duration(maxMs: number = MAX_DURATION_MS): JsonSchema {
  return {
    anyOf: [
      { type: "number", exclusiveMinimum: 0, maximum: maxMs / 1000 },
      { type: "string", pattern: DURATION_PATTERN },
    ],
  };
}

/** `exit_N` (0-255, no leading zeros), `http_NNN` (100-599), the fixed words, each maybe `not_`. */
const RESPONSE_PATTERN = `^(not_)?(${RESPONSE_WORDS.join("|")}|exit_(0|[1-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5])|http_[1-5]\\d\\d)$`;

const DESTINATION: JsonSchema = {
  anyOf: [
    { enum: ["container-log", "stdout", "stderr"] },
    { type: "string", pattern: "^file:.*\\S" },
  ],
};

function oneOrMany(item: JsonSchema): JsonSchema {
  return { anyOf: [item, { type: "array", items: item, minItems: 1 }] };
}

const SCALAR: JsonSchema = { type: ["string", "number", "boolean"] };

function describe(description: string): Patch {
  return (node) => ({ ...node, description });
}

function nonEmpty(description: string): Patch {
  return (node) => ({ ...node, pattern: NON_EMPTY, description });
}

function replace(schema: JsonSchema, description: string): Patch {
  return () => ({ description, ...schema });
}

const PORT: JsonSchema = { type: "integer", minimum: 1, maximum: 65535 };
const ENV_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

function patchTable(prebuilts: readonly PrebuiltDefinition[]): Map<string, Patch> {
  const table = new Map<string, Patch>();
  const add = (path: string, ...patches: Patch[]): void => {
    table.set(path, (node) => patches.reduce((acc, patch) => patch(acc), node));
  };

  add("version", describe("The config format's version: 1."));
  add("service", nonEmpty("The service's name in reports. Default: the config file's base name."));
  add("imports", describe("Plugin packs: folders (relative to the config) or npm packages of prebuilts with manifests."));
  add("imports[]", nonEmpty("A pack: `./folder` relative to the config, or an npm package name."));

  add("probes", describe("The real checks the runner wraps: `sh runner.sh probe liveness|readiness|startup`."));
  for (const kind of ["liveness", "readiness", "startup"]) {
    const at = `probes.${kind}`;
    add(at, (node) => ({
      ...node,
      description: `The ${kind} check: one of \`exec\`, \`http\` or \`tcp\`. On failure it starts the \`on_${kind}_failure\` hypotheses, detached.`,
      oneOf: [{ required: ["exec"] }, { required: ["http"] }, { required: ["tcp"] }],
    }));
    add(`${at}.exec`, nonEmpty("A shell command; exit 0 is healthy."));
    add(`${at}.http`, describe("An HTTP GET; a 2xx or 3xx status is healthy."));
    add(`${at}.http.port`, replace(PORT, "The port to call."));
    add(`${at}.http.path`, (node) => ({ ...node, pattern: "^/", description: "The path, starting with `/`, e.g. `/healthz`." }));
    add(`${at}.http.host`, nonEmpty("The host to call. Default: 127.0.0.1."));
    add(`${at}.http.scheme`, describe("http (default) or https."));
    add(`${at}.http.headers`, describe("Request headers, name: value."));
    add(`${at}.tcp`, describe("A TCP connect; an accepted connection is healthy."));
    add(`${at}.tcp.port`, replace(PORT, "The port to connect to."));
    add(`${at}.tcp.host`, nonEmpty("The host to connect to. Default: 127.0.0.1."));
    add(`${at}.timeout`, replace(duration(), "The check's deadline: seconds, or `500ms`, `2s`. Default: 1s."));
  }
  add("probes.cooldown", replace(duration(), "Probe-triggered diagnostics start at most once per this long. Default: 60s."));

  add("report", describe("Where each run's report goes, and in which form."));
  add("report.format", describe("json (JSON lines, default) or text."));
  add("report.to", replace(oneOrMany(DESTINATION), "container-log (default), stdout, stderr or file:PATH; one or a list."));
  add("report.redact", describe("Extended regular expressions hidden in plugin output, besides the built-in secrets."));

  add("sinks", describe("Log services each run's report is also sent to."));
  add("sinks[]", (node) => ({ ...node, allOf: sinkRules() }));
  add("sinks[].type", describe(`The service: ${SINK_TYPES.join(", ")}.`));
  add("sinks[].name", (node) => ({ ...node, pattern: NAME_PATTERN, description: "A name for the sink in reports." }));
  add("sinks[].url", (node) => ({ ...node, pattern: "^[hH][tT][tT][pP][sS]?://[^\\s/?#]+[^\\s]*$", description: "The endpoint: an http:// or https:// URL." }));
  add("sinks[].url_env", (node) => ({ ...node, pattern: ENV_NAME, description: "The environment variable that holds the URL when the runner delivers." }));
  add("sinks[].url_file", (node) => ({ ...node, pattern: "^/", description: "An absolute path to a file holding the URL." }));
  add("sinks[].token_env", (node) => ({ ...node, pattern: ENV_NAME, description: "The environment variable that holds the token." }));
  add("sinks[].token_file", (node) => ({ ...node, pattern: "^/", description: "An absolute path to a file holding the token." }));
  add("sinks[].timeout", replace(duration(SINK_MAX_TIMEOUT_MS), `Each delivery attempt's deadline, at most ${SINK_MAX_TIMEOUT_MS / 1000}s.`));
  add("sinks[].retries", replace({ type: "integer", minimum: 0, maximum: SINK_MAX_RETRIES }, "Attempts after a failed delivery."));

  add("plugins", describe("The hypotheses: checks chained by conditionals."));
  add("plugins[].plugin", (node) => ({ ...node, allOf: [...pluginTypeRules(), ...prebuiltRules(prebuilts)] }));
  add("plugins[].plugin.name", (node) => ({
    ...node,
    pattern: NAME_PATTERN,
    description: "Unique; ASCII letters, digits, `_`, `.` and `-`. A prebuilt plugin without `prebuilt:` runs the prebuilt of this name.",
  }));
  add("plugins[].plugin.type", describe("prebuilt (from the library), shell (a command) or script (a file inlined at compile time)."));
  const names = [...prebuilts].map((p) => p.name).sort();
  add("plugins[].plugin.prebuilt", () => ({
    description: "Which prebuilt to run (`hypothecary plugins` lists them); a plugin pack's prebuilts too. Default: the plugin's name.",
    anyOf: [{ enum: names }, { type: "string", pattern: NON_EMPTY }],
  }));
  add("plugins[].plugin.with", () => ({
    description: "The prebuilt's parameters: a value or a list of values each.",
    type: "object",
    additionalProperties: { anyOf: [SCALAR, { type: "array", items: SCALAR }] },
  }));
  add("plugins[].plugin.shell_command", nonEmpty("The command, run with `sh -c`; plain curl/wget calls give it http_NNN responses."));
  add("plugins[].plugin.path", nonEmpty("The script, relative to the config; inlined into the runner at compile time."));
  add("plugins[].plugin.parallel", describe("Runs concurrently with the other parallel plugins ready at the same time. Default: false."));
  add("plugins[].plugin.hypothesis", nonEmpty("What a failure of this check confirms, in words: the report's verdict."));
  add("plugins[].plugin.conditionals", describe("The children this plugin's responses lead to."));
  add("plugins[].plugin.conditionals[].response", (node) => ({
    ...node,
    pattern: RESPONSE_PATTERN,
    description: "success, failure, timeout, error, skipped, exit_N, http_2xx..http_5xx, http_NNN, or not_X for any of them.",
    examples: [...RESPONSE_WORDS, "exit_0", "not_http_2xx"],
  }));
  add("plugins[].plugin.conditionals[].child_name", () => ({
    description: "The plugin to run next, or None / null / skip-to-end to end the branch.",
    anyOf: [{ type: "null" }, { type: "string", pattern: NAME_PATTERN }],
    examples: [...TERMINAL_CHILD_NAMES],
  }));
  add("plugins[].plugin.trigger", describe("When a root plugin runs (children run when a parent's conditional matches)."));
  add("plugins[].plugin.trigger.trigger_type", replace(
    oneOrMany({ enum: [...TRIGGER_TYPES] }),
    "One or a list of: on_liveness_failure, on_readiness_failure, on_startup_failure, periodic, manual. Default: every probe failure and manual.",
  ));
  add("plugins[].plugin.trigger.trigger_interval", replace(duration(), "The `periodic` interval: seconds, or `30s`, `5m`. Default: 60s."));
  add("plugins[].plugin.trigger.trigger_timeout", replace(duration(), "The plugin's deadline; its whole process tree is killed after it. Default: 30s."));
  return table;
}

/** `if type is T then` …, as a JSON Schema condition. */
function whenType(key: string, value: string, then: JsonSchema): JsonSchema {
  return { if: { properties: { [key]: { const: value } }, required: [key] }, then };
}

/** Keys of another type are refused; a type's own required keys are required. */
function pluginTypeRules(): JsonSchema[] {
  return PLUGIN_TYPES.map((type) => {
    const foreign = PLUGIN_TYPES.filter((other) => other !== type).flatMap((other) => KEYS_OF_TYPE[other]);
    return whenType("type", type, {
      ...(REQUIRED_OF_TYPE[type].length > 0 ? { required: [...REQUIRED_OF_TYPE[type]] } : {}),
      properties: Object.fromEntries(foreign.map((key) => [key, false])),
    });
  });
}

/** A stdlib prebuilt's parameters: completion, hover text, no unknown ones, required ones present. */
function prebuiltRules(prebuilts: readonly PrebuiltDefinition[]): JsonSchema[] {
  return [...prebuilts]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((prebuilt) => {
      const required = prebuilt.params.filter((p) => p.required).map((p) => p.name);
      const withSchema: JsonSchema = {
        type: "object",
        properties: Object.fromEntries(prebuilt.params.map((param) => [param.name, paramSchema(param)])),
        additionalProperties: false,
        ...(required.length > 0 ? { required } : {}),
      };
      return {
        if: {
          required: ["type"],
          properties: { type: { const: "prebuilt" } },
          anyOf: [
            { required: ["prebuilt"], properties: { prebuilt: { const: prebuilt.name } } },
            { not: { required: ["prebuilt"] }, required: ["name"], properties: { name: { const: prebuilt.name } } },
          ],
        },
        then: { ...(required.length > 0 ? { required: ["with"] } : {}), properties: { with: withSchema } },
      };
    });
}

/** As loose as check/params.ts (which has the last word and the better messages), never looser. */
function paramSchema(param: ParamSpec): JsonSchema {
  const when = param.required ? "required" : `default ${param.default === "" ? '""' : param.default ?? ""}`;
  const description = `${param.description} (${param.type}, ${when})`;
  const choices = param.choices !== undefined ? { examples: [...param.choices] } : {};
  switch (param.type) {
    case "list":
      return { description, anyOf: [SCALAR, { type: "array", items: SCALAR }], ...choices };
    case "integer":
      return { description, anyOf: [{ type: "integer" }, { type: "string", pattern: "^[+-]?\\d+$" }] };
    case "port":
      return { description, anyOf: [PORT, { type: "string", pattern: "^\\d+$" }] };
    case "duration":
      return { description, ...duration() };
    case "boolean":
      return { description, type: ["boolean", "string", "number"] };
    case "string":
      return { description, ...SCALAR, ...choices };
  }
}

/** A sink's type decides which keys it takes and needs (frontend/yaml/sinks.ts). */
function sinkRules(): JsonSchema[] {
  const rules = SINK_TYPES.map((type) => {
    const own = new Set<string>([...COMMON_KEYS, ...KEYS_OF_SINK[type]]);
    const foreign = [...new Set(SINK_TYPES.flatMap((other) => KEYS_OF_SINK[other]))].filter((key) => !own.has(key)).sort();
    const needs: JsonSchema[] = [];
    if (type !== "datadog") needs.push({ anyOf: URL_KEYS.map((key) => ({ required: [key] })) });
    if (TOKEN_REQUIRED.includes(type)) needs.push({ anyOf: TOKEN_KEYS.map((key) => ({ required: [key] })) });
    if (type === "datadog") needs.push({ not: { required: ["site"], anyOf: URL_KEYS.map((key) => ({ required: [key] })) } });
    return whenType("type", type, {
      properties: Object.fromEntries(foreign.map((key) => [key, false])),
      ...(needs.length > 0 ? { allOf: needs } : {}),
    });
  });
  return [...rules, { not: { anyOf: pairs(URL_KEYS) } }, { not: { anyOf: pairs(TOKEN_KEYS) } }];
}

/** Any two of KEYS present. */
function pairs(keys: readonly string[]): JsonSchema[] {
  const out: JsonSchema[] = [];
  keys.forEach((a, i) => keys.slice(i + 1).forEach((b) => out.push({ required: [a, b] })));
  return out;
}
