import type { Located } from "./model.js";
import type { Span } from "../source/source-file.js";

/**
 * Log sinks (`sinks:`): where a run's report goes besides `report.to`. The front end produces
 * `SinkModel`s, `check` turns them into `CheckedSink`s with every default applied, codegen
 * writes one `hyp_sink_N` block per sink (compiler/codegen/sinks.ts). Secrets (tokens, and URLs
 * that carry one) are named, never held: an environment variable or a file the runner reads
 * when it delivers.
 */

export const SINK_TYPES = ["splunk_hec", "datadog", "loki", "webhook", "slack"] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export const SINK_DEFAULTS = {
  /** One attempt's deadline. */
  timeoutMs: 5_000,
  /** Attempts after the first, on a connection failure, a timeout, a 5xx or a 429. */
  retries: 2,
  /** Splunk `source`, Datadog `ddsource`. */
  source: "hypothecary",
  /** Splunk `sourcetype`. */
  sourcetype: "hypothecary:report",
  /** Datadog intake site. */
  site: "datadoghq.com",
} as const;

/** The longest deadline one attempt may have: a probe's detached run must end. */
export const SINK_MAX_TIMEOUT_MS = 60_000;
export const SINK_MAX_RETRIES = 10;

/** Where a value comes from: written in the config, or read at delivery time. */
export type ValueSource =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "file"; readonly path: string };

/** A secret is never literal: the runner is a file anyone who can read the image can read. */
export type SecretSource = Extract<ValueSource, { kind: "env" | "file" }>;

/** What the front end produces for one entry of `sinks:`. */
export interface SinkModel {
  /** The whole entry, for the runner's `file:line` comment. */
  readonly span: Span;
  readonly type: Located<SinkType>;
  /** `name:`, when written. */
  readonly name: Located<string> | undefined;
  /** Absent only for a Datadog sink that names its `site`. */
  readonly url: ValueSource | undefined;
  readonly token: SecretSource | undefined;
  readonly timeoutMs: number | undefined;
  readonly retries: number | undefined;
  readonly headers: readonly (readonly [string, string])[];
  readonly index: string | undefined;
  readonly source: string | undefined;
  readonly sourcetype: string | undefined;
  readonly host: string | undefined;
  readonly site: string | undefined;
  readonly service: string | undefined;
  readonly tags: readonly string[];
  readonly tenant: string | undefined;
  readonly labels: readonly (readonly [string, string])[];
}

/** One sink as the runner delivers to it: every default applied. */
export interface CheckedSink {
  /** 1-based position in `sinks:`: the runner's `hyp_sink_N`. */
  readonly index: number;
  /** As written, else the type (with `-N`, its position, when the type is used twice). */
  readonly name: string;
  readonly type: SinkType;
  readonly line: number;
  /** The endpoint, or where to read it; for a Datadog site, the site's intake URL. */
  readonly url: ValueSource;
  readonly token: SecretSource | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Extra request headers, in the order written. */
  readonly headers: readonly (readonly [string, string])[];
  /**
   * The type's own fields, in a fixed order: Splunk `index source sourcetype host`, Datadog
   * `source service tags host`, Loki `tenant labels`. Empty text means "not set" (for `host`:
   * the container's host name, read at delivery).
   */
  readonly fields: readonly (readonly [string, string])[];
}
