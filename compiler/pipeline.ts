import { check } from "./check/check.js";
import type { CompilerHost } from "./check/host.js";
import { linkImports } from "./check/imports.js";
import { generateRunner, type GenerateOptions } from "./codegen/generate-runner.js";
import { DiagnosticBag, type Diagnostic } from "./diagnostics/diagnostic.js";
import { inSourceWords, parseConfig } from "./frontend/parse-config.js";
import type { Library } from "./library/library.js";
import type { Program } from "./model/model.js";
import type { SourceFile } from "./source/source-file.js";

export interface CompileResult {
  /** Errors and warnings, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly program: Program | undefined;
  /** The runner text; absent when there were errors. */
  readonly runner: string | undefined;
  /** The library the config compiled against (the stdlib and its imported packs), when valid. */
  readonly library?: Library | undefined;
}

/**
 * text -> front end -> model -> (imports linked into the library) -> check -> codegen. Pure: the
 * host and library carry all I/O.
 */
export function compileSource(
  file: SourceFile,
  library: Library,
  host: CompilerHost,
  options: GenerateOptions & { readonly emit?: boolean },
): CompileResult {
  const bag = new DiagnosticBag();
  const config = parseConfig(file, bag);
  const linked = config && linkImports(config, library, host, bag);
  const program = config && linked && check(config, linked.library, host, bag, linked.imported);
  const ok = program !== undefined && linked !== undefined && !bag.hasErrors;
  const runner = ok && options.emit !== false ? generateRunner(program, linked.library, options) : undefined;
  return { diagnostics: inSourceWords(bag.sorted()), program: ok ? program : undefined, runner, library: ok ? linked.library : undefined };
}
