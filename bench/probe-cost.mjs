#!/usr/bin/env node
// The healthy probe's cost against the bare check it runs (issue 3, item 4). For each check,
// compiles a config whose liveness probe is that exec check, then runs, interleaved, N times
// each: `SHELL -c CHECK` (what the probe would cost if it were the check alone) and
// `SHELL runner.sh probe liveness`. Prints the medians and their ratio, measured in this one
// run, and exits 1 when a ratio is over 1.5. Results: BENCHMARKS.md.
//
//   node bench/probe-cost.mjs [--runs N] [--shell dash] [--markdown]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("--runs", "400"));
const shell = option("--shell", "dash");
const markdown = args.includes("--markdown");

const work = mkdtempSync(join(tmpdir(), "hyp-bench-"));
// A loopback HTTP server in a process of its own (spawnSync blocks this one's event loop).
const server = spawn(process.execPath, [join(root, "test/support/http-server.mjs"), join(work, "port")], { stdio: "ignore" });
try {
  const port = await waitForPort(join(work, "port"));
  const checks = [
    // The compiler runs a check made only of test builtins in the probe's own shell...
    { label: 'test builtins: test -d "$HOME"', command: 'test -d "$HOME"' },
    // ...and anything else in a subshell beside a watchdog.
    { label: "one program: cat /proc/loadavg", command: "cat /proc/loadavg >/dev/null" },
    { label: "an HTTP check: curl -fsS 127.0.0.1", command: `curl -fsS -o /dev/null http://127.0.0.1:${port}/status/200` },
  ];
  const rows = checks.map((check, i) => measure(check, i));
  print(rows);
  if (rows.some((row) => row.ratio > 1.5)) process.exitCode = 1;
} finally {
  server.kill();
  rmSync(work, { recursive: true, force: true });
}

async function waitForPort(file) {
  for (let i = 0; i < 100; i++) {
    if (existsSync(file) && readFileSync(file, "utf8").trim() !== "") return readFileSync(file, "utf8").trim();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the HTTP server did not start");
}

function measure(check, i) {
  const config = join(work, `probe-${i}.yaml`);
  const runner = join(work, `probe-${i}.sh`);
  writeFileSync(
    config,
    `service: bench\nprobes:\n  liveness: { exec: ${JSON.stringify(check.command)} }\nplugins:\n` +
      `  - plugin: { name: noop, type: shell, shell_command: "true" }\n`,
  );
  const compiled = spawnSync(process.execPath, [join(root, "bin/hypothecary.js"), "compile", config, "-o", runner], { encoding: "utf8" });
  if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
  const bare = [shell, ["-c", check.command]];
  const probe = [shell, [runner, "probe", "liveness"]];
  for (const [cmd, argv] of [bare, probe]) {
    const r = spawnSync(cmd, argv, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} exited ${r.status}: ${r.stdout}${r.stderr}`);
  }
  const times = { bare: [], probe: [] };
  for (let n = 0; n < runs; n++) {
    // Alternate the order, so neither side always runs on a warmer cache.
    const order = n % 2 === 0 ? ["bare", "probe"] : ["probe", "bare"];
    for (const side of order) {
      const [cmd, argv] = side === "bare" ? bare : probe;
      const start = process.hrtime.bigint();
      spawnSync(cmd, argv, { stdio: "ignore" });
      times[side].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const bareMs = median(times.bare);
  const probeMs = median(times.probe);
  return { label: check.label, bareMs, probeMs, ratio: probeMs / bareMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function print(rows) {
  const fmt = (ms) => ms.toFixed(2);
  if (markdown) {
    console.log(`| check (${shell}, median of ${runs}) | \`${shell} -c CHECK\` | \`${shell} runner.sh probe liveness\` | ratio |`);
    console.log("|---|---:|---:|---:|");
    for (const r of rows) console.log(`| ${r.label} | ${fmt(r.bareMs)} ms | ${fmt(r.probeMs)} ms | ${r.ratio.toFixed(2)}x |`);
  } else {
    for (const r of rows) {
      console.log(`${r.label.padEnd(36)} bare ${fmt(r.bareMs)} ms  probe ${fmt(r.probeMs)} ms  ratio ${r.ratio.toFixed(2)}x`);
    }
  }
}
