import { compileConfigFile } from "../compile-config.js";
import { type CliIo, ExitCode } from "../io.js";

/** `validate <config>`: every diagnostic, and a one-line confirmation when there are no errors. */
export function validateCommand(io: CliIo, config: string): number {
  const result = compileConfigFile(io, config, false);
  if (!result?.program) return ExitCode.inputErrors;
  const count = result.program.plugins.length;
  io.stdout.write(`${config}: ok, ${count} plugin${count === 1 ? "" : "s"}\n`);
  return ExitCode.ok;
}
