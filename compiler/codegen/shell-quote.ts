/**
 * The only quoting the runner uses for user text: single quotes, each `'` written as `'\''`.
 * Inside single quotes the shell interprets nothing, so `$(…)`, backticks, `;` and newlines stay
 * literal. NUL cannot be represented at all; `check` rejects it before codegen runs.
 */
export function shellQuote(text: string): string {
  if (text.includes("\u0000")) throw new Error("internal error: NUL reached codegen (check must reject it)");
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Text that goes into a `#` comment: a line break there would end the comment and start code. */
export function commentSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, "?");
}
