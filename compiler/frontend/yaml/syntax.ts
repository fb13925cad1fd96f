import { isScalar, visit, type Document, type Scalar, type YAMLError } from "yaml";
import { Codes } from "../../diagnostics/codes.js";
import type { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import { span, type SourceFile } from "../../source/source-file.js";
import { nodeSpan } from "./yaml-tree.js";

/**
 * Problems with the file as YAML, before its meaning is looked at. Each returns whether it
 * found an error, so the caller can stop where going on would only produce noise.
 */

/**
 * A binary file, or one that is not UTF-8, is not a config. The CLI decodes leniently, so
 * invalid UTF-8 arrives as U+FFFD; a NUL byte is never part of a text file.
 */
export function reportNotText(file: SourceFile, bag: DiagnosticBag): boolean {
  const nul = file.text.indexOf("\u0000");
  if (nul >= 0) {
    bag.error(Codes.NotText, file, span(nul, nul + 1), "this file is not text: it contains a NUL byte", {
      help: "a config is a YAML text file; is this the right file?",
    });
    return true;
  }
  const replacement = file.text.indexOf("\uFFFD");
  if (replacement >= 0) {
    bag.error(Codes.NotText, file, span(replacement, replacement + 1), "this file is not valid UTF-8 text", {
      help: "save the config as UTF-8",
    });
    return true;
  }
  return false;
}

const SYNTAX_HELP: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: "indent with spaces: YAML does not allow tabs there",
  BAD_INDENT: "check that this line is indented like its siblings",
  MULTILINE_IMPLICIT_KEY: "a key and its `:` must be on one line; is a `:` or an indent missing?",
  BLOCK_AS_IMPLICIT_KEY: "a key and its `:` must be on one line; is a `:` or an indent missing?",
};

export function reportSyntax(file: SourceFile, docs: readonly Document.Parsed[], bag: DiagnosticBag): boolean {
  let found = false;
  // yaml often reports one mistake twice from the same place; the first says it best.
  const seen = new Set<number>();
  const report = (doc: Document.Parsed, problem: YAMLError, severity: "error" | "warning") => {
    // yaml may place a problem at the end of the text one past its last character (found by
    // test/compiler/fuzz-configs.test.ts): a span stays inside the file.
    const [start, end] = problem.pos.map((at) => Math.min(at, file.text.length)) as [number, number];
    if (seen.has(start)) return;
    seen.add(start);
    let where = span(start, end);
    let message = lowerFirst(problem.message);
    let help = SYNTAX_HELP[problem.code];
    const quote = /^Missing closing (["'])quote/.exec(problem.message)?.[1];
    const opening = quote === undefined ? undefined : openingQuoteBefore(doc, start);
    if (quote !== undefined && opening !== undefined) {
      // yaml reports where it ran out of text, often the end of the file; the mistake is where
      // the string began.
      where = span(opening, opening + 1);
      message = `this string has no closing \`${quote}\``;
      help = undefined;
    } else if (/followed by map values/.test(problem.message)) {
      help = "is the `:` after the key missing? (`key: value`)";
    } else if (problem.code === "NON_STRING_KEY") {
      message = "a key must be a plain word, not a list or a mapping";
    }
    const extra = help === undefined ? {} : { help };
    if (severity === "error") bag.error(Codes.YamlSyntax, file, where, message, extra);
    else bag.warning(Codes.YamlSyntax, file, where, message, extra);
  };
  for (const doc of docs) {
    for (const problem of doc.errors) {
      report(doc, problem, "error");
      found = true;
    }
    for (const problem of doc.warnings) report(doc, problem, "warning");
  }
  const second = docs[1];
  if (second) {
    const at = second.range[0];
    bag.error(Codes.YamlSyntax, file, span(at, at + 3), "this file holds more than one YAML document", {
      help: "a config is one document: remove this `---` or move the rest into its own file",
    });
    found = true;
  }
  const first = docs[0];
  if (first) {
    visit(first, {
      Alias(_, alias) {
        if (alias.resolve(first) === undefined) {
          const name = alias.source;
          bag.error(Codes.YamlSyntax, file, nodeSpan(alias), `alias \`*${name}\` refers to no anchor \`&${name}\` before it`);
          found = true;
        }
      },
    });
  }
  return found;
}

/** YAML says a key appears once per mapping; a second one would silently win. */
export function reportDuplicateKeys(file: SourceFile, doc: Document.Parsed, bag: DiagnosticBag): boolean {
  let found = false;
  visit(doc, {
    Map(_, map) {
      const first = new Map<string, Scalar>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const earlier = first.get(key);
        if (earlier === undefined) {
          first.set(key, pair.key);
          continue;
        }
        found = true;
        bag.error(Codes.DuplicateKey, file, nodeSpan(pair.key), `duplicate key \`${key}\``, {
          notes: [{ message: "first written here", file, span: nodeSpan(earlier) }],
          help: "a mapping holds each key once; YAML would keep only the last one",
        });
      }
    },
  });
  return found;
}

/** The start of the quoted scalar that runs up to `offset` (the one left open). */
function openingQuoteBefore(doc: Document.Parsed, offset: number): number | undefined {
  let best: number | undefined;
  visit(doc, {
    Scalar(_, scalar) {
      const range = scalar.range;
      if (!range || (scalar.type !== "QUOTE_DOUBLE" && scalar.type !== "QUOTE_SINGLE")) return;
      if (range[0] < offset && range[1] >= offset && (best === undefined || range[0] > best)) best = range[0];
    },
  });
  return best;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
