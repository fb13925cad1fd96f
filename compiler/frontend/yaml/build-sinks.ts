import type { SecretSource, SinkModel, ValueSource } from "../../model/sinks.js";
import type { SinkData } from "./sinks.js";
import type { DocumentTree } from "../document-tree.js";

/** `sinks:` as the schema accepted it, each entry with its span (see build-model.ts). */
export function buildSinks(sinks: readonly SinkData[], tree: DocumentTree): SinkModel[] {
  return sinks.map((sink, index): SinkModel => {
    const path = ["sinks", index];
    return {
      span: tree.valueSpan(path),
      type: { value: sink.type, span: tree.valueSpan([...path, "type"]) },
      name: sink.name === undefined ? undefined : { value: sink.name, span: tree.valueSpan([...path, "name"]) },
      url: urlOf(sink),
      token: tokenOf(sink),
      timeoutMs: sink.timeout,
      retries: sink.retries,
      headers: Object.entries(sink.headers ?? {}),
      index: sink.index,
      source: sink.source,
      sourcetype: sink.sourcetype,
      host: sink.host,
      site: sink.site,
      service: sink.service,
      tags: sink.tags ?? [],
      tenant: sink.tenant,
      labels: Object.entries(sink.labels ?? {}),
    };
  });
}

function urlOf(sink: SinkData): ValueSource | undefined {
  if (sink.url !== undefined) return { kind: "literal", value: sink.url };
  if (sink.url_env !== undefined) return { kind: "env", name: sink.url_env };
  if (sink.url_file !== undefined) return { kind: "file", path: sink.url_file };
  return undefined;
}

function tokenOf(sink: SinkData): SecretSource | undefined {
  if (sink.token_env !== undefined) return { kind: "env", name: sink.token_env };
  if (sink.token_file !== undefined) return { kind: "file", path: sink.token_file };
  return undefined;
}
