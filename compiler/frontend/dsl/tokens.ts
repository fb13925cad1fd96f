import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";
export { tokenMatcher } from "./chevrotain.js";

/**
 * The tokens of the .hyp DSL. Keywords are ordinary words to the eye, so every keyword also
 * belongs to `AnyKeyword` and may stand wherever a plain value may (`scheme http`); a plugin
 * whose name is a keyword is written in quotes (`-> "stop"`).
 */

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: "comments" });

/** Characters a bare word may hold: enough for names, hosts, paths, `file:/x` and `us-east-1`. */
export const Word = createToken({ name: "Word", pattern: /[A-Za-z0-9_./][A-Za-z0-9_./:@+%*?~-]*/ });
/** `30s`, `500ms`, `1m30s`, `0.5s`: a bare number is not a duration in the DSL. */
export const Duration = createToken({
  name: "Duration",
  pattern: /\d+(?:\.\d+)?(?:ms|h|m|s)(?:\d+(?:\.\d+)?(?:ms|h|m|s))*/,
  longer_alt: Word,
});
export const NumberLiteral = createToken({ name: "Number", pattern: /-?\d+(?:\.\d+)?/, longer_alt: [Duration, Word] });

/** Text in double quotes; the escapes are `\\`, `\"`, `\n`, `\t`, `\r` and `\u{HEX}`. */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });
/**
 * The same text over several lines: `"""`, a line break, the lines, and `"""` on a line of its
 * own, whose indentation is taken off every line (strings.ts). Same escapes as `"…"`.
 */
export const BlockString = createToken({
  name: "BlockString",
  pattern: /"""[ \t]*\r?\n(?:[^"\\]|\\[\s\S]|"(?!""))*"""/,
  categories: [StringLiteral],
  line_breaks: true,
});
/** A `"""` block the file ends inside: reported once, from its first line. */
export const UnterminatedBlock = createToken({
  name: "UnterminatedBlock",
  pattern: /"""[ \t]*\r?\n[\s\S]*/,
  categories: [StringLiteral],
  line_breaks: true,
});
export const QuotedString = createToken({
  name: "QuotedString",
  pattern: /"(?:[^"\\\n]|\\[^\n])*"/,
  categories: [StringLiteral],
});
/** A string the line ends inside: reported once, then parsed as if it were closed. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n]|\\[^\n])*\\?/,
  categories: [StringLiteral],
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /]/ });
export const LBrace = createToken({ name: "LBrace", pattern: /{/ });
export const RBrace = createToken({ name: "RBrace", pattern: /}/ });

export const AnyKeyword = createToken({ name: "AnyKeyword", pattern: Lexer.NA });
/** Keywords that start a top-level statement: they end the settings list before them. */
export const StatementKeyword = createToken({ name: "StatementKeyword", pattern: Lexer.NA, categories: [AnyKeyword] });
/** Keywords that are not statement starts: they may also name a setting (`timeout 5s`). */
export const OtherKeyword = createToken({ name: "OtherKeyword", pattern: Lexer.NA, categories: [AnyKeyword] });

function keyword(word: string, category: TokenType): TokenType {
  return createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Word, categories: [category] });
}

export const Version = keyword("version", StatementKeyword);
export const Service = keyword("service", StatementKeyword);
export const Import = keyword("import", StatementKeyword);
export const Probe = keyword("probe", StatementKeyword);
export const Cooldown = keyword("cooldown", StatementKeyword);
export const Report = keyword("report", StatementKeyword);
export const Sink = keyword("sink", StatementKeyword);
export const Plugin = keyword("plugin", StatementKeyword);

export const Exec = keyword("exec", OtherKeyword);
export const Http = keyword("http", OtherKeyword);
export const Tcp = keyword("tcp", OtherKeyword);
export const Liveness = keyword("liveness", OtherKeyword);
export const Readiness = keyword("readiness", OtherKeyword);
export const Startup = keyword("startup", OtherKeyword);
export const Shell = keyword("shell", OtherKeyword);
export const Script = keyword("script", OtherKeyword);
export const Prebuilt = keyword("prebuilt", OtherKeyword);
export const Hypothesis = keyword("hypothesis", OtherKeyword);
export const Parallel = keyword("parallel", OtherKeyword);
export const On = keyword("on", OtherKeyword);
export const Every = keyword("every", OtherKeyword);
export const Timeout = keyword("timeout", OtherKeyword);
export const When = keyword("when", OtherKeyword);
export const With = keyword("with", OtherKeyword);
export const Failure = keyword("failure", OtherKeyword);
export const Periodic = keyword("periodic", OtherKeyword);
export const Manual = keyword("manual", OtherKeyword);
export const Stop = keyword("stop", OtherKeyword);

export const KEYWORDS: readonly TokenType[] = [
  Version, Service, Import, Probe, Cooldown, Report, Sink, Plugin,
  Exec, Http, Tcp, Liveness, Readiness, Startup, Shell, Script, Prebuilt,
  Hypothesis, Parallel, On, Every, Timeout, When, With, Failure, Periodic, Manual, Stop,
];

const spelling = (token: TokenType): string => String(token.PATTERN).slice(1, -1);

/** The keywords' spellings, for quoting names that would read as one. */
export const KEYWORD_WORDS: ReadonlySet<string> = new Set(KEYWORDS.map(spelling));

/** The words that start a statement, in the grammar's order: `version` … `plugin`. */
export const STATEMENT_WORDS: readonly string[] = KEYWORDS.filter((token) => token.CATEGORIES?.includes(StatementKeyword)).map(spelling);

export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  BlockString,
  UnterminatedBlock,
  QuotedString,
  UnterminatedString,
  Arrow,
  Comma,
  Equals,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  ...KEYWORDS,
  Duration,
  NumberLiteral,
  Word,
  StringLiteral,
  AnyKeyword,
  StatementKeyword,
  OtherKeyword,
];

export const dslLexer = new Lexer([...ALL_TOKENS], { positionTracking: "full", ensureOptimizations: false });
