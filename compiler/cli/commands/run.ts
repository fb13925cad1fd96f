import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileConfigFile } from "../compile-config.js";
import { type CliIo, ExitCode } from "../io.js";

/**
 * `run <config> [runner args]`: compiles to a temporary runner and runs it with `sh`; the runner
 * arguments default to `run`. Exits with the runner's status.
 */
export async function runCommand(io: CliIo, config: string, runnerArgs: readonly string[]): Promise<number> {
  const result = compileConfigFile(io, config);
  if (!result?.runner) return ExitCode.inputErrors;
  const folder = mkdtempSync(join(tmpdir(), "hypothecary-"));
  const runner = join(folder, "runner.sh");
  try {
    writeFileSync(runner, result.runner, { mode: 0o755 });
    return await new Promise<number>((done, fail) => {
      const child = spawn("sh", [runner, ...(runnerArgs.length > 0 ? runnerArgs : ["run"])], {
        cwd: io.cwd,
        env: io.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.pipe(io.stdout, { end: false });
      child.stderr.pipe(io.stderr, { end: false });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInt = forward("SIGINT");
      const onTerm = forward("SIGTERM");
      process.on("SIGINT", onInt).on("SIGTERM", onTerm);
      child.on("error", fail);
      child.on("close", (code, signal) => {
        process.off("SIGINT", onInt).off("SIGTERM", onTerm);
        done(code ?? (signal ? 128 + signalNumber(signal) : 1));
      });
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}
