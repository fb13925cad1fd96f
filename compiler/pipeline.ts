import { check } from "./check/check.js";
import type { CompilerHost } from "./check/host.js";
import { linkImports } from "./check/imports.js";
import { generateRunner } from "./codegen/generate-runner.js";
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
}

/**
 * text -> front end -> model -> (imports linked into the library) -> check -> codegen. Pure: the
 * host and library carry all I/O.
 */
export function compileSource(
  file: SourceFile,
  library: Library,
  host: CompilerHost,
  options: { compilerVersion: string; emit?: boolean; sourceLines?: boolean },
): CompileResult {
  const bag = new DiagnosticBag();
  const config = parseConfig(file, bag);
  const linked = config && linkImports(config, library, host, bag);
  const program = config && linked && check(config, linked.library, host, bag, linked.imported);
  const ok = program !== undefined && linked !== undefined && !bag.hasErrors;
  const runner = ok && options.emit !== false ? generateRunner(program, linked.library, options) : undefined;
  return { diagnostics: inSourceWords(bag.sorted()), program: ok ? program : undefined, runner };
}

/**
 * The library a config compiles against: the stdlib plus the plugin packs it imports. For
 * `plugins --config`, which lists a pack's prebuilts without compiling the config's plugins.
 */
export function libraryOf(
  file: SourceFile,
  library: Library,
  host: CompilerHost,
): { readonly library: Library | undefined; readonly diagnostics: readonly Diagnostic[] } {
  const bag = new DiagnosticBag();
  const config = parseConfig(file, bag);
  const linked = config && linkImports(config, library, host, bag);
  return { library: bag.hasErrors ? undefined : linked?.library, diagnostics: inSourceWords(bag.sorted()) };
}
