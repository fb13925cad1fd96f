import { check } from "./check/check.js";
import type { CompilerHost } from "./check/host.js";
import { generateRunner } from "./codegen/generate-runner.js";
import { DiagnosticBag, type Diagnostic } from "./diagnostics/diagnostic.js";
import { parseYamlConfig } from "./frontend/yaml/parse-yaml.js";
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

/** text -> front end -> model -> check -> codegen. Pure: the host and library carry all I/O. */
export function compileSource(
  file: SourceFile,
  library: Library,
  host: CompilerHost,
  options: { compilerVersion: string; emit?: boolean },
): CompileResult {
  const bag = new DiagnosticBag();
  const config = parseYamlConfig(file, bag);
  const program = config && check(config, library, host, bag);
  const ok = program !== undefined && !bag.hasErrors;
  const runner = ok && options.emit !== false ? generateRunner(program, library, options) : undefined;
  return { diagnostics: bag.sorted(), program: ok ? program : undefined, runner };
}
