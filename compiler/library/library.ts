/**
 * The shell the runner is assembled from: runtime fragments (the engine) and prebuilt plugins
 * (stdlib/). The CLI reads the files; everything here works on their text, so codegen and check
 * stay pure and tests can hand in a library of their own.
 */
export interface Library {
  /** By fragment name, e.g. `scheduler` for runtime/scheduler.sh, `lib/net` for stdlib/lib/net.sh. */
  readonly fragments: ReadonlyMap<string, Fragment>;
  /** By prebuilt name as users write it, e.g. `HTTP`, `AWS-STS`. */
  readonly prebuilts: ReadonlyMap<string, PrebuiltDefinition>;
}

export interface Fragment {
  readonly name: string;
  /** Repository-relative path, for the `# runtime/x.sh` comment in the runner. */
  readonly path: string;
  /** Other fragments this one calls (its `# requires:` header line). */
  readonly requires: readonly string[];
  /** The shell text with the manifest header removed. */
  readonly body: string;
}

export const PARAM_TYPES = ["string", "integer", "duration", "boolean", "list", "port"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export interface ParamSpec {
  /** `[a-z][a-z0-9_]*`; the runner passes it as the shell variable `hyp_arg_<name>`. */
  readonly name: string;
  readonly type: ParamType;
  readonly required: boolean;
  /** Default in the user's notation (e.g. `5s`, `2xx`); absent for required parameters. */
  readonly default: string | undefined;
  /** For strings: the accepted values, when the set is closed. */
  readonly choices: readonly string[] | undefined;
  readonly description: string;
}

export interface PrebuiltDefinition {
  readonly name: string;
  readonly path: string;
  readonly summary: string;
  /** What a pass and a failure tell the on-call engineer. */
  readonly reports: string;
  /** The shell function the runner calls, `hyp_prebuilt_<something>`. */
  readonly functionName: string;
  readonly params: readonly ParamSpec[];
  readonly requires: readonly string[];
  readonly body: string;
}
