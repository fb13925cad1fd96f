import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile, Span } from "../source/source-file.js";

export interface RenderOptions {
  /** ANSI colour; the CLI turns it on only for a TTY without NO_COLOR. */
  readonly color?: boolean;
}

/**
 * rustc-style text:
 *
 *     examples/x.yaml:7:23: error[HYP0302]: unknown child `plugin-do-somthing`
 *        |
 *      7 |           child_name: plugin-do-somthing
 *        |                       ^^^^^^^^^^^^^^^^^^
 *        = help: did you mean `plugin-do-something`?
 */
export function renderDiagnostic(d: Diagnostic, options: RenderOptions = {}): string {
  const paint = painter(options.color ?? false);
  const at = d.file.positionOf(d.span.start);
  const label = d.severity === "error" ? paint.red(`error[${d.code}]`) : paint.yellow(`warning[${d.code}]`);
  const lines = [`${paint.bold(`${d.file.path}:${at.line}:${at.column}:`)} ${label}: ${paint.bold(d.message)}`];
  lines.push(...codeFrame(d.file, d.span, paint));
  for (const note of d.notes ?? []) {
    const pos = note.file.positionOf(note.span.start);
    lines.push(`   = note: ${note.message} (${note.file.path}:${pos.line}:${pos.column})`);
  }
  if (d.help) lines.push(`   = help: ${d.help}`);
  return lines.join("\n");
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderOptions = {}): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const tally = [errors && plural(errors, "error"), warnings && plural(warnings, "warning")].filter(Boolean).join(", ");
  return `${diagnostics.map((d) => renderDiagnostic(d, options)).join("\n\n")}\n\n${tally}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function codeFrame(file: SourceFile, span: Span, paint: Painter): string[] {
  const start = file.positionOf(span.start);
  const end = file.positionOf(Math.max(span.start, span.end - 1));
  const gutter = String(start.line).length;
  const pad = " ".repeat(gutter);
  const text = file.lineText(start.line);
  // Tabs would misalign the caret; show them as one space each (columns are still reported exactly).
  const shown = text.replace(/\t/g, " ");
  const width = [...shown].length;
  const from = Math.min(start.column - 1, width);
  const to = end.line === start.line ? Math.max(from + 1, end.column) : Math.max(from + 1, width);
  const caret = " ".repeat(from) + "^".repeat(Math.max(1, to - from));
  return [`${pad} |`, `${String(start.line)} | ${shown}`, `${pad} | ${paint.red(caret)}`];
}

interface Painter {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (code: string) => (s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap("31"), yellow: wrap("33"), bold: wrap("1") };
}
