/**
 * The DSL's strings: `"…"` on one line, or a `"""` block over several, with the same escapes in
 * both: `\\`, `\"`, `\n`, `\t`, `\r` and `\u{HEX}`. Everything else stands for itself, so a shell
 * command needs escaping only for its backslashes (and, in `"…"`, its double quotes).
 */

export interface BadEscape {
  /** Offset of the backslash within the literal, quotes included. */
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly help: string;
}

const SIMPLE: Readonly<Record<string, string>> = { "\\": "\\", '"': '"', n: "\n", t: "\t", r: "\r" };

/** The text of a literal as written (`"a\"b"`, a `"""` block, or one without its end), and its problems. */
export function decodeString(literal: string): { readonly value: string; readonly problems: readonly BadEscape[] } {
  if (literal.startsWith('"""')) return decodeBlock(literal);
  const closed = literal.length >= 2 && literal.endsWith('"') && !endsInsideEscape(literal);
  const body = literal.slice(1, closed ? -1 : undefined);
  return decodeEscapes(body, (i) => i + 1);
}

/**
 * A `"""` block: the lines between the opening and the closing line, less the closing line's
 * indentation, joined by line breaks (the last line's break is the closing line's, not the
 * text's). Then the escapes, as in any string.
 */
function decodeBlock(literal: string): { readonly value: string; readonly problems: readonly BadEscape[] } {
  const problems: BadEscape[] = [];
  const open = literal.indexOf("\n") + 1;
  const closed = literal.length > open + 2 && literal.endsWith('"""');
  const body = literal.slice(open, closed ? -3 : undefined);
  const lines = body.split("\n");
  const last = closed ? lines.pop()! : "";
  if (closed && last.trim() !== "") {
    problems.push({
      offset: literal.length - 3,
      length: 3,
      message: 'the closing `"""` goes on a line of its own',
      help: "its indentation is taken off every line of the text",
    });
  }
  const indent = closed ? last.length : 0;
  let text = "";
  const origin: number[] = [];
  let at = open;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (index > 0) {
      origin.push(at - 1);
      text += "\n";
    }
    if (line.trim() !== "") {
      if (!line.startsWith(last.slice(0, indent)) || line.length < indent) {
        problems.push({
          offset: at,
          length: Math.max(1, line.length - line.trimStart().length),
          message: 'this line is indented less than the closing `"""`',
          help: 'indent every line of the text at least as far as the closing `"""`',
        });
      }
      const kept = line.slice(Math.min(indent, line.length - line.trimStart().length));
      for (let i = 0; i < kept.length; i++) origin.push(at + line.length - kept.length + i);
      text += kept;
    }
    at += raw.length + 1;
  });
  const decoded = decodeEscapes(text, (i) => origin[i] ?? open);
  return { value: decoded.value, problems: [...problems, ...decoded.problems] };
}

/** The escapes of `body`; `offsetOf` maps an index in `body` to its offset in the literal. */
function decodeEscapes(body: string, offsetOf: (index: number) => number): { readonly value: string; readonly problems: BadEscape[] } {
  const problems: BadEscape[] = [];
  let value = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      value += c;
      continue;
    }
    const next = body[i + 1];
    const at = offsetOf(i);
    if (next !== undefined && SIMPLE[next] !== undefined) {
      value += SIMPLE[next];
      i++;
      continue;
    }
    if (next === "u") {
      const match = /^\{([0-9A-Fa-f]{1,6})\}/.exec(body.slice(i + 2));
      const code = match ? parseInt(match[1]!, 16) : NaN;
      if (match && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
        value += String.fromCodePoint(code);
        i += 1 + match[0].length;
        continue;
      }
      problems.push({
        offset: at,
        length: match ? 2 + match[0].length : 2,
        message: !match
          ? "`\\u` needs a Unicode code point in braces, like `\\u{2603}`"
          : code > 0x10ffff
            ? `\`\\u{${match[1]!}}\` is beyond the last Unicode code point, \`\\u{10FFFF}\``
            : `\`\\u{${match[1]!}}\` is half of a UTF-16 surrogate pair, not a character: write the character's own code point`,
        help: "write `\\\\u` for a backslash followed by `u`",
      });
      i++;
      continue;
    }
    problems.push({
      offset: at,
      length: next === undefined ? 1 : 2,
      message: next === undefined ? "a backslash ends this text" : `unknown escape \`\\${next}\``,
      help: "the escapes are `\\\\` `\\\"` `\\n` `\\t` `\\r` and `\\u{…}`; write `\\\\` for a backslash",
    });
    if (next !== undefined) {
      value += next;
      i++;
    }
  }
  return { value, problems };
}

function endsInsideEscape(literal: string): boolean {
  let backslashes = 0;
  for (let i = literal.length - 2; i >= 1 && literal[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * Text of several lines as a `"""` block indented by `indent`, when it can be one: no `"""`
 * inside, no control characters but tabs, and no line starting with blanks a block would eat.
 */
export function encodeBlock(text: string, indent: string): string | undefined {
  if (!text.includes("\n") || text.includes('"""')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/.test(text)) return undefined;
  const lines = text.split("\n").map((line) => line.replace(/\\/g, "\\\\"));
  if (lines.some((line) => line !== line.trimEnd() && line.trim() === "" && line !== "")) return undefined;
  return ['"""', ...lines.map((line) => (line === "" ? "" : indent + line)), `${indent}"""`].join("\n");
}

/** The literal for `text`: the inverse of `decodeString`, escaping only what must be. */
export function encodeString(text: string): string {
  let out = '"';
  for (const c of text) {
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c < " " || c === "\u007f" || c === "\u2028" || c === "\u2029") out += `\\u{${c.codePointAt(0)!.toString(16)}}`;
    else out += c;
  }
  return `${out}"`;
}
