/**
 * A source text and its line starts. Spans are offsets into `text`; line and column are computed
 * only when a diagnostic is printed (the graphql-js way), so stages pass cheap numbers around.
 */
export interface Span {
  /** Offset of the first UTF-16 code unit. */
  readonly start: number;
  /** Offset one past the last code unit (`start` for an empty span). */
  readonly end: number;
}

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based, counted in Unicode code points so editors agree with us. */
  readonly column: number;
}

export class SourceFile {
  private lineStarts: number[] | undefined;

  /**
   * @param path The path as the user named it, relative to the working directory when possible:
   *   it appears in diagnostics and in the runner header, so it must never be absolute there.
   */
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  positionOf(offset: number): Position {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo]!;
    const column = [...this.text.slice(lineStart, Math.min(offset, this.text.length))].length + 1;
    return { line: lo + 1, column };
  }

  /** The text of a 1-based line, without its line break. */
  /** The span of line `line` (1-based), without its line break. */
  lineSpan(line: number): Span {
    const start = this.starts()[line - 1] ?? this.text.length;
    return span(start, start + this.lineText(line).length);
  }

  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return "";
    const next = starts[line];
    const raw = this.text.slice(start, next ?? this.text.length);
    return raw.replace(/\r?\n$/, "");
  }

  get lineCount(): number {
    return this.starts().length;
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) {
        if (this.text.charCodeAt(i) === 10) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

export function span(start: number, end: number = start): Span {
  return { start, end };
}
