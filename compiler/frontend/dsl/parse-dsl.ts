import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import { EOF } from "./chevrotain.js";
import { Codes } from "../../diagnostics/codes.js";
import type { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import { closest } from "../../diagnostics/did-you-mean.js";
import { span, type SourceFile, type Span } from "../../source/source-file.js";
import type { ConfigDocument, SourceComment } from "../config-document.js";
import { startsItsLine } from "../config-document.js";
import { reportNotText } from "../yaml/syntax.js";
import { buildTree, tokenSpan, tokensIn } from "./build-tree.js";
import { DslTree, toValue } from "./dsl-tree.js";
import { hypParser, parseTokens } from "./grammar.js";
import { endsTheLine, WANTED_AFTER } from "./messages.js";
import { decodeString, encodeString } from "./strings.js";
import * as T from "./tokens.js";

/**
 * The .hyp front end: text to the same plain value and tree the YAML front end produces. Every
 * syntax error of the file is reported in one pass (characters, strings, grammar), each where it
 * is; a file with any of them goes no further, like a YAML file with a syntax error.
 */
export function readDslDocument(file: SourceFile, bag: DiagnosticBag): ConfigDocument | undefined {
  if (reportNotText(file, bag)) return undefined;
  const lexed = T.dslLexer.tokenize(file.text);
  if (reportYaml(file, lexed.tokens, bag)) return undefined;
  let broken = false;
  const badCharacters: Span[] = [];
  for (const error of lexed.errors) {
    broken = true;
    const where = span(error.offset, error.offset + Math.max(1, error.length));
    badCharacters.push(where);
    const { message, help } = badCharacter(file, where, lexed.tokens);
    bag.error(Codes.DslSyntax, file, where, message, { help });
  }
  broken = reportStrings(file, lexed.tokens, bag) || broken;
  const cst = parseTokens(lexed.tokens);
  broken = reportGrammar(file, lexed.tokens, cst, badCharacters, bag) || broken;
  const comments = (lexed.groups["comments"] ?? []).map((token): SourceComment => ({
    text: token.image.slice(1).replace(/\r$/, ""),
    span: tokenSpan(token),
    trailing: !startsItsLine(file.text, token.startOffset),
  }));
  if (broken) return undefined;
  const before = bag.hasErrors;
  const root = buildTree(cst, file, bag);
  return {
    file,
    value: toValue(root),
    tree: new DslTree(root, span(0, file.text.length)),
    comments,
    complete: before === bag.hasErrors,
  };
}

/**
 * A YAML config saved as `.hyp` (`service: shop`, `plugins:`) would give an error per key: say
 * once what the file is instead.
 */
function reportYaml(file: SourceFile, tokens: readonly IToken[], bag: DiagnosticBag): boolean {
  const first = tokens[0];
  if (first === undefined || first.tokenType !== T.Word || !/^[a-z_]+:$/.test(first.image)) return false;
  bag.error(Codes.DslSyntax, file, tokenSpan(first), "this file is YAML, but its name ends in `.hyp`, the DSL's", {
    help: "rename it to end in `.yaml`; `hypothecary convert NAME.yaml` then writes the same config in the DSL",
  });
  return true;
}

function reportStrings(file: SourceFile, tokens: readonly IToken[], bag: DiagnosticBag): boolean {
  let broken = false;
  for (const token of tokens) {
    if (token.tokenType === T.UnterminatedString) {
      broken = true;
      bag.error(Codes.DslBadString, file, tokenSpan(token), "this text has no closing `\"`", {
        help: 'close it on the same line; for text of several lines, use a `"""` block',
      });
      continue;
    }
    if (token.tokenType === T.UnterminatedBlock) {
      broken = true;
      const opening = span(token.startOffset, token.startOffset + 3);
      bag.error(Codes.DslBadString, file, opening, 'this `"""` block has no closing `"""`', {
        help: 'end it with `"""` on a line of its own',
      });
      continue;
    }
    if (token.tokenType !== T.QuotedString && token.tokenType !== T.BlockString) continue;
    for (const problem of decodeString(token.image).problems) {
      broken = true;
      const start = token.startOffset + problem.offset;
      bag.error(Codes.DslBadString, file, span(start, start + problem.length), problem.message, { help: problem.help });
    }
  }
  return broken;
}

/**
 * The parser's errors, and the stray words it skipped. A stray is a token no statement starts
 * with; the parser skips it and reads on, so a run of strays is one mistake and everything the
 * parser skipped because of it. Each run is reported once, where it starts, and again only at a
 * line that starts with a mistake of its own (a misspelt word, or another clause outside any
 * plugin). A run that starts right after another error is that error's echo, not reported.
 */
function reportGrammar(
  file: SourceFile,
  tokens: readonly IToken[],
  cst: CstNode,
  badCharacters: readonly Span[],
  bag: DiagnosticBag,
): boolean {
  const errors: readonly IRecognitionException[] = hypParser.errors;
  const errorOffsets = [...errors.map((error) => offsetOf(error.token, tokens, file)), ...badCharacters.map((bad) => bad.start)];
  for (const error of errors) {
    const token = error.token;
    const eof = Number.isNaN(token.startOffset);
    // `$TIMEOUT`: the word after a bad character is the same mistake, already reported.
    if (!eof && badCharacters.some((bad) => bad.end === token.startOffset)) continue;
    const previous = previousTokenOf(error);
    let where: Span;
    if (eof) where = span(offsetOf(token, tokens, file), offsetOf(token, tokens, file));
    else if (previous !== undefined && endsTheLine(token, previous)) where = span(previous.endOffset! + 1, previous.endOffset! + 1);
    else where = tokenSpan(token);
    bag.error(Codes.DslSyntax, file, where, error.message, helpFor(error, tokens, file));
  }
  const statements = ((cst.children["statement"] ?? []) as CstNode[]).map((statement) => Object.values(statement.children)[0]![0] as CstNode);
  let pluginSeen = false;
  for (let i = 0; i < statements.length; i++) {
    if (statements[i]!.name !== "stray") {
      pluginSeen ||= statements[i]!.name === "pluginStatement";
      continue;
    }
    let end = i;
    while (end < statements.length && statements[end]!.name === "stray") end++;
    const run = statements.slice(i, end).map((stray) => tokensIn(stray)[0]!);
    reportStrayRun(file, run, i > 0 ? statements[i - 1] : undefined, pluginSeen, errorOffsets, bag);
    i = end - 1;
  }
  return errors.length > 0 || bag.hasErrors;
}

const STATEMENTS = T.STATEMENT_WORDS;
const CLAUSES = ["hypothesis", "parallel", "on", "every", "timeout", "when", "with"];
/** What a keyword that takes one thing says to a second one on its line. */
const TAKES_ONE: Readonly<Record<string, string>> = {
  service: "`service` takes one name; a name with spaces goes in double quotes",
  shell: "`shell` takes one command: put all of it inside the double quotes",
  script: "`script` takes one path",
  prebuilt: "`prebuilt` takes one prebuilt's name; its parameters go in `with` clauses, like `with region us-east-1`",
  exec: "`exec` takes one command: put all of it inside the double quotes",
  hypothesis: "`hypothesis` takes one text: put all of it inside the double quotes",
  import: "`import` takes one pack; write one `import` per pack",
  timeout: "`timeout` takes one duration",
  every: "`every` takes one duration",
  cooldown: "`cooldown` takes one duration",
  version: "`version` takes one number",
};
const TRIGGER_STARTS = ["liveness", "readiness", "startup", "periodic", "manual"];
const CLAUSE_LIST = "`hypothesis`, `parallel`, `on`, `every`, `timeout`, `when` and `with`";
const STATEMENT_LIST = `${STATEMENTS.slice(0, -1).map((word) => `\`${word}\``).join(", ")} or \`${STATEMENTS[STATEMENTS.length - 1]!}\``;

