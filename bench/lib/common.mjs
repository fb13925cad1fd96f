// Shared by the benchmark sections: paths, timing, statistics, formatting.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(ROOT, "bin", "hypothecary.js");
export const SUPPORT = join(ROOT, "test", "support");

/**
 * CPU time (user + system, milliseconds) of this process's waited-for children so far, from
 * /proc/self/stat (cutime + cstime, in clock ticks of 10 ms): the difference around a spawnSync
 * is what that process tree used, whatever else the machine runs.
 */
export function childrenCpuMs() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * Wall time (ms) of one process, from spawn to exit, and the CPU time its process tree used
 * (cpu). Throws when it fails (check).
 */
export function timeProcess(cmd, argv, { env, cwd, check = (r) => r.status === 0, input } = {}) {
  const cpu0 = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: "utf8", env, cwd, input, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = childrenCpuMs() - cpu0;
  if (r.error) throw r.error;
  if (!check(r)) {
    throw new Error(`${cmd} ${argv.join(" ")} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  }
  return { ms, cpu, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command once, returning its result; throws with its output when it fails. */
export function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`.slice(0, 4000));
  return r.stdout;
}

/** `node bin/hypothecary.js compile CONFIG -o RUNNER`. */
export function compile(config, runner) {
  run(process.execPath, [CLI, "compile", config, "-o", runner]);
}

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** median, p10, p90, min, max and n of a list of numbers. */
export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/**
 * The order of an interleaved measurement: `runs` rounds after `warmup` untimed ones (round < 0),
 * each running every name once, in a rotated order, so no side always runs first on a warm cache.
 */
function* interleaved(names, runs, warmup) {
  for (let round = -warmup; round < runs; round++) {
    const shift = ((round % names.length) + names.length) % names.length;
    for (let k = 0; k < names.length; k++) yield { round, name: names[(k + shift) % names.length] };
  }
}

/** Per name, the wall and CPU times of what a thunk returned: milliseconds, or { ms, cpu }. */
class Times {
  constructor(names) {
    this.names = names;
    this.times = Object.fromEntries(names.map((n) => [n, { ms: [], cpu: [] }]));
  }

  record(name, got) {
    this.times[name].ms.push(typeof got === "number" ? got : got.ms);
    if (typeof got === "object" && got.cpu !== undefined) this.times[name].cpu.push(got.cpu);
  }

  /** Per name, the stats of the wall times, with `cpu`: those of the CPU times when given. */
  summary() {
    return Object.fromEntries(
      this.names.map((n) => {
        const s = stats(this.times[n].ms);
        if (this.times[n].cpu.length > 0) s.cpu = stats(this.times[n].cpu);
        return [n, s];
      }),
    );
  }
}

/**
 * Runs each named thunk `runs` times, interleaved, after `warmup` untimed rounds. A thunk returns
 * milliseconds, or timeProcess's { ms, cpu } (or a promise of either). Returns, per name, the
 * stats of the wall times, with `cpu`: the stats of the CPU times when the thunk gave them.
 */
export async function interleaveAsync(thunks, runs, warmup = 1) {
  const times = new Times(Object.keys(thunks));
  for (const { round, name } of interleaved(times.names, runs, warmup)) {
    const got = await thunks[name]();
    if (round >= 0) times.record(name, got);
  }
  return times.summary();
}

/** interleaveAsync for thunks that return at once. */
export function interleave(thunks, runs, warmup = 1) {
  const times = new Times(Object.keys(thunks));
  for (const { round, name } of interleaved(times.names, runs, warmup)) {
    const got = thunks[name]();
    if (round >= 0) times.record(name, got);
  }
  return times.summary();
}

/** "12.3 ms" / "1.23 s", precision by size. */
export function fmtMs(ms) {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** "12.3 ms (11.9-13.0)": the median, then p10-p90, in the median's unit. */
export function fmtStats(s) {
  const seconds = s.median >= 1000;
  const digits = seconds ? 2 : s.median >= 100 ? 0 : s.median >= 10 ? 1 : 2;
  const f = (ms) => (seconds ? ms / 1000 : ms).toFixed(digits);
  return `${f(s.median)} ${seconds ? "s" : "ms"} (${f(s.p10)}-${f(s.p90)})`;
}

export const fmtRatio = (x) => `${x.toFixed(2)}x`;

/** A markdown table from a header row and rows of cells; `align` per column: "l" or "r". */
export function table(header, rows, align = header.map((_, i) => (i === 0 ? "l" : "r"))) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(align.map((a) => (a === "r" ? "---:" : "---"))), ...rows.map(line)].join("\n");
}

export async function waitForFile(file, what, tries = 200) {
  for (let i = 0; i < tries; i++) {
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8").trim();
      if (text !== "") return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not start (no ${file})`);
}

export function option(args, name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
}
