import { parseAllDocuments } from "yaml";
import { Codes } from "../../diagnostics/codes.js";
import type { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import type { ConfigDocument } from "../config-document.js";
import { span, type SourceFile } from "../../source/source-file.js";
import { yamlComments } from "./comments.js";
import { reportDuplicateKeys, reportNotText, reportSyntax } from "./syntax.js";
import { YamlTree } from "./yaml-tree.js";

/** A config needs no aliases to speak of; a low cap stops "billion laughs" files early. */
const MAX_ALIAS_COUNT = 100;

/**
 * The YAML front end: text to the config's plain value and a tree that knows where each part
 * was written. Reports every problem it can find in one pass (syntax errors, duplicate keys) and
 * returns `undefined` when there was one, because the schema on a half-read file is only noise.
 */
export function readYamlDocument(file: SourceFile, bag: DiagnosticBag): ConfigDocument | undefined {
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
  // The schema still runs after duplicate keys, so one pass shows every problem.
  return { file, value, tree, comments: yamlComments(file, doc), complete: !duplicates };
}
