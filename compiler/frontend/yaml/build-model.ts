import { PROBE_KINDS } from "../../model/model.js";
import type {
  ConditionalModel,
  ConfigModel,
  Destination,
  Located,
  ParamModel,
  ParamValue,
  PluginModel,
  ProbeCheck,
  ProbeModel,
  ReportModel,
  TriggerModel,
  TriggerType,
} from "../../model/model.js";
import { span, type SourceFile } from "../../source/source-file.js";
import type { RawParamValue } from "./fields.js";
import { buildSinks } from "./build-sinks.js";
import type { ConfigData, PluginData } from "./schema.js";
import type { DocumentTree, Path } from "../document-tree.js";

/**
 * Turns the validated data into the `ConfigModel`, attaching to every value the span where the
 * user wrote it. Runs only on data the schema accepted, so it never has to report anything.
 */
export function buildModel(data: ConfigData, tree: DocumentTree, file: SourceFile): ConfigModel {
  const at = <T>(value: T, path: Path): Located<T> => ({ value, span: tree.valueSpan(path) });
  return {
    file,
    service: data.service === undefined ? undefined : at(data.service, ["service"]),
    report: data.report === undefined ? undefined : buildReport(data.report, tree),
    probes: buildProbes(data.probes, tree),
    cooldownMs: data.probes?.cooldown === undefined ? undefined : at(data.probes.cooldown, ["probes", "cooldown"]),
    plugins: (data.plugins ?? []).map((item, index) => buildPlugin(item.plugin, ["plugins", index, "plugin"], tree)),
    pluginsSpan: data.plugins === undefined ? span(0, file.text.length) : tree.valueSpan(["plugins"]),
    imports: (data.imports ?? []).map((spec, index) => at(spec, ["imports", index])),
    sinks: buildSinks(data.sinks ?? [], tree),
  };
}

function buildReport(report: NonNullable<ConfigData["report"]>, tree: DocumentTree): ReportModel {
  return {
    format: report.format === undefined ? undefined : { value: report.format, span: tree.valueSpan(["report", "format"]) },
    to: report.to === undefined ? undefined : eachOf<Destination>(report.to, ["report", "to"], tree),
    redact: report.redact === undefined ? undefined : eachOf<string>(report.redact, ["report", "redact"], tree),
  };
}

function buildProbes(probes: ConfigData["probes"], tree: DocumentTree): ProbeModel[] {
  if (probes === undefined) return [];
  return PROBE_KINDS.flatMap((kind): ProbeModel[] => {
    const probe = probes[kind];
    if (probe === undefined) return [];
    const path = ["probes", kind];
    const check: ProbeCheck = probe.http
      ? {
          kind: "http",
          scheme: probe.http.scheme ?? "http",
          host: probe.http.host ?? "127.0.0.1",
          port: probe.http.port,
          path: probe.http.path,
          headers: Object.entries(probe.http.headers ?? {}),
        }
      : probe.tcp
        ? { kind: "tcp", host: probe.tcp.host ?? "127.0.0.1", port: probe.tcp.port }
        : { kind: "exec", command: probe.exec ?? "" };
    return [
      {
        kind,
        span: span(tree.keySpan(path).start, tree.valueSpan(path).end),
        check,
        timeoutMs: probe.timeout === undefined ? undefined : { value: probe.timeout, span: tree.valueSpan([...path, "timeout"]) },
      },
    ];
  });
}

function buildPlugin(plugin: PluginData, path: Path, tree: DocumentTree): PluginModel {
  const at = <T>(value: T, key: string): Located<T> => ({ value, span: tree.valueSpan([...path, key]) });
  const optional = <T>(value: T | undefined, key: string): Located<T> | undefined =>
    value === undefined ? undefined : at(value, key);
  // From the `plugin:` key to the end of its mapping: the block's first line is the `plugin:` line.
  const whole = span(tree.keySpan(path).start, tree.valueSpan(path).end);
  return {
    span: whole,
    name: at(plugin.name, "name"),
    type: at(plugin.type, "type"),
    shellCommand: optional(plugin.shell_command, "shell_command"),
    scriptPath: optional(plugin.path, "path"),
    prebuilt: optional(plugin.prebuilt, "prebuilt"),
    params: buildParams(plugin.with ?? {}, [...path, "with"], tree),
    paramsSpan: plugin.with === undefined ? undefined : tree.valueSpan([...path, "with"]),
    parallel: plugin.parallel ?? false,
    hypothesis: optional(plugin.hypothesis, "hypothesis"),
    conditionals: (plugin.conditionals ?? []).map((conditional, index): ConditionalModel => {
      const where = [...path, "conditionals", index];
      return {
        span: tree.valueSpan(where),
        response: { value: conditional.response, span: tree.valueSpan([...where, "response"]) },
        child: { value: conditional.child_name, span: tree.valueSpan([...where, "child_name"]) },
      };
    }),
    trigger: plugin.trigger === undefined ? undefined : buildTrigger(plugin.trigger, [...path, "trigger"], tree),
  };
}

function buildTrigger(trigger: NonNullable<PluginData["trigger"]>, path: Path, tree: DocumentTree): TriggerModel {
  const optional = (value: number | undefined, key: string): Located<number> | undefined =>
    value === undefined ? undefined : { value, span: tree.valueSpan([...path, key]) };
  return {
    span: tree.valueSpan(path),
    types: trigger.trigger_type === undefined ? undefined : eachOf<TriggerType>(trigger.trigger_type, [...path, "trigger_type"], tree),
    intervalMs: optional(trigger.trigger_interval, "trigger_interval"),
    timeoutMs: optional(trigger.trigger_timeout, "trigger_timeout"),
  };
}

/** Fields written as one word or a list of words: locate each entry where it was written. */
function eachOf<T>(values: readonly T[], path: Path, tree: DocumentTree): Located<T>[] {
  const list = tree.isList(path);
  return values.map((value, index) => ({ value, span: tree.valueSpan(list ? [...path, index] : path) }));
}

/**
 * Parameters as the user wrote them: `1.10` stays `1.10` and `yes` stays `yes`, because what
 * they mean depends on the prebuilt's parameter types, which check knows and we do not.
 */
function buildParams(params: Readonly<Record<string, RawParamValue>>, path: Path, tree: DocumentTree): ParamModel[] {
  return Object.entries(params).map(([key, raw]) => {
    const where = [...path, key];
    const text = (value: string | number | boolean, itemPath: Path): string => tree.scalarText(itemPath) ?? String(value);
    const value: ParamValue = Array.isArray(raw) ? raw.map((item, index) => text(item, [...where, index])) : text(raw, where);
    return {
      key: { value: key, span: tree.keySpan(where) },
      value: { value, span: tree.valueSpan(where) },
      ...(Array.isArray(raw) ? { entrySpans: raw.map((_item, index) => tree.valueSpan([...where, index])) } : {}),
    };
  });
}
