import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";
import type { SourceFile, Span } from "../source/source-file.js";
import type { DocumentTree } from "./document-tree.js";
import { buildModel } from "./yaml/build-model.js";
import { reportIssues } from "./yaml/issues.js";
import { configSchema, type ConfigData } from "./yaml/schema.js";

/** A `#` comment, kept so `convert` can carry it into the other form. */
export interface SourceComment {
  /** The text after `#`, as written. */
  readonly text: string;
  readonly span: Span;
  /** Written after something on its line (`key: value  # why`), not on a line of its own. */
  readonly trailing: boolean;
}

/**
 * What a front end reads from a file before any meaning is checked: the config's plain value
 * (YAML's data model: mappings, lists, scalars) and where each part was written.
 */
export interface ConfigDocument {
  readonly file: SourceFile;
  readonly value: unknown;
  readonly tree: DocumentTree;
  readonly comments: readonly SourceComment[];
  /** False when the front end already reported an error but read on, so the schema can too. */
  readonly complete: boolean;
}

/** A document whose value the schema accepted. */
export interface CheckedDocument {
  readonly document: ConfigDocument;
  readonly data: ConfigData;
}

/** The schema, shared by both front ends: same checks, same words, same codes. */
export function checkDocument(document: ConfigDocument, bag: DiagnosticBag): CheckedDocument | undefined {
  const result = configSchema.safeParse(document.value);
  if (!result.success) {
    reportIssues(result.error.issues, configSchema, document.tree, document.file, bag);
    return undefined;
  }
  return document.complete ? { document, data: result.data } : undefined;
}

export function modelOf(document: ConfigDocument, bag: DiagnosticBag): ConfigModel | undefined {
  const checked = checkDocument(document, bag);
  return checked && buildModel(checked.data, document.tree, document.file);
}

/** Whether a line holds only whitespace before `offset`: a comment there stands on its own line. */
export function startsItsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === "\n") return true;
    if (c !== " " && c !== "\t" && c !== "\r") return false;
  }
  return true;
}
