/**
 * The only quoting the runner uses for user text: single quotes, each `'` written as `'\''`.
 * Inside single quotes the shell interprets nothing, so `$(…)`, backticks, `;` and newlines stay
 * literal. NUL cannot be represented at all; `check` rejects it before codegen runs.
 */
export function shellQuote(text: string): string {
  if (text.includes("\u0000")) throw new Error("internal error: NUL reached codegen (check must reject it)");
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text that goes into a `#` comment: a line break there would end the comment and start code,
 * and a non-ASCII byte stops yash from reading the file at all unless its locale is UTF-8.
 */
export function commentSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\u0020-\u007e]/gu, "?");
}

/**
 * yash decodes its input in the locale it started with, and without a UTF-8 locale it stops at
 * the first non-ASCII byte ("cannot read input", docs/shell-bugs.md). A runner that carries
 * non-ASCII user text starts with this ASCII preamble: yash, and only yash, re-runs the file
 * under C.UTF-8. Every other shell reads bytes and never takes the branch.
 */
export const YASH_UTF8_PREAMBLE = [
  'if [ -n "${YASH_VERSION:-}" ] && [ -z "${HYP_YASH_REEXEC:-}" ]; then',
  "  case ${LC_ALL:-${LC_CTYPE:-${LANG:-}}} in",
  "    *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;",
  '    *) HYP_YASH_REEXEC=1 LC_ALL=C.UTF-8 exec yash "$0" "$@" ;;',
  "  esac",
  "fi",
];
