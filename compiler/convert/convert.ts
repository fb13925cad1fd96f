import { checkDocument } from "../frontend/config-document.js";
import { formOf, readConfigDocument, type ConfigForm } from "../frontend/parse-config.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source/source-file.js";
import { printDsl } from "./print-dsl.js";
import { printYaml } from "./print-yaml.js";

/**
 * `convert`: a config in the other form (or `to`). The source must pass the schema, so what is
 * printed means what was read; the graph and the prebuilts are not checked, so a config that is
 * still being written converts too.
 */
export function convertSource(
  file: SourceFile,
  bag: DiagnosticBag,
  to: ConfigForm = formOf(file.path) === "hyp" ? "yaml" : "hyp",
): string | undefined {
  const document = readConfigDocument(file, bag);
  const checked = document && checkDocument(document, bag);
  if (checked === undefined || bag.hasErrors) return undefined;
  return to === "hyp" ? printDsl(checked) : printYaml(checked);
}
