import type { CheckedPlugin, Program } from "../../../compiler/model/model.js";
import { SourceFile } from "../../../compiler/source/source-file.js";

/** A checked program built by hand, for codegen tests that must not depend on the front end. */
export function programOf(plugins: Partial<CheckedPlugin>[], service = "test"): Program {
  return {
    file: new SourceFile("config.yaml", ""),
    configHash: "sha256:0",
    service,
    report: { format: "json", to: [], redact: [] },
    probes: [],
    cooldownMs: 60_000,
    plugins: plugins.map((p, i) => ({
      index: i + 1,
      name: `p${i + 1}`,
      line: i + 1,
      action: { kind: "shell", command: "true" },
      parallel: false,
      timeoutMs: 30_000,
      triggers: ["manual"],
      intervalMs: 60_000,
      hypothesis: undefined,
      edges: [],
      isRoot: true,
      ...p,
    })),
    sinks: [],
  };
}
