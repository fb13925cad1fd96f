/**
 * A runtime fragment or prebuilt body as the runner's tree-shaking sees it (docs/architecture.md,
 * "The runner"): a list of top-level items, each a run of whole lines.
 *
 * - `function`: `NAME() {` up to the `}` that starts a line, with the comment lines right above
 *   it (its doc comment; no blank line in between);
 * - `statement`: any other top-level command (an assignment, often of a multi-line awk program),
 *   with its doc comment;
 * - `comment`: comment lines followed by a blank line (prose about the file);
 * - `blank`: one empty line.
 *
 * Every line is classified by a small lexer that follows the shell's quoting: single and double
 * quotes, `$(...)`, `${...}`, backquotes, backslashes and here-documents. A `#` that starts a
 * word in code begins a comment; inside a string or a here-document it is data (awk programs and
 * the observing wrappers are full of both). `references` are the identifiers in the item's code,
 * comments left out, strings and here-documents kept: a function named in a `trap` string, an
 * `eval` or as another command's argument counts as used.
 *
 * What the lexer cannot follow (`case` patterns inside a multi-line `$(...)`, an unclosed quote,
 * a function whose closing `}` is not alone at the start of a line) makes the text `opaque`: the
 * runner then keeps it whole, comments included, and every identifier in it counts as a
 * reference. Shipped fragments are all parsed (test/compiler/tree-shake.test.ts); a pack's file
 * may be opaque and still work.
 *
 * `# keeps: NAME PREFIX_*` in an item's comments names functions it calls by a name built at run
 * time (`"hyp_sink_try_$tool"`): keeping the item keeps them, a `*` at the end matching every
 * function defined with that prefix.
 */
export interface ShellLine {
  readonly text: string;
  /** A whole-line shell comment: `#` is its first non-blank character, in code. */
  readonly comment: boolean;
  /** A `# shellcheck ...` directive line. */
  readonly directive: boolean;
}

export type ShellItemKind = "function" | "statement" | "comment" | "blank";

export interface ShellItem {
  readonly kind: ShellItemKind;
  /** For a function, its name. */
  readonly name?: string;
  readonly lines: readonly ShellLine[];
  /** How many of the first lines are the item's doc comment (functions and statements). */
  readonly docLines: number;
  /** Identifiers in the item's code (comments left out), each once. */
  readonly references: readonly string[];
  /** Names and `PREFIX_*` patterns from `# keeps:` lines. */
  readonly keeps: readonly string[];
}

export type ParsedShell =
  | { readonly opaque: false; readonly items: readonly ShellItem[] }
  | { readonly opaque: true; readonly reason: string; readonly line: number; readonly references: readonly string[] };

type Context = { kind: "sq" } | { kind: "dq" } | { kind: "param" } | { kind: "bt" } | { kind: "cmd"; depth: number };

interface LexedLine {
  readonly text: string;
  /** The lexer was in plain code (no quote, substitution or here-document open) at its start. */
  readonly startsInCode: boolean;
  /** Nothing is left open at its end: no quote, substitution, here-document or `\` continuation. */
  readonly endsInCode: boolean;
  /** The line's text with its comment removed (all of it for a here-document line). */
  readonly code: string;
  readonly comment: boolean;
}

class LexError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

const WORD_BREAK = /[\s;&|()<>]/;
const HEREDOC = /^<<(-?)[ \t]*(?:'([^']+)'|"([^"]+)"|\\?([A-Za-z_][A-Za-z0-9_]*))/;

function lex(text: string): LexedLine[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out: LexedLine[] = [];
  const stack: Context[] = [];
  const pending: { delimiter: string; strip: boolean }[] = [];
  let heredoc: { delimiter: string; strip: boolean; line: number } | undefined;
  lines.forEach((line, index) => {
    if (heredoc) {
      const end = (heredoc.strip ? line.replace(/^\t+/, "") : line) === heredoc.delimiter;
      if (end) heredoc = pending.length > 0 ? { ...pending.shift()!, line: index + 1 } : undefined;
      out.push({ text: line, startsInCode: false, endsInCode: end && !heredoc && stack.length === 0, code: line, comment: false });
      return;
    }
    const startsInCode = stack.length === 0;
    let commentAt = -1;
    let continued = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const next = line[i + 1];
      const top = stack[stack.length - 1];
      if (top?.kind === "sq") {
        if (c === "'") stack.pop();
        continue;
      }
      if (c === "\\") {
        if (i === line.length - 1) continued = true;
        i++;
        continue;
      }
      if (top?.kind === "dq") {
        if (c === '"') stack.pop();
        else if (c === "$" && next === "(") (stack.push({ kind: "cmd", depth: 0 }), i++);
        else if (c === "$" && next === "{") (stack.push({ kind: "param" }), i++);
        else if (c === "`") stack.push({ kind: "bt" });
        continue;
      }
      // Code: the top level, `$(...)`, backquotes, and (without comments) `${...}`.
      if (c === "'") stack.push({ kind: "sq" });
      else if (c === '"') stack.push({ kind: "dq" });
      else if (c === "`") {
        if (top?.kind === "bt") stack.pop();
        else stack.push({ kind: "bt" });
      } else if (c === "$" && next === "(") (stack.push({ kind: "cmd", depth: 0 }), i++);
      else if (c === "$" && next === "{") (stack.push({ kind: "param" }), i++);
      else if (top?.kind === "param") {
        if (c === "}") stack.pop();
      } else if (top?.kind === "cmd" && c === "(") top.depth++;
      else if (top?.kind === "cmd" && c === ")") {
        if (top.depth > 0) top.depth--;
        else stack.pop();
      } else if (c === "#" && (i === 0 || WORD_BREAK.test(line[i - 1]!))) {
        commentAt = i;
        break;
      } else if (c === "<" && next === "<" && line[i + 2] !== "<") {
        const m = HEREDOC.exec(line.slice(i));
        if (!m) throw new LexError(out.length + 1, "a here-document whose delimiter is not a plain word");
        pending.push({ delimiter: m[2] ?? m[3] ?? m[4]!, strip: m[1] === "-" });
        i += m[0].length - 1;
      }
    }
    const comment = startsInCode && commentAt >= 0 && line.slice(0, commentAt).trim() === "";
    if (pending.length > 0) heredoc = { ...pending.shift()!, line: index + 1 };
    out.push({
      text: line,
      startsInCode,
      endsInCode: stack.length === 0 && !heredoc && !continued,
      code: commentAt >= 0 ? line.slice(0, commentAt) : line,
      comment,
    });
  });
  if (heredoc) throw new LexError(heredoc.line, `the here-document ending at \`${heredoc.delimiter}\` never ends`);
  if (stack.length > 0) throw new LexError(lines.length, `a ${describe(stack[stack.length - 1]!)} is still open at the end`);
  return out;
}

