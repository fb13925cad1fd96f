import { createHash } from "node:crypto";
import type { Program } from "../model/model.js";

/**
 * The runner's `HYP_CONFIG_HASH`: a hash of what the runner does, not of how the config is
 * spelled. It covers the checked model without its source positions (every `line` field of
 * the Program: probes, plugins, sinks), and the bytes of every script and plugin-pack file
 * inlined, so the YAML and the .hyp form of a config hash alike, a comment changes nothing, and
 * editing a script changes the hash.
 */
export function configHash(program: Omit<Program, "file" | "configHash">, files: readonly Uint8Array[]): string {
  const model = JSON.stringify(program, (key, value: unknown) => (key === "line" ? undefined : value));
  const hash = createHash("sha256").update(model, "utf8");
  for (const bytes of files) hash.update(bytes);
  return `sha256:${hash.digest("hex")}`;
}
