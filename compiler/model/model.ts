import type { SourceFile, Span } from "../source/source-file.js";
import type { CheckedSink, SinkModel } from "./sinks.js";

/**
 * The model. A front end (YAML today, the .hyp DSL later) produces a `ConfigModel`: the user's
 * words with their spans, shape-checked but not yet cross-checked. `check` turns it into a
 * `Program`: names resolved, defaults applied, scripts read, prebuilt parameters validated.
 * Codegen reads only the `Program`.
 */

export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

export const PLUGIN_TYPES = ["prebuilt", "shell", "script"] as const;
export type PluginType = (typeof PLUGIN_TYPES)[number];

export const TRIGGER_TYPES = [
  "on_liveness_failure",
  "on_readiness_failure",
  "on_startup_failure",
  "periodic",
  "manual",
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** When a root plugin says nothing about triggers it runs on every probe failure and on demand. */
export const DEFAULT_TRIGGERS: readonly TriggerType[] = [
  "on_liveness_failure",
  "on_readiness_failure",
  "on_startup_failure",
  "manual",
];

/** `child_name` values that end a branch instead of naming a plugin. */
export const TERMINAL_CHILD_NAMES = ["None", "none", "null", "skip-to-end"] as const;

/** Plugin names: SPEC.md fixes the alphabet. */
export const PLUGIN_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export const REPORT_FORMATS = ["json", "text"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `container-log`, `stdout`, `stderr` or `file:PATH`. */
export type Destination =
  | { readonly kind: "container-log" }
  | { readonly kind: "stdout" }
  | { readonly kind: "stderr" }
  | { readonly kind: "file"; readonly path: string };

export const PROBE_KINDS = ["liveness", "readiness", "startup"] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The real health check a probe runs before any hypothesis. */
export type ProbeCheck =
  | { readonly kind: "exec"; readonly command: string }
  | {
      readonly kind: "http";
      readonly scheme: "http" | "https";
      readonly host: string;
      readonly port: number;
      readonly path: string;
      /** In the order written. */
      readonly headers: readonly (readonly [string, string])[];
    }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number };

export const DEFAULTS = {
  /** Per-plugin deadline when `trigger_timeout` is absent. */
  timeoutMs: 30_000,
  /** `periodic` interval when `trigger_interval` is absent. */
  intervalMs: 60_000,
  /** A probe's own deadline when `timeout` is absent: the kubelet's default timeoutSeconds. */
  probeTimeoutMs: 1_000,
  /** Probe-triggered diagnostics start at most once per this long. */
  cooldownMs: 60_000,
} as const;

// ---------------------------------------------------------------------------------------------
// What a front end produces.

export interface ConfigModel {
  readonly file: SourceFile;
  readonly service: Located<string> | undefined;
  readonly report: ReportModel | undefined;
  readonly probes: readonly ProbeModel[];
  readonly cooldownMs: Located<number> | undefined;
  readonly plugins: readonly PluginModel[];
  /** Span of the `plugins` key's value (for "no plugins" errors), or the whole file. */
  readonly pluginsSpan: Span;
  /** `imports:`: plugin packs, as written (a folder relative to the config, or an npm package). */
  readonly imports: readonly Located<string>[];
  /** `sinks:`, in the order written. */
  readonly sinks: readonly SinkModel[];
}

export interface ProbeModel {
  readonly kind: ProbeKind;
  /** The probe's mapping, for the runner's `file:line` comment. */
  readonly span: Span;
  readonly check: ProbeCheck;
  readonly timeoutMs: Located<number> | undefined;
}

export interface ReportModel {
  readonly format: Located<ReportFormat> | undefined;
  readonly to: readonly Located<Destination>[] | undefined;
  /** `report.redact`: the user's patterns, checked (frontend/yaml/redact-pattern.ts). */
  readonly redact: readonly Located<string>[] | undefined;
}

export interface PluginModel {
  /** The whole `plugin:` mapping; its first line goes into the runner's `file:line` comment. */
  readonly span: Span;
  readonly name: Located<string>;
  readonly type: Located<PluginType>;
  readonly shellCommand: Located<string> | undefined;
  readonly scriptPath: Located<string> | undefined;
  /** Which prebuilt to run; when absent, the plugin's name (the seed's `name: AWS-STS`). */
  readonly prebuilt: Located<string> | undefined;
  /** `with:` parameters, values as the user wrote them (scalars stringified, lists as arrays). */
  readonly params: readonly ParamModel[];
  readonly paramsSpan: Span | undefined;
  readonly parallel: boolean;
  /** The hypothesis in words, for the report's verdict. */
  readonly hypothesis: Located<string> | undefined;
  readonly conditionals: readonly ConditionalModel[];
  readonly trigger: TriggerModel | undefined;
}

export interface ParamModel {
  readonly key: Located<string>;
  readonly value: Located<ParamValue>;
  /** Where each entry of a list was written. */
  readonly entrySpans?: readonly Span[];
}

export type ParamValue = string | number | boolean | readonly (string | number | boolean)[];

export interface ConditionalModel {
  readonly span: Span;
  /** Already syntax-checked by the front end (see `response.ts`). */
  readonly response: Located<string>;
  /** A plugin name, or `null` for None / null / skip-to-end. */
  readonly child: Located<string | null>;
}

export interface TriggerModel {
  readonly span: Span;
  readonly types: readonly Located<TriggerType>[] | undefined;
  readonly intervalMs: Located<number> | undefined;
  readonly timeoutMs: Located<number> | undefined;
}

// ---------------------------------------------------------------------------------------------
// What `check` produces and codegen consumes.

export interface Program {
  readonly file: SourceFile;
  /** `sha256:<hex>` of the config text (and of every inlined script, in order). */
  readonly configHash: string;
  readonly service: string;
  readonly report: {
    readonly format: ReportFormat;
    readonly to: readonly Destination[];
    /** Patterns hidden in plugin output besides the built-in ones; empty when none. */
    readonly redact: readonly string[];
  };
  /** In PROBE_KINDS order, only those configured. */
  readonly probes: readonly CheckedProbe[];
  readonly cooldownMs: number;
  /** Declaration order; `index` is 1-based and is the plugin's number in the runner. */
  readonly plugins: readonly CheckedPlugin[];
  /** Where each run's report goes besides `report.to`, in the order written. */
  readonly sinks: readonly CheckedSink[];
}

export interface CheckedProbe {
  readonly kind: ProbeKind;
  readonly line: number;
  readonly check: ProbeCheck;
  readonly timeoutMs: number;
}

export interface CheckedPlugin {
  readonly index: number;
  readonly name: string;
  /** 1-based line of the plugin block in `Program.file`. */
  readonly line: number;
  readonly action: PluginAction;
  readonly parallel: boolean;
  readonly timeoutMs: number;
  /** Meaningful on roots only; children run when a parent's conditional matches. */
  readonly triggers: readonly TriggerType[];
  readonly intervalMs: number;
  readonly hypothesis: string | undefined;
  readonly edges: readonly Edge[];
  readonly isRoot: boolean;
}

export type PluginAction =
  | { readonly kind: "shell"; readonly command: string }
  | {
      readonly kind: "script";
      /** As written in the config, relative to the config's folder. */
      readonly path: string;
      readonly content: string;
      /** From the script's `#!` line: program and at most one argument; `["sh"]` without one. */
      readonly interpreter: readonly string[];
    }
  | {
      readonly kind: "prebuilt";
      readonly prebuilt: string;
      /** Normalised parameter values, every parameter present (defaults applied), in manifest order. */
      readonly args: readonly { readonly name: string; readonly value: string }[];
    };

export interface Edge {
  readonly response: string;
  /** 1-based plugin index, or `null`: the branch ends here. */
  readonly child: number | null;
}