function reportStrayRun(
  file: SourceFile,
  run: readonly IToken[],
  before: CstNode | undefined,
  pluginSeen: boolean,
  errorOffsets: readonly number[],
  bag: DiagnosticBag,
): void {
  const beforeTokens = before === undefined ? [] : tokensIn(before);
  const beforeFirst = beforeTokens[0];
  const beforeLast = beforeTokens[beforeTokens.length - 1];
  const first = run[0]!;
  const afterPlugin = before?.name === "pluginStatement";
  const echo = errorOffsets.some((offset) => offset >= (beforeFirst?.startOffset ?? 0) && offset <= first.startOffset);
  const orphanClauses = !afterPlugin && !echo && isClause(first);
  run.forEach((token, index) => {
    const previous = index === 0 ? beforeLast : run[index - 1];
    const startsLine = previous === undefined || (token.startLine ?? 0) > (previous.endLine ?? 0);
    if (index === 0) {
      if (echo) return;
    } else if (!startsLine) {
      return;
    } else if (isClause(token)) {
      // After a misspelt clause the plugin's clauses that follow are skipped too: not mistakes.
      if (!orphanClauses) return;
    } else if (token.tokenType !== T.Word) {
      return;
    }
    const earlier = [...beforeTokens, ...run.slice(0, index)].filter((t) => t.startLine === token.startLine && t.tokenType !== T.Word);
    const words = strayWords(token, {
      sameLineAs: startsLine ? undefined : previous,
      keyword: earlier.filter((t) => TAKES_ONE[t.image] !== undefined).pop()?.image,
      inPlugin: afterPlugin || (index > 0 && !orphanClauses && !isStatementTypo(first)),
      pluginSeen,
      before,
    });
    bag.error(Codes.DslSyntax, file, tokenSpan(token), words.message, words.help === undefined ? {} : { help: words.help });
  });
}