function describe(context: Context): string {
  switch (context.kind) {
    case "sq":
      return "single quote";
    case "dq":
      return "double quote";
    case "param":
      return "`${`";
    case "bt":
      return "backquote";
    case "cmd":
      return "`$(`";
  }
}

const FUNCTION_START = /^([A-Za-z_][A-Za-z0-9_]*)\(\) \{$/;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const KEEPS = /^\s*#\s*keeps:\s*(.*)$/;
const KEPT_NAME = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

function identifiers(code: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const line of code) for (const m of line.matchAll(IDENTIFIER)) seen.add(m[0]);
  return [...seen];
}

/** Splits a fragment's or prebuilt's body (manifest header removed) into top-level items. */
export function parseShell(text: string): ParsedShell {
  let lexed: LexedLine[];
  try {
    lexed = lex(text);
  } catch (error) {
    if (!(error instanceof LexError)) throw error;
    return { opaque: true, reason: error.message, line: error.line, references: identifiers(text.split("\n")) };
  }
  const items: ShellItem[] = [];
  const add = (kind: ShellItemKind, lines: LexedLine[], docLines: number, name?: string): void => {
    const keeps: string[] = [];
    for (const line of lines) {
      const m = line.comment ? KEEPS.exec(line.text) : null;
      if (!m) continue;
      const [list, why] = m[1]!.split(" -- ", 2);
      const names = list!.split(/\s+/).filter(Boolean);
      if (names.length === 0 || !names.every((n) => KEPT_NAME.test(n)) || !why?.trim()) {
        throw new LexError(lexed.indexOf(line) + 1, "`# keeps:` takes function names and PREFIX_* patterns, then ` -- ` and why");
      }
      keeps.push(...names);
    }
    items.push({
      kind,
      ...(name === undefined ? {} : { name }),
      lines: lines.map((l) => ({ text: l.text, comment: l.comment, directive: l.comment && /^\s*#\s*shellcheck\s/.test(l.text) })),
      docLines,
      references: identifiers(lines.map((l) => l.code)),
      keeps,
    });
  };
  try {
    split(lexed, add);
    return { opaque: false, items };
  } catch (error) {
    if (!(error instanceof LexError)) throw error;
    return { opaque: true, reason: error.message, line: error.line, references: identifiers(text.split("\n")) };
  }
}

function split(lexed: readonly LexedLine[], add: (kind: ShellItemKind, lines: LexedLine[], docLines: number, name?: string) => void): void {
  let doc: LexedLine[] = [];
  for (let i = 0; i < lexed.length; i++) {
    const line = lexed[i]!;
    if (line.comment) {
      doc.push(line);
      continue;
    }
    if (line.text.trim() === "") {
      if (doc.length > 0) add("comment", doc, 0);
      doc = [];
      add("blank", [line], 0);
      continue;
    }
    const start = FUNCTION_START.exec(line.text);
    const body = [line];
    if (start) {
      while (++i < lexed.length && !(lexed[i]!.startsInCode && lexed[i]!.text === "}")) body.push(lexed[i]!);
      if (i >= lexed.length) throw new LexError(lexed.indexOf(line) + 1, `function ${start[1]} has no \`}\` alone at the start of a line`);
      body.push(lexed[i]!);
      add("function", [...doc, ...body], doc.length, start[1]);
    } else {
      while (!body[body.length - 1]!.endsInCode && ++i < lexed.length) body.push(lexed[i]!);
      add("statement", [...doc, ...body], doc.length);
    }
    doc = [];
  }
  if (doc.length > 0) add("comment", doc, 0);
}
