import { GRAPH_FORMATS, renderGraph, type GraphFormat } from "../../graph/graph.js";
import { compileConfigFile } from "../compile-config.js";
import { type CliIo, ExitCode } from "../io.js";
import { writeOutput } from "../write-output.js";

export interface GraphOptions {
  readonly format?: string;
  readonly output?: string;
}

/**
 * `graph <config> [--format mermaid|dot] [-o FILE]`: the chains as a picture (docs/graph.md).
 * A config with errors gets the same diagnostics and exit status as `validate`.
 */
export function graphCommand(io: CliIo, config: string, options: GraphOptions): number {
  const format = options.format ?? "mermaid";
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
    io.stderr.write(`hypothecary: graph --format takes ${GRAPH_FORMATS.join(" or ")}, not ${format}\n`);
    return ExitCode.usage;
  }
  const result = compileConfigFile(io, config, false);
  if (!result?.program) return ExitCode.inputErrors;
  const text = renderGraph(result.program, format as GraphFormat);
  return writeOutput(io, text, { ...(options.output === undefined ? {} : { output: options.output }), redo: "" });
}
