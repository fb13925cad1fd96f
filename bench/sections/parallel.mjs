// Parallel efficiency: how close a run of a DAG of `sleep` plugins comes to its critical path.
// Efficiency = critical path / wall time of `dash runner.sh run`. The critical path is nominal
// (the sum of the sleeps along the longest chain); beside it, the same sleeps run one after
// another by one `dash -c` are measured in the same rounds (what the chain costs a shell with
// no scheduler at all).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, fmtMs, fmtStats, interleave, table, timeProcess } from "../lib/common.mjs";

export const PARALLEL_TARGET = 0.85;

/** Plugins as [name, seconds, children, root], all `parallel` (a root is named by no conditional). */
function dags() {
  const wide = Array.from({ length: 16 }, (_, i) => [`w${i + 1}`, 0.5, [], true]);
  const deep = Array.from({ length: 8 }, (_, i) => [`d${i + 1}`, 0.25, i < 7 ? [`d${i + 2}`] : [], i === 0]);
  // Four chains of four, side by side, and eight leaves hanging off the first link of each
  // chain (two each).
  const mixed = [];
  for (let c = 1; c <= 4; c++) {
    for (let k = 1; k <= 4; k++) {
      const children = k < 4 ? [`m${c}-${k + 1}`] : [];
      if (k === 1) children.push(`m${c}-a`, `m${c}-b`);
      mixed.push([`m${c}-${k}`, 0.25, children, k === 1]);
    }
    mixed.push([`m${c}-a`, 0.25, [], false], [`m${c}-b`, 0.25, [], false]);
  }
  return [
    { label: "wide: 16 roots of `sleep 0.5`", plugins: wide, critical: [0.5] },
    { label: "deep: a chain of 8 `sleep 0.25`", plugins: deep, critical: Array(8).fill(0.25) },
    { label: "mixed: 4 chains of 4 `sleep 0.25`, 2 leaves off each chain's first link (24 plugins)", plugins: mixed, critical: Array(4).fill(0.25) },
  ];
}

function yaml(plugins) {
  const lines = ["service: bench-dag", "report: { format: json, to: [stdout] }", "plugins:"];
  for (const [name, secs, children] of plugins) {
    const conditionals = children.map((child) => `{ response: success, child_name: ${child} }`).join(", ");
    lines.push(
      `  - plugin: { name: ${name}, type: shell, shell_command: "sleep ${secs}", parallel: true` +
        `${children.length ? `, conditionals: [${conditionals}]` : ""} }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function parallelSection({ dir, runs }) {
  const env = { ...process.env, HYP_STATE_DIR: join(dir, "state") };
  const rows = [];
  const targets = [];
  dags().forEach((dag, i) => {
    const config = join(dir, `dag-${i}.yaml`);
    const runner = join(dir, `dag-${i}.sh`);
    writeFileSync(config, yaml(dag.plugins));
    compile(config, runner);
    const n = dag.plugins.length;
    const ok = (r) => r.status === 0 && new RegExp(`"event":"summary".*"total":${n},"passed":${n},`).test(r.stdout);
    const chain = dag.critical.map((s) => `sleep ${s}`).join("; ");
    const t = interleave(
      {
        run: () => timeProcess("dash", [runner, "run"], { env, check: ok }),
        chain: () => timeProcess("dash", ["-c", chain]),
      },
      runs,
      1,
    );
    const critical = dag.critical.reduce((a, b) => a + b, 0) * 1000;
    const efficiency = critical / t.run.median;
    rows.push([
      dag.label,
      fmtMs(critical),
      fmtStats(t.chain),
      fmtStats(t.run),
      efficiency.toFixed(2),
      (t.chain.median / t.run.median).toFixed(2),
      fmtMs(t.run.cpu.median),
    ]);
    targets.push({
      name: `parallel efficiency, ${dag.label.replace(/:.*/, "")}`,
      value: efficiency.toFixed(2),
      limit: `> ${PARALLEL_TARGET}`,
      met: efficiency > PARALLEL_TARGET,
    });
  });
  const body = [
    `\`dash runner.sh run\` of runners whose plugins are \`sleep\` shell plugins, all \`parallel\`, ` +
      `children reached by \`success\` conditionals; each run is checked to report every plugin passed. ` +
      `${runs} runs each, interleaved with the critical path's sleeps run by one \`dash -c\`. ` +
      `Efficiency: critical path / wall time (the nominal path, then the measured one).`,
    "",
    table(["DAG", "critical path", "its sleeps in one `dash -c`", "`dash runner.sh run`", "efficiency", "against the measured path", "CPU time of the run"], rows),
  ].join("\n");
  return { title: "Parallel efficiency", body, targets, summary: targets.map((t) => `${t.name.replace("parallel efficiency, ", "")} ${t.value}`).join(", ") };
}
