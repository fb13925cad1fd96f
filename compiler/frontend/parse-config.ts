import type { Diagnostic, DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";
import type { SourceFile } from "../source/source-file.js";
import { modelOf, type ConfigDocument } from "./config-document.js";
import { inDslWords } from "./dsl/dsl-words.js";
import { readDslDocument } from "./dsl/parse-dsl.js";
import { readYamlDocument } from "./yaml/parse-yaml.js";

export type ConfigForm = "yaml" | "hyp";

/** A `.hyp` file is the DSL; anything else is read as YAML, the canonical form. */
export function formOf(path: string): ConfigForm {
  return path.toLowerCase().endsWith(".hyp") ? "hyp" : "yaml";
}

export function readConfigDocument(file: SourceFile, bag: DiagnosticBag): ConfigDocument | undefined {
  return formOf(file.path) === "hyp" ? readDslDocument(file, bag) : readYamlDocument(file, bag);
}

/** Either front end, then the shared schema: text to the unchecked model. */
export function parseConfig(file: SourceFile, bag: DiagnosticBag): ConfigModel | undefined {
  const document = readConfigDocument(file, bag);
  return document && modelOf(document, bag);
}

/**
 * The shared schema and checks word their diagnostics for YAML (`trigger_timeout`,
 * `child_name: skip-to-end`); about a .hyp file, they say it in the DSL's words (`timeout`,
 * `-> stop`). Applied once, where a stage hands its diagnostics to the user.
 */
export function inSourceWords(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((diagnostic) => (formOf(diagnostic.file.path) === "hyp" ? inDslWords(diagnostic) : diagnostic));
}
