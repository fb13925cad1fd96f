import { z } from "zod";
import { Codes } from "../../diagnostics/codes.js";
import { raise } from "./fields.js";

/**
 * `report.redact`: extended regular expressions the runner hides in plugin output. The runner
 * applies them with whatever awk the container has (busybox awk, mawk, gawk), under LC_ALL=C,
 * one output line at a time. This check accepts the part of POSIX ERE on which those three
 * agree, and says why it rejects the rest:
 *
 * - `{n,m}` intervals: mawk 1.3.4 20200120 (Debian 12, Ubuntu 22.04) reads braces as text.
 * - `\` before a letter or digit (`\s`, `\w`, `\d`, `\b`, `\<`, `\1`, `\t`): GNU operators,
 *   awk escapes or back references, each understood by some awks only. Before punctuation, only
 *   ERE's own operators and `/` `-`: gawk warns about any other.
 * - `\` inside `[...]`: an escape to gawk and mawk, a literal to busybox awk.
 * - `[=x=]`, `[.x.]`: not in mawk. Classes `[:alpha:]` and the like are fine.
 * - An empty alternative (`a|`, `()`): a compile error in mawk only.
 * - Two repetition operators in a row (`a**`, `a+?`), one with nothing before it, or one after
 *   an anchor: undefined in POSIX, and the awks differ.
 * - `^` other than first in an alternative, `$` other than last: gawk reads an anchor that
 *   never matches, mawk a literal character.
 * - Perl syntax (`(?i)`, `(?:`, lookarounds), control characters (the runner keeps one pattern
 *   per line), non-ASCII inside `[...]` or directly before a repetition (the runner matches
 *   bytes, so these would match or repeat one byte of the character).
 * - A pattern that matches the empty string: `gsub` would put `[REDACTED]` between every
 *   character, and the awks disagree on where.
 */

export type PatternCheck = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly help?: string };

const CLASSES = ["alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"];
/** What may follow a backslash outside brackets, in every awk, without a warning. */
const ESCAPABLE = new Set([..."\\.*+?()[]{}|^$/-"]);
const REPEAT = new Set(["*", "+", "?"]);

const SHORTHAND_HELP: Readonly<Record<string, string>> = {
  s: "use `[[:space:]]` for `\\s`",
  S: "use `[^[:space:]]` for `\\S`",
  d: "use `[0-9]` for `\\d`",
  D: "use `[^0-9]` for `\\D`",
  w: "use `[[:alnum:]_]` for `\\w`",
  W: "use `[^[:alnum:]_]` for `\\W`",
  t: "use `[[:blank:]]` for a tab",
  n: "patterns apply to one line at a time: there is no line break to match",
};

class PatternError extends Error {
  constructor(
    readonly detail: string,
    readonly help?: string,
  ) {
    super(detail);
  }
}

/** Checks one pattern (see the comment above). */
export function checkRedactPattern(pattern: string): PatternCheck {
  try {
    const parser = new Parser(pattern);
    const nullable = parser.parse();
    if (nullable) {
      return {
        ok: false,
        message: `redact pattern \`${pattern}\` matches the empty string`,
        help: "a pattern must match at least one character (`x+`, not `x*`); awks put an empty match's replacement in different places",
      };
    }
    return { ok: true };
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    return {
      ok: false,
      message: `redact pattern \`${pattern}\`: ${error.detail}`,
      ...(error.help === undefined ? {} : { help: error.help }),
    };
  }
}

/** The `report.redact` entries: a list of patterns, each checked. */
export function redactPatterns() {
  return z.array(
    z.string().superRefine((pattern, ctx) => {
      if (pattern === "") {
        raise(ctx, Codes.InvalidValue, "a redact pattern cannot be empty");
        return;
      }
      const result = checkRedactPattern(pattern);
      if (!result.ok) raise(ctx, Codes.InvalidValue, result.message, { help: result.help });
    }),
  );
}

/** A recursive-descent reader of the ERE subset; each method returns whether its part can match "". */
class Parser {
  private pos = 0;

  constructor(private readonly s: string) {}

  parse(): boolean {
    const nullable = this.alternation();
    if (this.pos < this.s.length) {
      // Only an unmatched `)` stops the top-level alternation early.
      throw new PatternError(`${this.where()}: \`)\` closes no group`, "write `\\)` for the character");
    }
    return nullable;
  }

