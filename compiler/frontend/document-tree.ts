import type { Span } from "../source/source-file.js";

/**
 * Where each value of a config was written. Both front ends produce the same plain JS value (the
 * YAML's data, or the same data spelled in the .hyp DSL) and a `DocumentTree` over it, so the
 * schema checks, the issue words and the model builder are shared, and a path zod reports
 * (`["plugins", 0, "plugin", "name"]`) is shown where the user wrote it in either form.
 */
export type Path = readonly PropertyKey[];

export interface DocumentTree {
  /** Whether a value was written at `path`. */
  has(path: Path): boolean;
  /** Whether the value at `path` was written as a list (`[a, b]`), not as one value. */
  isList(path: Path): boolean;
  /** Where the value at `path` was written; for a missing value, where it would be. */
  valueSpan(path: Path): Span;
  /** The key's span for a mapping entry (or the DSL keyword that sets it), else the value's. */
  keySpan(path: Path): Span;
  /** Where to point at the mapping at `path` as a whole (its key, which reads better). */
  anchorSpan(path: Path): Span;
  /** The text of a scalar as written (`1.10` stays `1.10`), else undefined. */
  scalarText(path: Path): string | undefined;
  /** What the user wrote at `path`, in words, for "… must be a number, not …" messages. */
  describe(path: Path): string;
}

export function abbreviate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine;
}
