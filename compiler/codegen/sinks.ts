import type { Program } from "../model/model.js";
import type { CheckedSink } from "../model/sinks.js";
import { formatSeconds } from "../model/duration.js";
import { commentSafe, shellQuote } from "./shell-quote.js";

/**
 * The runner's sink blocks: `hyp_sink_N` sets sink N's attributes for runtime/sinks.sh, the way
 * `hyp_plugin_N` does for a plugin. Secrets appear only by name (`hyp_sink_token_env`) or path
 * (`hyp_sink_token_file`): the runner reads them when it delivers, never at compile time.
 */
export function sinkBlocks(program: Program, source: (line: number) => string): string[] {
  if (program.sinks.length === 0) return [];
  const out = ["", "# ---- sinks ----"];
  for (const sink of program.sinks) out.push("", ...sinkBlock(sink, source(sink.line)));
  return out;
}

/** `HYP_SINKS='1 2'`: the settings line naming the sinks, when there are any. */
export function sinkSetting(program: Program): string[] {
  return program.sinks.length === 0 ? [] : [`HYP_SINKS=${shellQuote(program.sinks.map((s) => s.index).join(" "))}`];
}

function sinkBlock(sink: CheckedSink, source: string): string[] {
  const url = sink.url;
  const literal = (name: string, value: string): string => `${name}=${shellQuote(value)}`;
  const headers = sink.headers.map(([name, value]) => `${name}: ${value}`).join("\n");
  const userText = [
    sink.name,
    url.kind === "literal" ? url.value : url.kind === "env" ? url.name : url.path,
    sink.token?.kind === "file" ? sink.token.path : "",
    headers,
    ...sink.fields.map(([, value]) => value),
  ].join("");
  const secs = formatSeconds(sink.timeoutMs);
  return [
    `# ${source}sink ${commentSafe(sink.name)}`,
    ...(/[$`'"\\]/.test(userText) ? ["# shellcheck disable=SC1003,SC2016,SC2089 # the user's text, literal by design"] : []),
    `hyp_sink_${sink.index}() {`,
    `  ${literal("hyp_sink_name", sink.name)} hyp_sink_type=${sink.type} hyp_sink_timeout=${secs} hyp_sink_retries=${sink.retries}`,
    `  ${literal("hyp_sink_url", url.kind === "literal" ? url.value : "")} ${literal("hyp_sink_url_env", url.kind === "env" ? url.name : "")} ${literal("hyp_sink_url_file", url.kind === "file" ? url.path : "")}`,
    `  ${literal("hyp_sink_token_env", sink.token?.kind === "env" ? sink.token.name : "")} ${literal("hyp_sink_token_file", sink.token?.kind === "file" ? sink.token.path : "")}`,
    `  ${literal("hyp_sink_headers", headers)}`,
    ...(sink.fields.length > 0
      ? [`  ${sink.fields.map(([name, value]) => literal(`hyp_sink_${name}`, value)).join(" ")}`]
      : []),
    "}",
  ];
}

