import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document } from "yaml";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { convertSource } from "../../compiler/convert/convert.js";
import { DiagnosticBag, type Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { compileSource } from "../../compiler/pipeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { noFiles } from "./support/front-to-check.js";

/**
 * Issue 8's fuzz (RELIABILITY.md): seeded configs full of hostile strings, in YAML, in raw text
 * the YAML library would never write, and in the DSL. Each must either compile to a runner that
 * `sh -n` accepts and that runs the literal commands, or fail with diagnostics that are all
 * located (file, line, column inside the text). A thrown exception is a failure, reported with
 * the seed and the config's index, which regenerate it.
 *
 * What CI runs (HYP_FUZZ_RUNS, default 10,000 configs): every config generated, compiled and
 * classified; `sh -n` under dash and busybox for one compiled runner in HYP_FUZZ_SHARE (default
 * 8), under each of the other six shells for one in 8 x 6 (rotating: each runner goes to one
 * of them); the literal run of HYP_FUZZ_LITERAL (default 24) runnable configs, rotating over the
 * eight shells. HYP_FUZZ_FULL=1: `sh -n` of every runner under every shell and the literal run
 * of every runnable config (rotating over the shells). HYP_FUZZ_SEED picks the seed;
 * HYP_FUZZ_CODES=1 prints the commonest diagnostics (to tune the generator).
 */

const SEED = Number(process.env.HYP_FUZZ_SEED ?? 20261125);
const RUNS = Number(process.env.HYP_FUZZ_RUNS ?? 10_000);
const FULL = process.env.HYP_FUZZ_FULL === "1";
const SHARE = Number(process.env.HYP_FUZZ_SHARE ?? 8);
const LITERAL = Number(process.env.HYP_FUZZ_LITERAL ?? 24);
const JOBS = Number(process.env.HYP_FUZZ_JOBS ?? 2);
const SHELLS = ["dash", "busybox sh", "bash --posix", "mksh", "ksh", "yash", "zsh --emulate sh", "posh"];

const library = loadLibrary();

/** mulberry32: small, seeded, the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces of hostile text. None looks like a secret, so redaction leaves markers whole. */
const PIECES = [
  '"', "'", "''", "'\\''", "$(echo pwned)", "`id`", "${HOME}", "$HYP_SERVICE", "$1", "$$", "\\", "\\\\", "\\n", "\\u0041",
  "\n", "\r", "\r\n", "\t", "\u0001", "\u0007", "\u001b[31m", "\u007f", "\u000b", "\u000c", "é", "☃", "🚀", "\u200b",
  "\u2028", "ß", "日本", ": ", "#", " # x", "- ", "{", "}", "[", "]", "&a", "*a", "!tag", "%", "@", "|", ">", "---", "...",
  ";", "&&", "||", "<", "*", "?", "[a]", "~", "%s", '"""', "plugin", "when", "then", "stop", "true", "null", "yes", "on",
  "5s", "1.10", "0x1F", "-1", "exec", "EOF", "<<EOF", "done", "fi", "}", ")", "(", "  ", " ", "x", "name", "run",
];
const DURATIONS = ["5s", "500ms", "1m30s", "2h", 30, "0s", "-1s", "5 s", "5sec", "1e3", "", "1.5m", "99999999999s", "s", "0.5s", "1ms"];
const KEYWORDS = ["plugin", "when", "then", "stop", "true", "null", "on", "5s", "1.10", "42", "None", "skip-to-end", "run", "x"];

class Gen {
  constructor(readonly r: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  hostile(max = 8): string {
    if (this.chance(0.01)) return "";
    if (this.chance(0.03)) return this.pick(PIECES).repeat(this.int(500, 3000));
    let s = "";
    for (let i = this.int(1, max); i > 0; i--) s += this.pick(PIECES);
    return s;
  }
  name(): string {
    if (this.chance(0.96)) return `${this.pick(["check", "api", "db", "c.3", "AWS-STS", "x_y"])}-${this.int(0, 99)}`;
    return this.chance(0.5) ? this.pick(KEYWORDS) : this.hostile(3);
  }
}

/** A marker command: prints TEXT, the hostile text, exactly (single quotes, ' as '\''). */
function printCommand(text: string): string {
  return `printf '%s\\n' '${text.replaceAll("'", "'\\''")}'`;
}

interface Generated {
  readonly path: string;
  readonly text: string;
  /** For a config whose shell plugins are all markers: plugin name -> the text it prints. */
  readonly markers: Map<string, string> | undefined;
}

function generate(g: Gen): Generated {
  const markers = new Map<string, string>();
  let runnable = true;
  // Free text (service, hypotheses, commands, probe checks) is hostile every time; fields with a
  // grammar (names, durations, responses, types) are wrong now and then, so about half compile.
  const wrong = (): boolean => g.chance(0.04);
  const duration = (): unknown => (wrong() ? g.pick(DURATIONS.slice(5)) : g.pick(DURATIONS.slice(0, 5)));
  const names: string[] = [];
  for (let i = g.int(1, 4); i > 0; i--) names.push(g.name());
  const plugins = names.map((name, index) => {
    const plugin: Record<string, unknown> = { name };
    const kind = g.int(0, 19);
    if (kind < 14) {
      const text = g.hostile(6).slice(0, 400);
      plugin.type = "shell";
      plugin.shell_command = printCommand(text);
      markers.set(name, text);
    } else if (kind < 16) {
      plugin.type = "shell";
      plugin.shell_command = g.hostile();
      runnable = false;
    } else if (kind < 18) {
      plugin.type = "prebuilt";
      plugin.prebuilt = wrong() ? "NOPE" : g.pick(["HTTP", "TCP"]);
      plugin.with = plugin.prebuilt === "TCP" ? { port: wrong() ? g.hostile(2) : g.int(1, 65535) } : { url: wrong() ? g.hostile() : `http://127.0.0.1:9/${encodeURIComponent(g.hostile(2))}` };
      runnable = false;
    } else {
      plugin.type = "script";
      plugin.path = g.hostile(3);
      runnable = false;
    }
    if (g.chance(0.6)) plugin.hypothesis = g.hostile();
    if (g.chance(0.3)) plugin.parallel = wrong() ? g.pick(["yes", 1, "maybe"]) : g.chance(0.5);
    if (g.chance(0.3)) {
      plugin.conditionals = [
        {
          response: wrong() ? g.pick(["bogus", "http_6xx", g.hostile(2)]) : g.pick(["success", "failure", "http_2xx", "not_timeout", "exit_3"]),
          child_name: wrong() ? g.hostile(2) : (g.pick([...names.slice(index + 1), null, "None"]) ?? null),
        },
      ];
    }
    if (g.chance(0.4)) {
      const trigger: Record<string, unknown> = {};
      if (g.chance(0.5)) trigger.trigger_type = wrong() ? [g.hostile(2)] : g.pick([["manual"], ["periodic", "manual"], ["on_liveness_failure"]]);
      if (g.chance(0.5)) trigger.trigger_interval = duration();
      if (g.chance(0.5)) {
        trigger.trigger_timeout = duration();
        runnable = false; // a tiny deadline could cut a marker short
      }
      plugin.trigger = trigger;
    }
    return { plugin };
  });
  const data: Record<string, unknown> = {};
  if (g.chance(0.8)) data.service = g.hostile();
  if (g.chance(0.4)) data.probes = { liveness: { exec: g.hostile(), timeout: duration() }, cooldown: duration() };
  if (g.chance(0.15)) {
    data.report = { format: wrong() ? g.hostile(1) : "text", redact: [g.chance(0.5) ? g.hostile(3) : "token=[A-Za-z0-9]+"] };
    runnable = false;
  }
  if (g.chance(0.1)) {
    data.sinks = [{ type: wrong() ? "nope" : "webhook", url: wrong() ? g.hostile() : "http://127.0.0.1:9/hook", name: `s-${g.int(0, 9)}` }];
    runnable = false;
  }
  data.plugins = plugins;
  let text = new Document(data).toString();
  const form = g.int(0, 9);
  if (form < 1) {
    // Raw text no YAML library writes: a hostile piece spliced in anywhere.
    const at = g.int(0, text.length);
    return { path: "fuzz.yaml", text: text.slice(0, at) + g.hostile(3) + text.slice(at), markers: undefined };
  }
  if (form < 5) {
    // The DSL form, when the YAML converts; sometimes spliced too.
    const bag = new DiagnosticBag();
    const hyp = convertSource(new SourceFile("fuzz.yaml", text), bag);
    if (hyp !== undefined) {
      if (form === 4) {
        const at = g.int(0, hyp.length);
        return { path: "fuzz.hyp", text: hyp.slice(0, at) + g.hostile(3) + hyp.slice(at), markers: undefined };
      }
      return { path: "fuzz.hyp", text: hyp, markers: runnable ? markers : undefined };
    }
  }
  return { path: "fuzz.yaml", text, markers: runnable ? markers : undefined };
}

/** The diagnostics' problems: each must name the file and a position inside its text. */
function unlocated(text: string, path: string, diagnostics: readonly Diagnostic[]): string[] {
  const bad: string[] = [];
  for (const d of diagnostics) {
    const { start, end } = d.span;
    if (d.file.path !== path || !(start >= 0 && start <= end && end <= text.length)) bad.push(`${d.code} at ${d.file.path}:${start}-${end}`);
    else {
      const p = d.file.positionOf(start) as { line: number; column: number };
      if (!(p.line >= 1 && p.column >= 1)) bad.push(`${d.code} at line ${p.line} column ${p.column}`);
    }
  }
  return bad;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString("utf8")));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe("fuzz: hostile configs", () => {
  it(`compile, or fail with located diagnostics; runners parse and run the literal text (seed ${SEED})`, async () => {
    const started = Date.now();
    const g = new Gen(prng(SEED));
    const failures: string[] = [];
    const codes = new Map<string, number>();
    const counts = { compiled: 0, diagnostics: 0, yaml: 0, hyp: 0, runnable: 0 };
    const runners: { index: number; runner: string; markers: Map<string, string> | undefined }[] = [];
    for (let index = 0; index < RUNS; index++) {
      const config = generate(g);
      counts[config.path.endsWith(".hyp") ? "hyp" : "yaml"]++;
      try {
        const result = compileSource(new SourceFile(config.path, config.text), library, noFiles, { compilerVersion: "fuzz" });
        if (result.runner !== undefined) {
          counts.compiled++;
          if (config.markers) counts.runnable++;
          runners.push({ index, runner: result.runner, markers: config.markers });
        } else {
          counts.diagnostics++;
          for (const d of result.diagnostics) codes.set(`${d.code} ${d.message.slice(0, 60)}`, (codes.get(`${d.code} ${d.message.slice(0, 60)}`) ?? 0) + 1);
          const errors = result.diagnostics.filter((d) => d.severity === "error");
          if (errors.length === 0) failures.push(`#${index}: no runner and no error`);
          const bad = unlocated(config.text, config.path, result.diagnostics);
          if (bad.length) failures.push(`#${index}: unlocated diagnostics: ${bad.join(", ")}`);
          renderDiagnostics(result.diagnostics);
        }
      } catch (error) {
        failures.push(`#${index} (seed ${SEED}): threw ${(error as Error).stack?.split("\n").slice(0, 3).join(" | ")}\n${JSON.stringify(config.text).slice(0, 400)}`);
      }
    }
    const compileMs = Date.now() - started;

    const dir = mkdtempSync(join(tmpdir(), "hyp-fuzz-"));
    const checks: { index: number; shell: string; file: string }[] = [];
    const literal: { index: number; shell: string; file: string; markers: Map<string, string> }[] = [];
    let runnableSeen = 0;
    runners.forEach(({ index, runner, markers }, n) => {
      const file = join(dir, `r${index}.sh`);
      const shells = FULL ? SHELLS : [...(n % SHARE === 0 ? SHELLS.slice(0, 2) : []), ...(n % (SHARE * 6) === SHARE ? [SHELLS[2 + ((n / (SHARE * 6)) | 0) % 6]!] : [])];
      const literalHere = markers !== undefined && (FULL || runnableSeen < LITERAL) && runnableSeen++ >= 0;
      if (shells.length === 0 && !literalHere) return;
      writeFileSync(file, runner);
      for (const shell of shells) checks.push({ index, shell, file });
      if (literalHere && markers) literal.push({ index, shell: SHELLS[literal.length % SHELLS.length]!, file, markers });
    });
    const perShell = new Map<string, number>();
    await pool(checks, JOBS, async ({ index, shell, file }) => {
      const [program, ...opts] = shell.split(" ");
      const r = await run(program!, [...opts, "-n", file]);
      perShell.set(shell, (perShell.get(shell) ?? 0) + 1);
      if (r.code !== 0) failures.push(`#${index}: ${shell} -n failed: ${r.stderr.slice(0, 300)}`);
    });
    const parseMs = Date.now() - started - compileMs;
    await pool(literal, JOBS, async ({ index, shell, file, markers }) => {
      const [program, ...opts] = shell.split(" ");
      const state = mkdtempSync(join(dir, "state-"));
      const r = await run(program!, [...opts, file, "run"], { cwd: dir, env: { ...process.env, HYP_STATE_DIR: state, LC_ALL: "C" } });
      const lines = r.stdout.split("\n").filter(Boolean);
      let results: { plugin: string; output: string; status: string }[] = [];
      try {
        results = lines.map((l) => JSON.parse(l)).filter((o) => o.event === "result");
      } catch {
        failures.push(`#${index}: ${shell}: a report line is not JSON: ${r.stdout.slice(0, 300)}`);
        return;
      }
      for (const [name, text] of markers) {
        const got = results.find((o) => o.plugin === name);
        // A child no conditional reached is reported as skipped: nothing to compare.
        if (got === undefined) failures.push(`#${index}: ${shell}: no result for ${JSON.stringify(name)}: ${r.stdout.slice(0, 300)} ${r.stderr.slice(0, 300)}`);
        else if (got.status !== "skipped" && got.output !== text) {
          failures.push(`#${index}: ${shell}: ${JSON.stringify(name)} printed ${JSON.stringify(got.output)}, not ${JSON.stringify(text)}`);
        }
      }
    });
    rmSync(dir, { recursive: true, force: true });
    const totalMs = Date.now() - started;
    const summary =
      `fuzz seed ${SEED}: ${RUNS} configs (${counts.yaml} YAML, ${counts.hyp} DSL): ${counts.compiled} compiled, ` +
      `${counts.diagnostics} located diagnostics; sh -n ${checks.length} (${[...perShell].map(([s, n]) => `${s} ${n}`).join(", ")}); ` +
      `literal runs ${literal.length} of ${counts.runnable} runnable; ${failures.length} failures; ` +
      `compile ${compileMs} ms, sh -n ${parseMs} ms, total ${totalMs} ms${FULL ? " (HYP_FUZZ_FULL)" : ""}`;
    console.log(summary);
    if (process.env.HYP_FUZZ_CODES) console.log([...codes].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([c, n]) => `${n} ${c}`).join("\n"));
    expect(failures.slice(0, 20)).toEqual([]);
    expect(counts.compiled).toBeGreaterThan(RUNS / 10);
    expect(counts.diagnostics).toBeGreaterThan(RUNS / 10);
    expect(literal.length).toBeGreaterThan(0);
  }, 3_600_000);
});
