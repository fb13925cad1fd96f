import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile, Span } from "../source/source-file.js";

/**
 * Where a diagnostic (or one of its notes) is, for machines: 1-based lines and columns (columns
 * in code points, as the text renderer counts them); the end is exclusive, as in an LSP range.
 */
export interface JsonLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface JsonDiagnostic extends JsonLocation {
  readonly severity: Diagnostic["severity"];
  readonly code: string;
  readonly message: string;
  readonly notes: readonly (JsonLocation & { readonly message: string })[];
  readonly help: string | null;
}

/** `validate --format json`'s document (docs/spec-additions.md, "validate --format json"). */
export interface ValidateReport {
  readonly file: string;
  readonly ok: boolean;
  /** How many plugins the config has when it is valid; null otherwise. */
  readonly plugins: number | null;
  readonly errors: number;
  readonly warnings: number;
  /** Set when the file could not be read at all (then there are no diagnostics). */
  readonly error: string | null;
  readonly diagnostics: readonly JsonDiagnostic[];
}

export function locate(file: SourceFile, span: Span): JsonLocation {
  const start = file.positionOf(span.start);
  const end = file.positionOf(Math.max(span.start, span.end));
  return { file: file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

export function diagnosticJson(d: Diagnostic): JsonDiagnostic {
  const { file, line, column, endLine, endColumn } = locate(d.file, d.span);
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file,
    line,
    column,
    endLine,
    endColumn,
    notes: (d.notes ?? []).map((note) => ({ message: note.message, ...locate(note.file, note.span) })),
    help: d.help ?? null,
  };
}

export function validateReport(
  file: string,
  diagnostics: readonly Diagnostic[],
  plugins: number | undefined,
  error?: string,
): ValidateReport {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return {
    file,
    ok: plugins !== undefined && error === undefined,
    plugins: plugins ?? null,
    errors,
    warnings: diagnostics.length - errors,
    error: error ?? null,
    diagnostics: diagnostics.map(diagnosticJson),
  };
}

/**
 * GitHub Actions workflow commands: `::error file=F,line=L,col=C,endLine=E,endColumn=EC,title=CODE::message`,
 * one per diagnostic, so a CI step annotates the pull request's diff. Notes and help go into
 * the message on lines of their own.
 */
export function githubAnnotations(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const at = diagnosticJson(d);
      const properties = [
        `file=${property(at.file)}`,
        `line=${at.line}`,
        `col=${at.column}`,
        `endLine=${at.endLine}`,
        ...(at.endLine === at.line ? [`endColumn=${at.endColumn}`] : []),
        `title=${property(at.code)}`,
      ].join(",");
      const extra = [
        ...at.notes.map((n) => `note: ${n.message} (${n.file}:${n.line}:${n.column})`),
        ...(at.help === null ? [] : [`help: ${at.help}`]),
      ];
      return `::${d.severity === "error" ? "error" : "warning"} ${properties}::${githubData([at.message, ...extra].join("\n"))}\n`;
    })
    .join("");
}

/** Text as a workflow command's message: `%`, CR and LF escaped. */
export function githubData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function property(text: string): string {
  return githubData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
