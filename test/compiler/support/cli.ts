import { PassThrough } from "node:stream";
import { main } from "../../../compiler/cli/main.js";

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `hypothecary` program in-process with captured stdio, which may claim to be a terminal. */
export async function runCli(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = { NO_COLOR: "1" },
  { isTTY = false }: { isTTY?: boolean } = {},
): Promise<CliRun> {
  const capture = () => {
    const stream = Object.assign(new PassThrough(), { isTTY });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
  };
  const out = capture();
  const err = capture();
  const status = await main(argv, { stdout: out.stream, stderr: err.stream, cwd, env });
  return { status, stdout: out.text(), stderr: err.text() };
}
