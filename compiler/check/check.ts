import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { Library } from "../library/library.js";
import {
  DEFAULT_TRIGGERS,
  DEFAULTS,
  type CheckedPlugin,
  type ConfigModel,
  type PluginAction,
  type PluginModel,
  type Program,
  type TriggerType,
} from "../model/model.js";
import type { SourceFile } from "../source/source-file.js";
import { reportCycles } from "./cycles.js";
import { configHash } from "./hash.js";
import type { CompilerHost } from "./host.js";
import { indexPluginNames } from "./names.js";
import { reportNulCharacters } from "./nul.js";
import { checkPrebuilt } from "./prebuilts.js";
import { parentsOf, resolveEdges } from "./references.js";
import { readScript } from "./scripts.js";
import { warnTriggersOnChildren } from "./triggers.js";
import { checkSinks } from "./sinks.js";

/**
 * `ConfigModel` to `Program`: names and references resolved, the graph checked, prebuilt
 * parameters validated, scripts read, defaults applied. Runs every pass even after an error,
 * so one compile shows every problem; returns a `Program` only when there was none.
 */
export function check(
  config: ConfigModel,
  library: Library,
  host: CompilerHost,
  bag: DiagnosticBag,
  /** The plugin packs' files (see imports.ts), hashed with the config. */
  imported: readonly Uint8Array[] = [],
): Program | undefined {
  const errorsBefore = countErrors(bag);
  const file = config.file;

  reportNulCharacters(config, bag);
  if (config.plugins.length === 0) {
    bag.error(Codes.NoPlugins, file, config.pluginsSpan, "no plugins: there is nothing to run", {
      help: "add a `plugins:` list with at least one `- plugin:` entry",
    });
  }

  const byName = indexPluginNames(config, bag);
  const edges = resolveEdges(config, byName, bag);
  reportCycles(config, edges, bag);
  const parents = parentsOf(edges);
  warnTriggersOnChildren(config, parents, bag);

  const service = config.service?.value ?? baseName(file.path);
  const sinks = checkSinks(config, service, bag);

  const scripts: Uint8Array[] = [];
  const actions = config.plugins.map((plugin) => actionOf(plugin, file, library, host, bag, scripts));

  if (countErrors(bag) > errorsBefore) return undefined;

  const plugins = config.plugins.map((plugin, index): CheckedPlugin => ({
    index: index + 1,
    name: plugin.name.value,
    line: file.positionOf(plugin.span.start).line,
    action: actions[index]!,
    parallel: plugin.parallel,
    timeoutMs: plugin.trigger?.timeoutMs?.value ?? DEFAULTS.timeoutMs,
    triggers: distinct(plugin.trigger?.types?.map((type) => type.value)) ?? DEFAULT_TRIGGERS,
    intervalMs: plugin.trigger?.intervalMs?.value ?? DEFAULTS.intervalMs,
    hypothesis: plugin.hypothesis?.value,
    edges: edges[index]!.map((edge) => ({ response: edge.response, child: edge.child === null ? null : edge.child + 1 })),
    isRoot: parents[index]!.length === 0,
  }));

  const checked = {
    service,
    report: {
      format: config.report?.format?.value ?? "json",
      to: config.report?.to?.map((destination) => destination.value) ?? [{ kind: "container-log" as const }],
      redact: config.report?.redact?.map((pattern) => pattern.value) ?? [],
    },
    probes: config.probes.map((probe) => ({
      kind: probe.kind,
      line: file.positionOf(probe.span.start).line,
      check: probe.check,
      timeoutMs: probe.timeoutMs?.value ?? DEFAULTS.probeTimeoutMs,
    })),
    cooldownMs: config.cooldownMs?.value ?? DEFAULTS.cooldownMs,
    plugins,
    sinks,
  };
  return { file, configHash: configHash(checked, [...scripts, ...imported]), ...checked };
}

/** What the plugin runs; script bytes are collected, in plugin order, for the config hash. */
function actionOf(
  plugin: PluginModel,
  file: SourceFile,
  library: Library,
  host: CompilerHost,
  bag: DiagnosticBag,
  scripts: Uint8Array[],
): PluginAction | undefined {
  switch (plugin.type.value) {
    case "shell":
      // The front end guarantees `shell_command` on a shell plugin and `path` on a script plugin.
      return plugin.shellCommand && { kind: "shell", command: plugin.shellCommand.value };
    case "script": {
      const script = plugin.scriptPath && readScript(plugin.scriptPath, host, file, bag);
      if (script) scripts.push(script.bytes);
      return script?.action;
    }
    case "prebuilt":
      return checkPrebuilt(plugin, library, file, bag);
  }
}

/** The first occurrence of each trigger type, in the user's order. */
function distinct(types: readonly TriggerType[] | undefined): TriggerType[] | undefined {
  return types === undefined ? undefined : types.filter((type, index) => types.indexOf(type) === index);
}

/** `examples/checkout.yaml` -> `checkout`: the service a config names when it says nothing. */
function baseName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

function countErrors(bag: DiagnosticBag): number {
  return bag.sorted().filter((d) => d.severity === "error").length;
}
