import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF } from "./chevrotain.js";
import * as T from "./tokens.js";

/**
 * Parser errors in the user's words: what was expected, after what, and what is there instead
 * ("expected a duration like `30s` after `timeout`, not `30`"). chevrotain's own messages name
 * token types and grammar rules, which mean nothing to the person reading them. The help line
 * (an example, a did-you-mean) is added where the error is reported: see `helpFor` in
 * parse-dsl.ts, which uses `WANTED_AFTER`'s examples.
 */

/** What each kind of token is, for "expected …". */
function describe(type: TokenType): string {
  switch (type) {
    case T.Duration:
      return "a duration like `30s`";
    case T.StringLiteral:
    case T.QuotedString:
      return 'text in double quotes, like `"…"`';
    case T.NumberLiteral:
      return "a number";
    case T.Word:
      return "a word";
    case T.Arrow:
      return "`->`";
    case T.Comma:
      return "`,`";
    case T.Equals:
      return "`=`";
    case T.RBracket:
      return "`]` to close the list";
    case T.RBrace:
      return "`}` to close the group";
    case EOF:
      return "the end of the file";
    default:
      return `\`${keywordOf(type) ?? type.name}\``;
  }
}

function keywordOf(type: TokenType): string | undefined {
  return T.KEYWORDS.includes(type) ? String(type.PATTERN).slice(1, -1) : undefined;
}

/** What a keyword wants next, and that part written right, for the help line. */
export const WANTED_AFTER: Readonly<Record<string, { readonly what: string; readonly example?: string }>> = {
  shell: { what: "a command in double quotes", example: 'shell "curl -fsS http://127.0.0.1:8080/healthz"' },
  script: { what: "the script's path in double quotes", example: 'script "./renew.sh"' },
  exec: { what: "a command in double quotes", example: 'exec "test -f /tmp/ready"' },
  hypothesis: { what: "the hypothesis in double quotes", example: 'hypothesis "the disk is full"' },
  import: { what: "the pack to import in double quotes", example: 'import "./packs/db"' },
  timeout: { what: "a duration like `30s`" },
  every: { what: "a duration like `5m`" },
  cooldown: { what: "a duration like `60s`" },
  version: { what: "the version number `1`" },
  service: { what: "the service's name", example: "service payments" },
  sink: { what: "the sink's type: `splunk_hec`, `datadog`, `loki`, `webhook` or `slack`" },
};

export const TRIGGERS = "`liveness failure`, `readiness failure`, `startup failure`, `periodic` or `manual`";

function after(previous: IToken | undefined): string {
  return previous === undefined || previous.image === "" ? "" : ` after \`${previous.image}\``;
}

/**
 * Whether the parser looked past the end of the line for what it wanted: newlines are only
 * whitespace to the grammar, but a person reads `on liveness` + newline as a line missing a
 * word, not as a next line that starts wrong. Such an error points at the end of the line.
 */
export function endsTheLine(actual: IToken, previous: IToken | undefined): boolean {
  if (previous === undefined || actual.tokenType === EOF || Number.isNaN(actual.startOffset)) return false;
  return (actual.startLine ?? 0) > (previous.endLine ?? previous.startLine ?? 0);
}

function found(actual: IToken, previous: IToken | undefined): string {
  if (actual.tokenType === EOF) return ", but the file ends here";
  if (endsTheLine(actual, previous)) return ", but the line ends here";
  return `, not \`${actual.image}\``;
}

/** What a rule wants when none of its alternatives fits. */
function wantedInRule(ruleName: string, previous: IToken | undefined): string | undefined {
  const prev = previous?.image;
  switch (ruleName) {
    case "probeStatement":
      return prev === "probe"
        ? "the probe's kind: `liveness`, `readiness` or `startup`"
        : 'the probe\'s check: `exec "command"`, `http port …` or `tcp port …`';
    case "pluginStatement":
      return 'what the plugin runs: `shell "command"`, `script "path"` or `prebuilt`';
    case "trigger":
      return `a trigger: ${TRIGGERS}`;
    case "response":
      return "a response like `http_2xx`, `failure`, `exit_3` or `not_timeout`";
    case "name":
      if (prev === "service") return "the service's name";
      if (prev === "plugin") return "the plugin's name";
      return "a name";
    case "key":
      return "a setting's name";
    case "parameter":
      return "a parameter's name";
    case "value":
    case "scalar":
      return "a value: a word, a number, a duration, text in double quotes, `[…]` or `{…}`";
    case "clause":
      // The only choice inside a clause is what follows `when RESPONSE ->`.
      return prev === "->" ? "the plugin to run next, or `stop`," : "a plugin clause";
    default:
      return undefined;
  }
}

export const dslErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const prev = previous?.image ?? "";
    const words =
      (expected === T.StringLiteral || expected === T.Duration || expected === T.NumberLiteral || expected === T.Word
        ? WANTED_AFTER[prev]?.what
        : undefined) ??
      (expected === T.Failure ? "`failure`" : undefined) ??
      (ruleName === "name" ? wantedInRule("name", previous) : undefined) ??
      describe(expected);
    return `expected ${words}${after(previous)}${found(actual, previous)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected \`${firstRedundant.image}\``;
  },
  buildNoViableAltMessage({ actual, previous, ruleName }) {
    const token = actual[0]!;
    const words = wantedInRule(ruleName, previous) ?? "something else";
    return `expected ${words}${after(previous)}${found(token, previous)}`;
  },
  buildEarlyExitMessage({ actual, previous, ruleName }) {
    const token = actual[0]!;
    const words = ruleName === "clause" ? `a trigger: ${TRIGGERS}` : ruleName === "setting" || ruleName === "parameter" ? "a value" : "more";
    return `expected ${words}${after(previous)}${found(token, previous)}`;
  },
};