function isClause(token: IToken): boolean {
  return CLAUSES.includes(token.image) && token.tokenType !== T.Word;
}

function isStatementTypo(token: IToken): boolean {
  return token.tokenType === T.Word && STATEMENTS.includes(closest(token.image, [...STATEMENTS, ...CLAUSES]) ?? "");
}

/** What to say about one stray token, from where it stands. */
function strayWords(
  token: IToken,
  where: {
    readonly sameLineAs: IToken | undefined;
    /** The keyword the stray follows on its line, if it takes one thing (`timeout 10s 20s`). */
    readonly keyword: string | undefined;
    readonly inPlugin: boolean;
    readonly pluginSeen: boolean;
    readonly before: CstNode | undefined;
  },
): { readonly message: string; readonly help?: string } {
  const word = token.image;
  const meant = token.tokenType === T.Word ? closest(word, [...STATEMENTS, ...CLAUSES]) : undefined;
  const didYouMean = meant === undefined ? undefined : `did you mean \`${meant}\`?`;
  if (where.sameLineAs !== undefined) {
    const last = where.sameLineAs.image;
    const triggers = ["periodic", "manual", "failure"].includes(last) && TRIGGER_STARTS.includes(word);
    const help = triggers
      ? `separate triggers with commas: \`${last}, ${word}\``
      : last === "parallel"
        ? "`parallel` stands alone: it takes no value"
        : (didYouMean ??
          (where.keyword !== undefined ? TAKES_ONE[where.keyword] : undefined) ??
          (where.inPlugin ? `a plugin's clauses are ${CLAUSE_LIST}` : `a statement starts with ${STATEMENT_LIST}`));
    return { message: `unexpected \`${word}\` after \`${last}\``, help };
  }
  if (isClause(token) && !where.inPlugin) {
    const other = where.before === undefined ? undefined : tokensIn(where.before)[0]!.image;
    if (!where.pluginSeen || other === undefined) {
      return {
        message: `\`${word}\` is a plugin clause, but no \`plugin\` comes before it`,
        help: "write a plugin's clauses after its `plugin` line, like `plugin api shell \"…\"` then `timeout 30s`",
      };
    }
    return {
      message: `\`${word}\` is a plugin clause, but it follows \`${other}\`, not a \`plugin\``,
      help: "a plugin's clauses end at the next statement: move it up under its `plugin` line",
    };
  }
  if (where.inPlugin && !(meant !== undefined && STATEMENTS.includes(meant))) {
    return { message: `\`${word}\` is not a plugin clause`, help: didYouMean ?? `a plugin's clauses are ${CLAUSE_LIST}` };
  }
  return { message: `unexpected \`${word}\`: a statement starts with ${STATEMENT_LIST}`, ...(didYouMean ? { help: didYouMean } : {}) };
}

