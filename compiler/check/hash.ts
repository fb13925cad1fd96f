import { createHash } from "node:crypto";

/**
 * The runner's `HYP_CONFIG_HASH`: what the runner was compiled from, i.e. the config text and
 * every script inlined into it (in plugin order), so editing a script changes the hash too.
 */
export function configHash(configText: string, scripts: readonly Uint8Array[]): string {
  const hash = createHash("sha256").update(configText, "utf8");
  for (const bytes of scripts) hash.update(bytes);
  return `sha256:${hash.digest("hex")}`;
}
