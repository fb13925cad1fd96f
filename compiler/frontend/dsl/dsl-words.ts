import type { Diagnostic } from "../../diagnostics/diagnostic.js";

/**
 * The shared schema and checks word their messages for YAML: they name keys (`trigger_timeout`,
 * `child_name: skip-to-end`, "add `host: …` under `with:`"). A .hyp file has no such keys, so
 * its diagnostics are reworded here, by the exact phrases below, into the statements and
 * clauses its author wrote (`timeout`, `-> stop`, `with host …`). Codes, places and everything
 * not listed stay as they are; a phrase that changes upstream simply stops matching.
 */
type Rewrite = readonly [RegExp, string];

/** Applied to messages, helps and notes alike. */
const EVERYWHERE: readonly Rewrite[] = [
  [/`child_name: skip-to-end`/g, "`-> stop`"],
  [/in `child_name` it ends a branch/g, "after `->` it ends a branch, like `stop`"],
  [/^`child_name` is empty$/, "the name after `->` is empty"],
  [/^write `skip-to-end` to end the branch$/, "write `-> stop` to end the branch"],
  [/`trigger_type`/g, "`on`"],
  [/`trigger_interval`/g, "`every`"],
  [/`trigger_timeout`/g, "`timeout`"],
  [/^`shell_command` is empty$/, "the `shell` command is empty"],
  [/belongs to `type: (\w+)`/g, "is for `$1` plugins"],
  [/^add a `plugins:` list with at least one `- plugin:` entry$/, 'add a plugin, like `plugin api shell "curl -fsS http://127.0.0.1:8080/healthz"`'],
  [/^add `([^`:]+): …` under `with:`$/, "add `with $1 …` to this plugin"],
  [/^unknown key `([^`]+)` in this entry of `sinks`$/, "unknown `sink` setting `$1`"],
  [/^unknown key `([^`]+)` in `([^`]+)`$/, "unknown `$2` setting `$1`"],
  [/^the keys allowed here are /, "the settings allowed here are "],
  [/^`type` must be one of /, "the sink's type must be one of "],
  [/^remove `sinks:`; the report still goes to `report\.to`/, "remove the `sink` statements; the report still goes where `report … to` says"],
];

/** A missing setting of a statement, and the help to give when the schema gave none. */
const MISSING: readonly { readonly pattern: RegExp; readonly message: string; readonly help: string }[] = [
  { pattern: /^this entry of `sinks` has no `([^`]+)`$/, message: "this `sink` has no `$1` setting", help: "add `$1 …` after `sink` and its type" },
  { pattern: /^`(http|tcp)` has no `([^`]+)`$/, message: "this `$1` probe has no `$2` setting", help: "add `$2 …` after `$1`" },
];

/** Help for DSL duplicates whose fix is not "keep one of them". */
const DUPLICATE_HELP: Readonly<Record<string, string>> = {
  "`on` is given twice here": "list every trigger in one `on`, separated by commas: `on liveness failure, periodic`",
};

export function inDslWords(diagnostic: Diagnostic): Diagnostic {
  let message = reword(diagnostic.message);
  let help = diagnostic.help === undefined ? undefined : reword(diagnostic.help);
  for (const missing of MISSING) {
    if (!missing.pattern.test(message)) continue;
    help ??= message.replace(missing.pattern, missing.help);
    message = message.replace(missing.pattern, missing.message);
  }
  if (message.startsWith("unknown `sink` setting") && help !== undefined) help = help.replace(/^(the settings allowed here are )type, /, "$1");
  help = DUPLICATE_HELP[message] ?? help;
  const notes = diagnostic.notes?.map((note) => ({ ...note, message: reword(note.message) }));
  return {
    ...diagnostic,
    message,
    ...(help === undefined ? {} : { help }),
    ...(notes === undefined ? {} : { notes }),
  };
}

function reword(text: string): string {
  return EVERYWHERE.reduce((out, [pattern, words]) => out.replace(pattern, words), text);
}
