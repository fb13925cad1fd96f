/**
 * Whether an exec probe's command can run in the probe's own shell, with no subshell and no
 * watchdog: a list of `test`/`[` (and `true`, `false`, `!`) joined by `&&`, `||` or `;`, whose
 * words are plain characters, globs, single-quoted text, and `$NAME`, `${NAME}`,
 * `${NAME:-word}` (bare or in double quotes): no command substitution, redirection, `${NAME?}`
 * or `${NAME=}`. Such a check cannot exit the runner, start a process or wait on one, so it
 * needs neither the isolation nor the deadline that cost a healthy probe two forks
 * (BENCHMARKS.md). Anything else answers false and runs bounded.
 */
const COMMANDS = new Set(["test", "[", "true", "false"]);
const CONNECTORS = new Set(["&&", "||", ";"]);
/** `$NAME`, `${NAME}`, and `${NAME-word}` with `:-`, `+`, `:+` (no `=` or `?`: they assign, exit). */
const VARIABLE = /\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+][A-Za-z0-9_./:,@%-]*)?\})/.source;
/** Plain characters and globs, '...', "..." without `$(`, backquotes or backslashes, variables. */
const PLAIN_WORD = new RegExp(`^(?:[A-Za-z0-9_./:=+,@%*?\\[\\]-]|'[^']*'|"(?:[^"$\\x60\\\\]|${VARIABLE})*"|${VARIABLE})+$`);

export function isInlineCheck(command: string): boolean {
  const words = command.replace(/;/g, " ; ").trim().split(/\s+/);
  if (words.length === 0 || words[0] === "") return false;
  let atCommandStart = true;
  let inBrackets = false;
  for (const word of words) {
    if (atCommandStart) {
      if (word === "!") continue;
      if (!COMMANDS.has(word)) return false;
      inBrackets = word === "[";
      atCommandStart = false;
      continue;
    }
    if (CONNECTORS.has(word)) {
      if (inBrackets) return false;
      atCommandStart = true;
      continue;
    }
    if (inBrackets && word === "]") {
      inBrackets = false;
      continue;
    }
    if (word === "!" || PLAIN_WORD.test(word)) continue;
    return false;
  }
  return !atCommandStart && !inBrackets;
}