  private where(at = this.pos): string {
    const char = this.s[at] === undefined ? "the end" : `\`${String.fromCodePoint(this.s.codePointAt(at)!)}\``;
    return `at ${char} (character ${at + 1})`;
  }

  private alternation(): boolean {
    let nullable = this.branch();
    while (this.s[this.pos] === "|") {
      this.pos++;
      nullable = this.branch() || nullable;
    }
    return nullable;
  }

  private branch(): boolean {
    let pieces = 0;
    let nullable = true;
    while (this.pos < this.s.length && this.s[this.pos] !== "|" && this.s[this.pos] !== ")") {
      nullable = this.piece(pieces === 0) && nullable;
      pieces++;
    }
    if (pieces === 0) {
      throw new PatternError(
        `${this.where()}: an empty alternative`,
        "mawk rejects `a|`, `|a` and `()`; leave the empty part out",
      );
    }
    return nullable;
  }

  private piece(first: boolean): boolean {
    const start = this.pos;
    const { nullable, anchor, multibyte } = this.atom(first);
    const next = this.s[this.pos];
    if (next === "{") throw this.intervalError();
    if (next === undefined || !REPEAT.has(next)) return nullable;
    if (anchor) throw new PatternError(`${this.where()}: a repetition of an anchor`, "awks disagree on what `^*` means; leave it out");
    if (multibyte) {
      const char = this.s.slice(start, this.pos);
      throw new PatternError(
        `${this.where()}: \`${next}\` after the non-ASCII character \`${char}\` would repeat only its last byte (the runner matches bytes)`,
        `put the character in a group: \`(${char})${next}\``,
      );
    }
    this.pos++;
    const after = this.s[this.pos];
    if (after !== undefined && (REPEAT.has(after) || after === "{")) {
      throw new PatternError(`${this.where()}: two repetition operators in a row`, "POSIX leaves `a**` and `a+?` undefined and awks differ: write one");
    }
    return next === "+" ? nullable : true;
  }

