import { readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { CompilerHost } from "../check/host.js";
import { SourceFile } from "../source/source-file.js";

/** Reads the files a config names, relative to the config's own folder. */
export function nodeHost(configAbsolutePath: string): CompilerHost {
  const base = dirname(configAbsolutePath);
  return {
    readRelative(path: string): Uint8Array | undefined {
      try {
        return readFileSync(isAbsolute(path) ? path : resolve(base, path));
      } catch {
        return undefined;
      }
    },
  };
}

export interface LoadedConfig {
  readonly file: SourceFile;
  readonly absolutePath: string;
}

/**
 * Reads a config. Its display path is relative to the working directory, with `/` separators,
 * so diagnostics and the runner header never carry an absolute path.
 */
export function loadConfig(cwd: string, path: string): LoadedConfig | { error: string } {
  const absolutePath = resolve(cwd, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(code ?? error);
    return { error: `cannot read ${path}: ${why}` };
  }
  const display = relative(cwd, absolutePath).split(sep).join("/") || path;
  return { file: new SourceFile(display, bytes.toString("utf8")), absolutePath };
}
