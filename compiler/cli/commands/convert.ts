import { convertSource } from "../../convert/convert.js";
import { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { inSourceWords, type ConfigForm } from "../../frontend/parse-config.js";
import { type CliIo, ExitCode, useColor } from "../io.js";
import { loadConfig } from "../node-host.js";
import { writeOutput } from "../write-output.js";

export interface ConvertOptions {
  readonly output?: string;
  readonly to?: string;
  readonly check?: boolean;
}

const FORMS: readonly ConfigForm[] = ["yaml", "hyp"];

/** `convert <file> [-o FILE] [--to yaml|hyp] [--check]`: YAML to the DSL and back. */
export function convertCommand(io: CliIo, path: string, options: ConvertOptions): number {
  if (options.to !== undefined && !(FORMS as readonly string[]).includes(options.to)) {
    io.stderr.write(`hypothecary: convert --to takes yaml or hyp, not \`${options.to}\`\n`);
    return ExitCode.usage;
  }
  if (options.check && !options.output) {
    io.stderr.write("hypothecary: convert --check needs -o FILE: the converted config to compare with\n");
    return ExitCode.usage;
  }
  const loaded = loadConfig(io.cwd, path);
  if ("error" in loaded) {
    io.stderr.write(`hypothecary: ${loaded.error}\n`);
    return ExitCode.inputErrors;
  }
  const bag = new DiagnosticBag();
  const text = convertSource(loaded.file, bag, options.to as ConfigForm | undefined);
  const diagnostics = inSourceWords(bag.sorted());
  if (diagnostics.length > 0) io.stderr.write(renderDiagnostics(diagnostics, { color: useColor(io) }));
  if (text === undefined) return ExitCode.inputErrors;
  const to = options.to ? ` --to ${options.to}` : "";
  return writeOutput(io, text, { ...options, redo: `hypothecary convert ${path}${to} -o ${options.output ?? ""}` });
}