  private atom(first: boolean): { nullable: boolean; anchor?: boolean; multibyte?: boolean } {
    const c = this.s[this.pos]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) {
      throw new PatternError(`at character ${this.pos + 1}: a control character`, "use `[[:cntrl:]]`, or `[[:space:]]` for white space");
    }
    if (code > 0x7f) {
      this.pos += String.fromCodePoint(this.s.codePointAt(this.pos)!).length;
      return { nullable: false, multibyte: true };
    }
    switch (c) {
      case "(": {
        if (this.s[this.pos + 1] === "?") {
          throw new PatternError(`${this.where()}: \`(?\` is Perl syntax`, "awk patterns have no flags, non-capturing groups or lookarounds");
        }
        this.pos++;
        const nullable = this.alternation();
        if (this.s[this.pos] !== ")") throw new PatternError(`${this.where()}: \`(\` is never closed`, "add `)`, or write `\\(` for the character");
        this.pos++;
        return { nullable };
      }
      case "[":
        this.bracket();
        return { nullable: false };
      case ".":
        this.pos++;
        return { nullable: false };
      case "^":
        if (!first) {
          throw new PatternError(
            `${this.where()}: \`^\` inside a pattern`,
            "`^` anchors only at the start of the pattern or of an alternative (gawk never matches there, mawk reads a character): write `\\^` for the character",
          );
        }
        this.pos++;
        return { nullable: true, anchor: true };
      case "$": {
        const next = this.s[this.pos + 1];
        if (next !== undefined && next !== "|" && next !== ")") {
          throw new PatternError(
            `${this.where()}: \`$\` inside a pattern`,
            "`$` anchors only at the end of the pattern or of an alternative: write `\\$` for the character",
          );
        }
        this.pos++;
        return { nullable: true, anchor: true };
      }
      case "*":
      case "+":
      case "?":
        throw new PatternError(`${this.where()}: nothing to repeat`, `write \`\\${c}\` for the character`);
      case "{":
      case "}":
        throw this.intervalError();
      case "\\":
        return this.escape();
      default:
        this.pos++;
        return { nullable: false };
    }
  }

  private intervalError(): PatternError {
    return new PatternError(
      `${this.where()}: \`{n,m}\` intervals are not understood by mawk 1.3.4 (Debian 12, Ubuntu 22.04), which reads the braces as text`,
      "write the repetition out, e.g. `[0-9][0-9][0-9]` for `[0-9]{3}`; `\\{` and `\\}` are the characters",
    );
  }

  private escape(): { nullable: boolean } {
    const next = this.s[this.pos + 1];
    if (next === undefined) throw new PatternError("a `\\` at the end escapes nothing", "write `\\\\` for a backslash");
    if (ESCAPABLE.has(next)) {
      this.pos += 2;
      return { nullable: false };
    }
    const help = SHORTHAND_HELP[next];
    if (/[0-9]/.test(next)) {
      throw new PatternError(`${this.where()}: \`\\${next}\` (a back reference) is not in extended regular expressions`);
    }
    if (/[A-Za-z]/.test(next)) {
      throw new PatternError(
        `${this.where()}: \`\\${next}\` means different things to busybox awk, mawk and gawk`,
        help ?? "use a bracket expression such as `[[:space:]]`, `[0-9]` or `[[:alnum:]_]`",
      );
    }
    throw new PatternError(`${this.where()}: \`\\${next}\` is not an operator`, `write \`${next}\` without the backslash, or \`[${next}]\``);
  }

  /** `[...]`: positions on the `[`, leaves after the `]`. */
  private bracket(): void {
    const open = this.pos;
    this.pos++;
    if (this.s[this.pos] === "^") this.pos++;
    let first = true;
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) {
        this.pos = open;
        throw new PatternError(`${this.where()}: \`[\` is never closed`, "add `]`, or write `\\[` for the character");
      }
      if (c === "]" && !first) {
        this.pos++;
        return;
      }
      first = false;
      if (c === "[" && this.s[this.pos + 1] === ":") {
        const end = this.s.indexOf(":]", this.pos + 2);
        const name = end < 0 ? "" : this.s.slice(this.pos + 2, end);
        if (!CLASSES.includes(name)) {
          throw new PatternError(`${this.where()}: \`[:${name}\` is not a character class`, `the classes are ${CLASSES.map((k) => `[:${k}:]`).join(" ")}`);
        }
        this.pos = end + 2;
        continue;
      }
      if (c === "[" && (this.s[this.pos + 1] === "=" || this.s[this.pos + 1] === ".")) {
        throw new PatternError(`${this.where()}: \`[${this.s[this.pos + 1]!}\` (equivalence classes, collating elements) is not in mawk`, "list the characters");
      }
      this.bracketChar(this.pos);
      const dash = this.s[this.pos + 1] === "-" && this.s[this.pos + 2] !== undefined && this.s[this.pos + 2] !== "]";
      if (!dash) {
        this.pos++;
        continue;
      }
      const end = this.pos + 2;
      this.bracketChar(end);
      if (this.s[end] === "[") throw new PatternError(`${this.where(end)}: a range cannot end in a class or bracket`);
      if (this.s.charCodeAt(end) < c.charCodeAt(0)) {
        throw new PatternError(`${this.where()}: the range \`${c}-${this.s[end]!}\` is backwards`, `write \`${this.s[end]!}-${c}\``);
      }
      this.pos = end + 1;
    }
  }

  private bracketChar(at: number): void {
    const c = this.s[at]!;
    const code = c.charCodeAt(0);
    if (c === "\\") {
      throw new PatternError(
        `${this.where(at)}: a \`\\\` inside \`[...]\` is an escape to gawk and mawk but a backslash to busybox awk`,
        "put `]` first for the character (`[]a]`), `-` first or last, `^` not first; a backslash: `\\\\` outside brackets",
      );
    }
    if (code < 0x20 || code === 0x7f) {
      throw new PatternError(`at character ${at + 1}: a control character inside \`[...]\``, "use `[:cntrl:]` or `[:space:]` inside the brackets");
    }
    if (code > 0x7f) {
      throw new PatternError(
        `${this.where(at)}: a non-ASCII character inside \`[...]\` (the runner matches bytes, so it would match any one of its bytes)`,
        "use an alternation, e.g. `(é|è)`",
      );
    }
  }
}