/** Where an error is: its token, or for the end of the file, just after the last token. */
function offsetOf(token: IToken, tokens: readonly IToken[], file: SourceFile): number {
  if (!Number.isNaN(token.startOffset)) return token.startOffset;
  const last = tokens[tokens.length - 1];
  return last === undefined ? file.text.length : (last.endOffset ?? last.startOffset) + 1;
}

function previousTokenOf(error: IRecognitionException): IToken | undefined {
  const previous = (error as { previousToken?: IToken }).previousToken;
  return previous === undefined || Number.isNaN(previous.startOffset) ? undefined : previous;
}

/** A character no token may hold: say which, in which word, and what to write instead. */
function badCharacter(file: SourceFile, where: Span, tokens: readonly IToken[]): { readonly message: string; readonly help: string } {
  const chars = file.text.slice(where.start, where.end);
  const bare = /[A-Za-z0-9_./:@+%*?~\-$\p{L}\p{N}]/u;
  let start = where.start;
  let end = where.end;
  while (start > 0 && bare.test(file.text[start - 1]!)) start--;
  while (end < file.text.length && bare.test(file.text[end]!)) end++;
  const whole = file.text.slice(start, end);
  const named = whole === chars ? `\`${chars}\`` : `\`${chars}\` in \`${whole}\``;
  if (chars.startsWith("$")) {
    return {
      message: `unexpected ${named}: a .hyp file has no variables`,
      help: "write the value itself; `$` works only inside a command's double quotes, as in `shell \"echo $HOME\"`",
    };
  }
  if (/^[;|&<>`]/.test(chars)) {
    return { message: `unexpected ${named}`, help: 'shell syntax belongs inside the command\'s double quotes: `shell "… | …"`' };
  }
  if (!/[\p{L}\p{N}]/u.test(whole)) {
    return { message: `unexpected ${named}`, help: "text with characters like this goes in double quotes" };
  }
  // A word with letters a bare word cannot hold. A plugin name cannot hold them quoted either.
  const previous = tokens.filter((token) => token.endOffset! < start).pop();
  if (previous !== undefined && (previous.tokenType === T.Plugin || previous.tokenType === T.Arrow)) {
    const ascii = whole.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    const rename = /^[A-Za-z0-9_.-]+$/.test(ascii) ? `, like \`${ascii}\`` : "";
    return {
      message: `unexpected ${named}: a plugin name holds only ASCII letters, digits, \`_\`, \`.\` and \`-\``,
      help: `rename the plugin${rename}; its hypothesis can say anything, in any script`,
    };
  }
  return {
    message: `unexpected ${named}`,
    help: `a bare word holds only ASCII letters, digits and \`_./:@+%*?~-\`; write it in double quotes: \`${encodeString(whole)}\``,
  };
}

/** Advice for a parser error: the part written right, or the word that was probably meant. */
function helpFor(error: IRecognitionException, tokens: readonly IToken[], file: SourceFile): { help?: string } {
  const actual = error.token;
  const previous = previousTokenOf(error);
  const rule = error.context?.ruleStack?.[error.context.ruleStack.length - 1] ?? "";
  const image = actual.image;
  const atEnd = actual.tokenType === EOF || Number.isNaN(actual.startOffset) || (previous !== undefined && endsTheLine(actual, previous));
  const help = (text: string | undefined): { help?: string } => (text === undefined ? {} : { help: text });
  const prev = previous?.image ?? "";
  const wanted = WANTED_AFTER[prev];

  // A keyword where a name was wanted: names that are keywords are quoted.
  if (!atEnd && (rule === "name" || (rule === "clause" && prev === "->")) && T.KEYWORD_WORDS.has(image)) {
    return help(`\`${image}\` is a keyword; a name spelt like one goes in double quotes: \`"${image}"\``);
  }
  if (prev === "plugin" && (atEnd || rule === "name")) return help('like `plugin api shell "curl -fsS http://127.0.0.1:8080/healthz"`');
  // Durations.
  if (wanted?.what.startsWith("a duration") && !atEnd) {
    if (actual.tokenType === T.NumberLiteral) return help(`durations carry their unit: \`${image}s\`, \`${image}m\` or \`${image}ms\``);
    if (actual.tokenType === T.QuotedString && /^"\d/.test(image)) return help(`write durations without quotes: \`${image.slice(1, -1)}\``);
    if (/^\d/.test(image)) return help("a duration is numbers with units `ms`, `s`, `m` or `h`, largest first: `90s`, `1m30s`, `500ms`");
    return {};
  }
  // Text that must be quoted.
  if (wanted?.example !== undefined && wanted.what.includes("double quotes")) {
    if (atEnd) return help(`like \`${wanted.example}\``);
    const line = tokens.filter((token) => token.startLine === actual.startLine && token.startOffset >= actual.startOffset);
    const rest = file.text.slice(actual.startOffset, line[line.length - 1]!.endOffset! + 1);
    return help(`write it in double quotes: \`${prev} ${encodeString(rest)}\``);
  }
  if (prev === "service" && atEnd) return help("like `service payments`");
  switch (rule) {
    case "pluginStatement": {
      if (atEnd) return help('like `plugin api shell "curl -fsS http://127.0.0.1:8080/healthz"` or `plugin sts prebuilt AWS-STS`');
      if (actual.tokenType === T.QuotedString) return help(`did you mean \`shell ${image}\`?`);
      const kind = actual.tokenType === T.Word ? closest(image, ["shell", "script", "prebuilt"]) : undefined;
      return help(kind === undefined ? 'like `shell "curl -fsS …"`, `script "./check.sh"` or `prebuilt AWS-STS`' : `did you mean \`${kind}\`?`);
    }
    case "clause":
    case "trigger": {
      if (["liveness", "readiness", "startup"].includes(prev)) return help(`write \`${prev} failure\``);
      if (rule === "clause" && prev !== "on" && prev !== ",") return clauseHelp(error, actual, prev, atEnd);
      if (image === "failure") return help("say which probe failed: `liveness failure`, `readiness failure` or `startup failure`");
      const probe = /^(?:on_)?(liveness|readiness|startup)[-_]failure$/.exec(image);
      if (probe) return help(`did you mean \`${probe[1]!} failure\`?`);
      return {};
    }
    case "response":
      if (actual.tokenType === T.NumberLiteral && /^\d+$/.test(image)) {
        const status = Number(image);
        return help(`did you mean \`${status >= 100 && status <= 599 ? "http" : "exit"}_${image}\`?`);
      }
      return {};
    case "parameter":
      return help("like `with region us-east-1`: one parameter per `with`");
    case "entry":
      if (!atEnd && error.name === "MismatchedTokenException") return help(`write \`${prev} = ${image}\``);
      return {};
    default:
      return {};
  }
}

/** Inside a clause, past its keyword: what `when RESPONSE -> NEXT` wants. */
function clauseHelp(error: IRecognitionException, actual: IToken, prev: string, atEnd: boolean): { help?: string } {
  if (prev === "->") return atEnd ? { help: "like `when failure -> restart-api`, or `when failure -> stop` to end the branch" } : {};
  if (!atEnd && actual.tokenType === T.Word && error.name === "MismatchedTokenException") {
    return { help: `write \`when ${prev} -> ${actual.image}\`` };
  }
  return {};
}
