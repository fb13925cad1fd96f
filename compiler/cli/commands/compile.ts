import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { compileConfigFile } from "../compile-config.js";
import { type CliIo, ExitCode } from "../io.js";

export interface CompileOptions {
  readonly output?: string;
  readonly check?: boolean;
}

/**
 * `compile <config> [-o FILE] [--check]`. On any error nothing is written and an existing FILE is
 * left as it was; the new runner replaces FILE by rename, so a reader never sees half of one.
 */
export function compileCommand(io: CliIo, config: string, options: CompileOptions): number {
  if (options.check && !options.output) {
    io.stderr.write("hypothecary: compile --check needs -o FILE: the runner to compare with\n");
    return ExitCode.usage;
  }
  const result = compileConfigFile(io, config);
  if (!result?.runner) return ExitCode.inputErrors;

  if (!options.output) {
    io.stdout.write(result.runner);
    return ExitCode.ok;
  }
  const target = resolve(io.cwd, options.output);
  if (options.check) {
    let current: string | undefined;
    try {
      current = readFileSync(target, "utf8");
    } catch {
      current = undefined;
    }
    if (current === result.runner) return ExitCode.ok;
    const why = current === undefined ? "does not exist" : "is out of date";
    io.stderr.write(`hypothecary: ${options.output} ${why}; run: hypothecary compile ${config} -o ${options.output}\n`);
    return ExitCode.inputErrors;
  }
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, result.runner, { mode: 0o755 });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    io.stderr.write(`hypothecary: cannot write ${options.output}: ${(error as Error).message}\n`);
    return ExitCode.inputErrors;
  }
  return ExitCode.ok;
}
