// Runner size: what `compile` writes for each example, and for a one-plugin config per prebuilt,
// against the baseline of a one-plugin config with a `shell` plugin (the runtime alone).
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, compile, ROOT, run, table } from "../lib/common.mjs";

/** Parameters a prebuilt cannot compile or run without. */
const PARAMS = {
  DNS: { name: "example.com" },
  HTTP: { url: "http://127.0.0.1:8080/healthz" },
  TCP: { port: 8080 },
  "TLS-CERT": { host: "example.com" },
};

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Issue 8's target for the seed's examples (examples/seed-*.yaml: its first is AWS-STS). */
const SEED_TARGET_BYTES = 32 * 1024;

export function sizeSection({ dir }) {
  const size = (config) => {
    const runner = join(dir, "size-out.sh");
    compile(config, runner);
    return statSync(runner).size;
  };
  const one = (name, plugin) => {
    const config = join(dir, `size-${name}.yaml`);
    writeFileSync(config, `service: bench-size\nplugins:\n  - plugin: ${JSON.stringify(plugin)}\n`);
    return size(config);
  };
  const base = one("shell", { name: "one", type: "shell", shell_command: "true" });
  const targets = [];
  const examples = readdirSync(join(ROOT, "examples"))
    .filter((f) => /\.(ya?ml|hyp)$/.test(f))
    .sort()
    .map((f) => {
      const bytes = size(join(ROOT, "examples", f));
      if (/^seed-.*\.yaml$/.test(f)) {
        targets.push({ name: `runner of examples/${f}`, value: kib(bytes), limit: `< ${kib(SEED_TARGET_BYTES)}`, met: bytes < SEED_TARGET_BYTES });
      }
      return [`examples/${f}`, kib(bytes), `${(bytes / base).toFixed(2)}x`];
    });
  const prebuilts = JSON.parse(run(process.execPath, [CLI, "plugins", "--format", "json"]))
    .map((p) => p.name)
    .sort()
    .map((name) => {
      const bytes = one(name, { name: "one", type: "prebuilt", prebuilt: name, ...(PARAMS[name] ? { with: PARAMS[name] } : {}) });
      return [name, kib(bytes), `${(bytes / base).toFixed(2)}x`, `+${kib(bytes - base)}`];
    });
  const body = [
    `Bytes of the runner \`compile\` writes (no options). Baseline: a config of one \`shell\` plugin ` +
      `(\`true\`), ${kib(base)}: the runtime every runner carries.`,
    "",
    table(["example", "runner", "ratio to the baseline"], examples),
    "",
    "One plugin per prebuilt (with the parameters it requires, if any):",
    "",
    table(["prebuilt", "runner", "ratio to the baseline", "above it"], prebuilts),
  ].join("\n");
  return { title: "Runner size", body, targets, summary: `baseline ${kib(base)}` };
}
