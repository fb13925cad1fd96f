import type { SourceFile, Span } from "../source/source-file.js";

export type Severity = "error" | "warning";

/**
 * Every problem the compiler reports. Codes are stable (users search for them, CI annotations
 * key on them); see `codes.ts` for the catalogue.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: SourceFile;
  readonly span: Span;
  /** Extra located lines, e.g. "first defined here". */
  readonly notes?: readonly { readonly message: string; readonly file: SourceFile; readonly span: Span }[];
  /** One line of advice printed as `help: …`, e.g. "did you mean `plugin-do-something`?". */
  readonly help?: string;
}

/** Collects diagnostics so a stage can report every problem of a file in one pass. */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];

  add(diagnostic: Diagnostic): void {
    this.items.push(diagnostic);
  }

  error(code: string, file: SourceFile, span: Span, message: string, extra: Pick<Diagnostic, "notes" | "help"> = {}): void {
    this.add({ code, severity: "error", message, file, span, ...extra });
  }

  warning(code: string, file: SourceFile, span: Span, message: string, extra: Pick<Diagnostic, "notes" | "help"> = {}): void {
    this.add({ code, severity: "warning", message, file, span, ...extra });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  /** Sorted by file, then position, then code: output order never depends on pass order. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(
      (a, b) =>
        compareCodeUnits(a.file.path, b.file.path) ||
        a.span.start - b.span.start ||
        a.span.end - b.span.end ||
        compareCodeUnits(a.code, b.code) ||
        compareCodeUnits(a.message, b.message),
    );
  }
}

/** Deterministic string order (never `localeCompare`: output must not depend on the machine). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
