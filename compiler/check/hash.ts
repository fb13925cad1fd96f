import { createHash } from "node:crypto";
import type { Program } from "../model/model.js";

/**
 * The runner's `HYP_CONFIG_HASH`: a hash of what the runner does, not of how the config is
 * spelled. It covers the checked model without its source positions, and the bytes of every
 * script and plugin-pack file inlined, so the YAML and the .hyp form of a config hash alike, a
 * comment changes nothing, and editing a script changes the hash.
 */
export function configHash(program: Omit<Program, "file" | "configHash">, files: readonly Uint8Array[]): string {
  const model = {
    ...program,
    probes: program.probes.map(({ line: _line, ...probe }) => probe),
    plugins: program.plugins.map(({ line: _line, ...plugin }) => plugin),
  };
  const hash = createHash("sha256").update(JSON.stringify(model), "utf8");
  for (const bytes of files) hash.update(bytes);
  return `sha256:${hash.digest("hex")}`;
}
