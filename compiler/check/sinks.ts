import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";
import { SINK_DEFAULTS, type CheckedSink, type SinkModel, type ValueSource } from "../model/sinks.js";

/**
 * `sinks:` to what the runner delivers to: names given (each unique, since the report's `sink`
 * lines tell them apart by name), endpoints and defaults filled in.
 */
export function checkSinks(config: ConfigModel, service: string, bag: DiagnosticBag): CheckedSink[] {
  const names = config.sinks.map((sink, index) => sink.name?.value ?? defaultName(config.sinks, index));
  const first = new Map<string, number>();
  names.forEach((name, index) => {
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, index);
      return;
    }
    const sink = config.sinks[index]!;
    bag.error(Codes.DuplicateName, config.file, (sink.name ?? sink.type).span, `duplicate sink name \`${name}\``, {
      notes: [{ message: "first used here", file: config.file, span: (config.sinks[earlier]!.name ?? config.sinks[earlier]!.type).span }],
      help: "the report's `sink` lines tell sinks apart by name: give each its own `name:`",
    });
  });
  return config.sinks.map((sink, index) => ({
    index: index + 1,
    name: names[index]!,
    type: sink.type.value,
    line: config.file.positionOf(sink.span.start).line,
    url: sink.url ?? datadogSite(sink.site ?? SINK_DEFAULTS.site),
    token: sink.token,
    timeoutMs: sink.timeoutMs ?? SINK_DEFAULTS.timeoutMs,
    retries: sink.retries ?? SINK_DEFAULTS.retries,
    headers: sink.headers,
    fields: fieldsOf(sink, service),
  }));
}

/** The type, or when the type is used more than once, the type and the sink's position. */
function defaultName(sinks: readonly SinkModel[], index: number): string {
  const type = sinks[index]!.type.value;
  return sinks.filter((s) => s.type.value === type).length > 1 ? `${type}-${index + 1}` : type;
}

function datadogSite(site: string): ValueSource {
  return { kind: "literal", value: `https://http-intake.logs.${site}/api/v2/logs` };
}

function fieldsOf(sink: SinkModel, service: string): (readonly [string, string])[] {
  switch (sink.type.value) {
    case "splunk_hec":
      return [
        ["index", sink.index ?? ""],
        ["source", sink.source ?? SINK_DEFAULTS.source],
        ["sourcetype", sink.sourcetype ?? SINK_DEFAULTS.sourcetype],
        ["host", sink.host ?? ""],
      ];
    case "datadog":
      return [
        ["source", sink.source ?? SINK_DEFAULTS.source],
        ["service", sink.service ?? service],
        ["tags", sink.tags.join(",")],
        ["host", sink.host ?? ""],
      ];
    case "loki": {
      // The stream's labels: service and source unless the config says otherwise.
      const labels = new Map<string, string>([
        ["service", service],
        ["source", SINK_DEFAULTS.source],
      ]);
      for (const [name, value] of sink.labels) labels.set(name, value);
      return [
        ["tenant", sink.tenant ?? ""],
        ["labels", [...labels].map(([name, value]) => `${name}=${value}`).join("\n")],
      ];
    }
    case "webhook":
    case "slack":
      return [];
  }
}
