import type { z } from "zod";
import { Codes } from "../../diagnostics/codes.js";
import type { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../../diagnostics/did-you-mean.js";
import type { SourceFile } from "../../source/source-file.js";
import type { IssueParams } from "./fields.js";
import { keysAt, parentKeyOf } from "./schema-keys.js";
import type { DocumentTree, Path } from "../document-tree.js";

/**
 * Turns zod issues into located diagnostics. Issues our field schemas raised (`IssueParams`)
 * keep their code and words; zod's own issues get words from the path and from what the user
 * actually wrote, e.g. "`parallel` must be true or false, not the text `yes`".
 */
export function reportIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
  tree: DocumentTree,
  file: SourceFile,
  bag: DiagnosticBag,
): void {
  const typos = misspeltKeys(issues, schema);
  const outside = keysOutsideMissingKey(issues, schema, tree);
  const reportMissingKey = (path: Path, help: string | undefined) => {
    const stray = outside.get(pathKey(path));
    if (stray !== undefined) reportUnwrapped(path, stray, tree, file, bag);
    else if (!typos.has(pathKey(path))) reportMissing(path, help, tree, file, bag);
  };
  for (const issue of issues) {
    const path = issue.path;
    switch (issue.code) {
      case "custom": {
        const params = (issue.params as { hyp?: IssueParams } | undefined)?.hyp;
        if (params?.missingKey !== undefined && typos.has(pathKey([...path, params.missingKey]))) break;
        const at =
          params?.at === "key" ? tree.keySpan(path) : params?.code === Codes.MissingKey ? tree.anchorSpan(path) : tree.valueSpan(path);
        bag.error(params?.code ?? Codes.InvalidValue, file, at, issue.message, withHelp(params?.help));
        break;
      }
      case "unrecognized_keys":
        for (const key of issue.keys) {
          const home = parentKeyOf(schema, path, key);
          // Reported once, with the missing key they belong under.
          if (home !== undefined && outside.get(pathKey([...path, home]))?.includes(key)) continue;
          reportUnknownKey(key, path, schema, tree, file, bag);
        }
        break;
      case "invalid_type":
        if (!tree.has(path)) {
          reportMissingKey(path, undefined);
        } else {
          reportWrongType(issue.expected, path, tree, file, bag);
        }
        break;
      case "invalid_value": {
        const choices = issue.values.map((v) => `\`${String(v)}\``);
        const wanted = choices.length === 1 ? choices[0]! : `one of ${choices.join(", ")}`;
        if (!tree.has(path)) {
          reportMissingKey(path, `${labelOf(path)} is ${wanted}`);
          break;
        }
        const written = tree.scalarText(path);
        const found = written === undefined ? tree.describe(path) : `\`${written}\``;
        // With one choice there is nothing to suggest: the message already names it.
        const help = written === undefined || choices.length === 1 ? undefined : didYouMean(written, issue.values.map(String));
        bag.error(Codes.InvalidValue, file, tree.valueSpan(path), `${labelOf(path)} must be ${wanted}, not ${found}`, withHelp(help));
        break;
      }
      default:
        // Not raised by our schemas today; keep zod's words rather than lose the problem.
        bag.error(Codes.InvalidValue, file, tree.valueSpan(path), `${labelOf(path)}: ${issue.message}`);
    }
  }
}

/**
 * Keys that are missing only because the user misspelt them (`respones:` for `response:`): the
 * unknown key's "did you mean" already says it all, so "no `response`" would be noise.
 */
function misspeltKeys(issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType): Set<string> {
  const missing = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const allowed = keysAt(schema, issue.path);
    for (const key of issue.keys) {
      if (parentKeyOf(schema, issue.path, key) !== undefined) continue;
      const meant = closest(key, allowed);
      if (meant !== undefined) missing.add(pathKey([...issue.path, meant]));
    }
  }
  return missing;
}

/**
 * Keys written one level too high, beside the key they belong under, which is missing:
 * `- name: api` for `- plugin: { name: api }`. One error says it better than one per key.
 */
function keysOutsideMissingKey(issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType, tree: DocumentTree): Map<string, string[]> {
  const missing = new Set(
    issues
      .filter((issue) => (issue.code === "invalid_type" || issue.code === "invalid_value") && !tree.has(issue.path))
      .map((issue) => pathKey(issue.path)),
  );
  const outside = new Map<string, string[]>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) {
      const home = parentKeyOf(schema, issue.path, key);
      const where = home === undefined ? undefined : pathKey([...issue.path, home]);
      if (where === undefined || !missing.has(where)) continue;
      outside.set(where, [...(outside.get(where) ?? []), key]);
    }
  }
  return outside;
}

