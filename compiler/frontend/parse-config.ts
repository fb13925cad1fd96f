import type { Diagnostic, DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";
import type { SourceFile } from "../source/source-file.js";
import { modelOf, type ConfigDocument } from "./config-document.js";
import { inDslWords } from "./dsl/dsl-words.js";
import type { readDslDocument } from "./dsl/parse-dsl.js";
import { readYamlDocument } from "./yaml/parse-yaml.js";

export type ConfigForm = "yaml" | "hyp";

/** A `.hyp` file is the DSL; anything else is read as YAML, the canonical form. */
export function formOf(path: string): ConfigForm {
  return path.toLowerCase().endsWith(".hyp") ? "hyp" : "yaml";
}

/**
 * The DSL front end, once loaded. Importing chevrotain (and the lodash-es modules it loads) and
 * building the grammar is about half of a cold `compile`, and a YAML config needs none of it: so
 * it is loaded on demand, by whoever is about to read a .hyp file (the CLI, the tests' setup).
 */
let dslReader: typeof readDslDocument | undefined;

export async function loadDslFrontEnd(): Promise<void> {
  dslReader ??= (await import("./dsl/parse-dsl.js")).readDslDocument;
}

export function readConfigDocument(file: SourceFile, bag: DiagnosticBag): ConfigDocument | undefined {
  if (formOf(file.path) === "yaml") return readYamlDocument(file, bag);
  if (!dslReader) throw new Error(`internal error: ${file.path} is a .hyp file, and loadDslFrontEnd() was not called`);
  return dslReader(file, bag);
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
