import type { LibraryComments } from "../codegen/tree-shake.js";
import { renderDiagnostics } from "../diagnostics/render.js";
import { compileSource, type CompileResult } from "../pipeline.js";
import { type CliIo, useColor } from "./io.js";
import { loadLibrary, packageVersion } from "./load-library.js";
import { loadConfig, nodeHost } from "./node-host.js";

/**
 * Reads and compiles a config for a command, printing its diagnostics on stderr. Undefined when
 * the file could not be read at all (already reported).
 */
export function compileConfigFile(
  io: CliIo,
  path: string,
  emit = true,
  options: { readonly sourceLines?: boolean; readonly libraryComments?: LibraryComments } = {},
): CompileResult | undefined {
  const loaded = loadConfig(io.cwd, path);
  if ("error" in loaded) {
    io.stderr.write(`hypothecary: ${loaded.error}\n`);
    return undefined;
  }
  const result = compileSource(loaded.file, loadLibrary(), nodeHost(loaded.absolutePath, io.cwd), {
    compilerVersion: packageVersion(),
    emit,
    sourceLines: options.sourceLines === true,
    ...(options.libraryComments === undefined ? {} : { libraryComments: options.libraryComments }),
  });
  if (result.diagnostics.length > 0) io.stderr.write(renderDiagnostics(result.diagnostics, { color: useColor(io) }));
  return result;
}
