// Compile time as the config grows: cold `node bin/hypothecary.js compile FILE -o runner.sh`
// (a new node process each run) of generated configs of 1, 10, 100, 1,000 and 5,000 plugins, as
// .hyp and as YAML (converted by the CLI), and how it grows. Baseline: `node -e 0`, the cost of
// starting node at all, measured in the same rounds.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, fmtMs, fmtRatio, fmtStats, interleave, run, table, timeProcess } from "../lib/common.mjs";
import { hypText } from "../lib/generate.mjs";

export const COMPILE_TARGET_MS = 1000;
export const SIZES = [1, 10, 100, 1000, 5000];
/** A fitted exponent up to this counts as linear (the spread of cold runs on a shared machine). */
const LINEAR = 1.1;

export function compileSection({ dir, runs, bigRuns }) {
  const files = {};
  for (const n of SIZES) {
    const hyp = join(dir, `compile-${n}.hyp`);
    const yaml = join(dir, `compile-${n}.yaml`);
    writeFileSync(hyp, hypText(n));
    run(process.execPath, [CLI, "convert", hyp, "-o", yaml]);
    files[n] = { hyp, yaml };
  }
  const out = join(dir, "compile-out.sh");
  const compileMs = (file) => () => timeProcess(process.execPath, [CLI, "compile", file, "-o", out]);
  const t = {};
  for (const n of SIZES) {
    const thunks = { yaml: compileMs(files[n].yaml), hyp: compileMs(files[n].hyp) };
    if (n === 1) thunks.node = () => timeProcess(process.execPath, ["-e", "0"]).ms;
    t[n] = interleave(thunks, n >= 5000 ? bigRuns : runs, 1);
  }
  const node = t[1].node.median;
  const formats = [
    ["hyp", ".hyp"],
    ["yaml", "YAML"],
  ];
  const rows = SIZES.map((n) => [
    n.toLocaleString("en"),
    ...formats.flatMap(([f]) => [fmtStats(t[n][f]), fmtMs(t[n][f].cpu.median), fmtRatio(t[n][f].median / node)]),
  ]);
  // Growth: the time above the fixed cost (node, the compiler's code, the runtime: the faster of
  // the 1- and 10-plugin compiles, which differ by noise only), per plugin between sizes, and
  // the exponent b of t(n) - t0 ~ n^b between 1,000 and 5,000 plugins, where that part is most
  // of the time (at 100 it is within the noise of the fixed cost).
  const growth = {};
  const growthRows = [];
  for (const [f, label] of formats) {
    const fixed = Math.min(t[1][f].median, t[10][f].median);
    const variable = (n) => Math.max(t[n][f].median - fixed, 1);
    const exponent = Math.log(variable(5000) / variable(1000)) / Math.log(5000 / 1000);
    const perPlugin = [];
    for (let i = 2; i < SIZES.length; i++) {
      const [a, b] = [SIZES[i - 1], SIZES[i]];
      perPlugin.push(((t[b][f].median - t[a][f].median) / (b - a)).toFixed(3));
    }
    growth[f] = { exponent, label };
    growthRows.push([label, ...perPlugin, exponent.toFixed(2)]);
  }
  const body = [
    `Cold \`node bin/hypothecary.js compile FILE -o runner.sh\`, a new process each run, of generated ` +
      `configs (the parse benchmark's mix of shell plugins and prebuilts; YAML converted from the .hyp ` +
      `by the CLI). ${runs} runs per size (${bigRuns} at 5,000), the formats interleaved, after a warm-up ` +
      `run (files in the page cache). Median (p10-p90); ratio to \`node -e 0\` ` +
      `(${fmtMs(node)}), measured in the same rounds.`,
    "",
    table(["plugins", "`.hyp`", "CPU", "ratio to node -e 0", "YAML", "CPU", "ratio to node -e 0"], rows),
    "",
    "CPU: user + system time of the compile process (node's own threads included), the median; on " +
      "a busy machine the wall time can be far above it.",
    "",
    `Growth: milliseconds per added plugin between consecutive sizes, and the exponent b of ` +
      `t(n) - t0 ~ n^b between 1,000 and 5,000 plugins, where t0, the fixed cost, is the faster of ` +
      `the 1- and 10-plugin compiles (1 is linear; the variable part is too small at 100 to fit):`,
    "",
    table(["format", "10 -> 100", "100 -> 1,000", "1,000 -> 5,000", "exponent b"], growthRows),
  ].join("\n");
  const targets = [];
  for (const [f, label] of formats) {
    targets.push({
      name: `cold compile of 1,000 plugins, ${label}`,
      value: fmtMs(t[1000][f].median),
      limit: `< ${fmtMs(COMPILE_TARGET_MS)}`,
      met: t[1000][f].median < COMPILE_TARGET_MS,
    });
  }
  for (const [f, label] of formats) {
    targets.push({
      name: `compile time growth, ${label} (exponent, 1,000 -> 5,000)`,
      value: growth[f].exponent.toFixed(2),
      limit: `<= ${LINEAR} (linear)`,
      met: growth[f].exponent <= LINEAR,
    });
  }
  return {
    title: "Compile time by config size",
    body,
    targets,
    summary: `1,000 plugins: .hyp ${fmtMs(t[1000].hyp.median)}, YAML ${fmtMs(t[1000].yaml.median)}; exponent .hyp ${growth.hyp.exponent.toFixed(2)}, YAML ${growth.yaml.exponent.toFixed(2)}`,
  };
}
