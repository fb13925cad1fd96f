import { dslLexer, KEYWORD_WORDS, Duration, NumberLiteral, STATEMENT_WORDS, Word } from "../frontend/dsl/tokens.js";
import { encodeString } from "../frontend/dsl/strings.js";
import type { TokenType } from "chevrotain";

/**
 * How a value is spelled in the DSL: bare when the lexer reads it back as exactly that value,
 * in double quotes otherwise. Asking the lexer itself keeps the printer and the parser agreed.
 */
function onlyToken(text: string): TokenType | undefined {
  if (text === "") return undefined;
  const { tokens, errors } = dslLexer.tokenize(text);
  return errors.length === 0 && tokens.length === 1 && tokens[0]!.image === text ? tokens[0]!.tokenType : undefined;
}

/** A plugin name: keywords in quotes (`"stop"`), so they never read as the keyword. */
export function dslName(name: string): string {
  const type = onlyToken(name);
  return type === Word || type === NumberLiteral || type === Duration ? name : encodeString(name);
}

/** A parameter's name after `with`: any word, keywords included but those starting a statement. */
export function dslParameter(key: string): string {
  const type = onlyToken(key);
  const bare = type === Word || key === "version" || (KEYWORD_WORDS.has(key) && !STATEMENT_WORDS.includes(key));
  return bare ? key : encodeString(key);
}

/** A setting's key: any word but a statement keyword, which would end the settings. */
export function dslKey(key: string): string {
  const type = onlyToken(key);
  const bare = type === Word || (type !== undefined && KEYWORD_WORDS.has(key) && !STATEMENT_WORDS.includes(key));
  return bare ? key : encodeString(key);
}

/** A text value: bare when it reads back as the same text (not a number, not a boolean). */
export function dslText(text: string): string {
  const type = onlyToken(text);
  const bare = (type === Word && text !== "true" && text !== "false") || type === Duration || (type !== undefined && KEYWORD_WORDS.has(text));
  return bare ? text : encodeString(text);
}

/** A number as written (`1.10` stays `1.10`) when the DSL can read it so, else as text. */
export function dslNumber(value: number, written: string | undefined): string {
  const text = written ?? String(value);
  return onlyToken(text) === NumberLiteral ? text : dslText(text);
}

/** A duration: `30s` as written; a YAML number of seconds gets its unit. */
export function dslDuration(value: unknown, written: string | undefined): string {
  const text = written ?? String(value);
  if (onlyToken(text) === Duration) return text;
  if (/^\d+(?:\.\d+)?$/.test(text)) return `${text}s`;
  return encodeString(text);
}
