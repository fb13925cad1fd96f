import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CliIo, ExitCode } from "./io.js";

/**
 * Where a command's output goes: stdout, FILE (replaced by rename, so a reader never sees half of
 * it, and left as it was on any error), or with `check`, only compared with FILE.
 */
export function writeOutput(
  io: CliIo,
  text: string,
  options: { readonly output?: string; readonly check?: boolean; readonly mode?: number; readonly redo: string },
): number {
  if (!options.output) {
    io.stdout.write(text);
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
    if (current === text) return ExitCode.ok;
    const why = current === undefined ? "does not exist" : "is out of date";
    io.stderr.write(`hypothecary: ${options.output} ${why}; run: ${options.redo}\n`);
    return ExitCode.inputErrors;
  }
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: options.mode ?? 0o644 });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    io.stderr.write(`hypothecary: cannot write ${options.output}: ${(error as Error).message}\n`);
    return ExitCode.inputErrors;
  }
  return ExitCode.ok;
}
