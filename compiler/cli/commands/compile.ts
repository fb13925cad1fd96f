import { compileConfigFile } from "../compile-config.js";
import { type CliIo, ExitCode } from "../io.js";
import { writeOutput } from "../write-output.js";

export interface CompileOptions {
  readonly output?: string;
  readonly check?: boolean;
  readonly sourceLines?: boolean;
  readonly comments?: boolean;
}

/**
 * `compile <config> [-o FILE] [--check] [--source-lines] [--comments]`. On any error nothing is
 * written and an existing FILE is left as it was.
 */
export function compileCommand(io: CliIo, config: string, options: CompileOptions): number {
  if (options.check && !options.output) {
    io.stderr.write("hypothecary: compile --check needs -o FILE: the runner to compare with\n");
    return ExitCode.usage;
  }
  const result = compileConfigFile(io, config, true, {
    sourceLines: options.sourceLines === true,
    libraryComments: options.comments === true ? "all" : "none",
  });
  if (!result?.runner) return ExitCode.inputErrors;
  return writeOutput(io, result.runner, {
    ...options,
    mode: 0o755,
    redo: `hypothecary compile ${config} -o ${options.output ?? ""}`,
  });
}
