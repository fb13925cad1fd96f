import { parseAllDocuments } from "yaml";
import { Codes } from "../../diagnostics/codes.js";
import type { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import type { ConfigModel } from "../../model/model.js";
import { span, type SourceFile } from "../../source/source-file.js";
import { buildModel } from "./build-model.js";
import { reportIssues } from "./issues.js";
import { configSchema } from "./schema.js";
import { reportDuplicateKeys, reportNotText, reportSyntax } from "./syntax.js";
import { YamlTree } from "./yaml-tree.js";

/** A config needs no aliases to speak of; a low cap stops "billion laughs" files early. */
const MAX_ALIAS_COUNT = 100;

/**
 * The YAML front end: text to `ConfigModel`. Reports every problem it can find in one pass —
 * syntax errors, duplicate keys, then every shape problem zod finds — and returns `undefined`
 * when there was any error, because check on a half-understood config would only add noise.
 */
export function parseYamlConfig(file: SourceFile, bag: DiagnosticBag): ConfigModel | undefined {
  if (reportNotText(file, bag)) return undefined;

  const docs = parseAllDocuments(file.text, {
    // Duplicates are found by `reportDuplicateKeys`, which can also say where the first one is.
    uniqueKeys: false,
    stringKeys: true,
    prettyErrors: false,
    logLevel: "silent",
  });
  if (reportSyntax(file, docs, bag)) return undefined;
  const doc = docs[0];
  const duplicates = doc !== undefined && reportDuplicateKeys(file, doc, bag);

  let value: unknown;
  try {
    value = doc?.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // toJS throws only for alias trouble (too many expansions); say so at the start of the file.
    const message = error instanceof Error ? error.message : String(error);
    bag.error(Codes.YamlSyntax, file, span(0), `cannot read this YAML: ${message}`);
    return undefined;
  }
  // An empty file (or one with only comments) is a config with nothing in it: check says so.
  if (value === undefined || value === null) value = {};

  const tree = new YamlTree(doc, span(0, file.text.length));
  const result = configSchema.safeParse(value);
  if (!result.success) {
    reportIssues(result.error.issues, configSchema, tree, file, bag);
    return undefined;
  }
  if (duplicates) return undefined;
  return buildModel(result.data, tree, file);
}