function reportUnwrapped(path: Path, stray: readonly string[], tree: DocumentTree, file: SourceFile, bag: DiagnosticBag): void {
  const key = String(path[path.length - 1]);
  const keys = stray.map((k) => `\`${k}\``);
  const list = keys.length === 1 ? keys[0]! : `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]!}`;
  bag.error(Codes.MissingKey, file, tree.anchorSpan(path.slice(0, -1)), `${ownerOf(path)} has no \`${key}\`: ${list} belong under it`, {
    help: `write \`${key}:\` and indent ${list} under it`,
  });
}

function pathKey(path: Path): string {
  return JSON.stringify(path.map(String));
}

function reportMissing(path: Path, help: string | undefined, tree: DocumentTree, file: SourceFile, bag: DiagnosticBag): void {
  const key = String(path[path.length - 1]);
  bag.error(Codes.MissingKey, file, tree.anchorSpan(path.slice(0, -1)), `${ownerOf(path)} has no \`${key}\``, withHelp(help));
}

function reportUnknownKey(key: string, path: Path, schema: z.core.$ZodType, tree: DocumentTree, file: SourceFile, bag: DiagnosticBag): void {
  const allowed = keysAt(schema, path);
  const home = parentKeyOf(schema, path, key);
  // Knowing where the key belongs beats a spelling guess: `trigger_type` is not a typo of `trigger`.
  const help =
    (home === undefined ? undefined : `\`${key}\` belongs under \`${home}:\``) ??
    didYouMean(key, allowed) ??
    (allowed.length > 0 ? `the keys allowed here are ${allowed.join(", ")}` : undefined);
  const where = path.length === 0 ? "" : ` in ${placeOf(path)}`;
  bag.error(Codes.UnknownKey, file, tree.keySpan([...path, key]), `unknown key \`${key}\`${where}`, withHelp(help));
}

const EXPECTED_WORDS: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

function reportWrongType(expected: string, path: Path, tree: DocumentTree, file: SourceFile, bag: DiagnosticBag): void {
  const wanted = EXPECTED_WORDS[expected] ?? expected;
  const found = tree.describe(path);
  const message =
    found === "empty"
      ? `${labelOf(path)} is empty: it must be ${wanted}`
      : `${labelOf(path)} must be ${wanted}, not ${found}`;
  bag.error(Codes.WrongType, file, tree.valueSpan(path), message, withHelp(wrongTypeHelp(expected, path, tree, found)));
}

function wrongTypeHelp(expected: string, path: Path, tree: DocumentTree, found: string): string | undefined {
  const written = tree.scalarText(path);
  const key = path[path.length - 1];
  if (key === "response" && written !== undefined && /^\d+$/.test(written)) {
    const status = Number(written);
    return `did you mean \`${status >= 100 && status <= 599 ? "http" : "exit"}_${written}\`?`;
  }
  if (expected === "string" && (found.startsWith("the number") || found.startsWith("`"))) {
    return `quote it to make it text: \`"${written ?? ""}"\``;
  }
  if (expected === "boolean" && written !== undefined && /^(true|false)$/i.test(written)) {
    return `remove the quotes: \`${written.toLowerCase()}\``;
  }
  if (expected === "boolean" && written !== undefined && /^(yes|no|on|off|y|n)$/i.test(written)) {
    return "write `true` or `false` (YAML 1.2 reads other words as text)";
  }
  if (path.length === 0) return "a config is a mapping of keys such as `service:` and `plugins:`";
  if (expected === "array" && found === "a mapping") return "start each entry of the list with `- `";
  return undefined;
}

/** "`trigger_interval`", "each entry of `to`", "the config". */
function labelOf(path: Path): string {
  const last = path[path.length - 1];
  if (last === undefined) return "the config";
  if (typeof last === "number") return `each entry of \`${String(path[path.length - 2] ?? "")}\``;
  return `\`${String(last)}\``;
}

/** The mapping at `path` in words: "`plugin`", "this entry of `conditionals`", "the config". */
function placeOf(path: Path): string {
  const last = path[path.length - 1];
  if (last === undefined) return "the config";
  if (typeof last === "number") return `this entry of \`${String(path[path.length - 2] ?? "")}\``;
  return `\`${String(last)}\``;
}

/** The mapping a missing key belongs to. */
function ownerOf(path: Path): string {
  return placeOf(path.slice(0, -1));
}

function withHelp(help: string | undefined): { help?: string } {
  return help === undefined ? {} : { help };
}
