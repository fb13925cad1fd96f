/** What a command may touch of the process: injected so tests run commands in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export const ExitCode = { ok: 0, inputErrors: 1, usage: 2 } as const;

/**
 * Colour only on a terminal, and never with NO_COLOR set to anything but the empty string
 * (https://no-color.org: "when present and not an empty string").
 */
export function useColor(io: CliIo): boolean {
  const noColor = io.env["NO_COLOR"];
  return Boolean(io.stderr.isTTY) && (noColor === undefined || noColor === "");
}
