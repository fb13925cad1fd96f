#!/usr/bin/env node
// `npm run bench`: every benchmark of the project in one run, written to BENCHMARKS.md. A
// benchmark, never a test: it asserts nothing but that what it measures worked (every check
// healthy, every run passed), and it exits 0 when a target is missed (the table says so), unless
// --strict.
//
//   npm run bench                      the full run (about 5 minutes on 2 quiet cores, estimated), to BENCHMARKS.md
//   npm run bench -- --quick           few repetitions, a smoke check; markdown to stdout
//   npm run bench -- --only probe,sweep   some sections (probe sweep compile parallel size parse-dsl)
//   npm run bench -- --out FILE        the markdown to FILE (--out - : stdout)
//   npm run bench -- --strict          exit 1 when a target is missed
//
// Needs the Debian packages of bench/setup.sh; it says which are missing and stops otherwise.
// Everything it talks to listens on 127.0.0.1 and is started and stopped by the run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { option, ROOT, table } from "./lib/common.mjs";
import { checkRequirements, machineInfo } from "./lib/machine.mjs";
import { startPeers, stopAll } from "./lib/peers.mjs";
import { compileSection } from "./sections/compile.mjs";
import { parallelSection } from "./sections/parallel.mjs";
import { parseDslSection } from "./sections/parse-dsl.mjs";
import { probeSection } from "./sections/probe.mjs";
import { sizeSection } from "./sections/size.mjs";
import { sweepSection } from "./sections/sweep.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const strict = args.includes("--strict");
const ALL = ["probe", "sweep", "compile", "parallel", "size", "parse-dsl"];
const only = option(args, "only", ALL.join(",")).split(",");
for (const name of only) {
  if (!ALL.includes(name)) {
    process.stderr.write(`bench: no section '${name}' (sections: ${ALL.join(" ")})\n`);
    process.exit(2);
  }
}
const out = option(args, "out", quick || only.length < ALL.length ? "-" : join(ROOT, "BENCHMARKS.md"));

/** Repetitions: the full run, and --quick. */
const REPS = quick
  ? { probe: 15, sweep: 2, compile: 2, compileBig: 1, parallel: 1, parse: 3, parseWarmup: 1, parseCli: 1 }
  : { probe: 150, sweep: 8, compile: 5, compileBig: 3, parallel: 4, parse: 10, parseWarmup: 3, parseCli: 3 };

try {
  checkRequirements();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const log = (text) => process.stderr.write(`bench: ${text}\n`);
const work = mkdtempSync(join(tmpdir(), "hyp-bench-"));
const started = Date.now();
const loads = [loadavg()[0]];
const sections = [];
try {
  const machine = machineInfo();
  const needPeers = only.includes("probe") || only.includes("sweep");
  const peers = needPeers ? await startPeers(work) : undefined;
  const sectionDir = (name) => {
    const dir = join(work, name);
    mkdirSync(dir);
    return dir;
  };
  const plan = {
    probe: () => probeSection({ dir: sectionDir("probe"), peers, runs: REPS.probe }),
    sweep: () => sweepSection({ dir: sectionDir("sweep"), peers, runs: REPS.sweep }),
    compile: () => compileSection({ dir: sectionDir("compile"), runs: REPS.compile, bigRuns: REPS.compileBig }),
    parallel: () => parallelSection({ dir: sectionDir("parallel"), runs: REPS.parallel }),
    size: () => sizeSection({ dir: sectionDir("size") }),
    "parse-dsl": () => parseDslSection({ dir: sectionDir("parse-dsl"), runs: REPS.parse, warmup: REPS.parseWarmup, cliRuns: REPS.parseCli }),
  };
  for (const name of ALL.filter((n) => only.includes(n))) {
    const t0 = Date.now();
    log(`${name}...`);
    const section = await plan[name]();
    loads.push(loadavg()[0]);
    log(`${name}: ${section.summary} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    sections.push(section);
  }
  const markdown = render({ machine, sections, seconds: (Date.now() - started) / 1000, loads });
  if (out === "-") process.stdout.write(markdown);
  else {
    writeFileSync(out, markdown);
    log(`wrote ${out}`);
  }
  const missed = sections.flatMap((s) => s.targets).filter((t) => !t.met);
  for (const t of missed) log(`target missed: ${t.name}: ${t.value} (target ${t.limit})`);
  if (strict && missed.length > 0) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  stopAll();
  rmSync(work, { recursive: true, force: true });
}

function render({ machine, sections, seconds, loads }) {
  const targets = sections.flatMap((s) => s.targets);
  const notes = readFileSync(join(ROOT, "bench", "notes.md"), "utf8").trim();
  return [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.mjs); do not edit by hand, edit bench/notes.md (the last " +
      "part of this file) or the bench. Every figure is the median of repeated process wall times " +
      "with its spread (p10-p90), and every ratio is against a baseline measured in the same run, " +
      "interleaved with it: rerun the bench rather than trusting a figure from another machine.",
    "",
    "Setup (Debian): `sudo sh bench/setup.sh` installs what the bench runs besides the project: dash, " +
      "busybox, curl, netcat-openbsd, openssl, monitoring-plugins-basic and -standard, bind9-dnsutils " +
      "(dig, for check_dig) and prometheus-blackbox-exporter. Then `npm run build && npm run bench` " +
      "(`-- --quick` for a smoke run with few repetitions, `-- --only sweep,parallel` for some " +
      "sections). A missing package stops the bench with its name. All peers (HTTP, HTTPS, TCP, DNS, " +
      "the blackbox exporter) listen on 127.0.0.1 and are started and stopped by the run.",
    "",
    `This run: ${quick ? "**--quick** (few repetitions: the spread is wide, the figures rough)" : "full"}, ` +
      `${seconds.toFixed(0)} s, ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}; load average (1 min) ` +
      `${loads.map((l) => l.toFixed(2)).join(" -> ")} at the start and after each section.`,
    "",
    table(["machine", ""], machine, ["l", "l"]),
    "",
    "## Targets",
    "",
    table(
      ["target", "measured", "target", ""],
      targets.map((t) => [t.name, t.value, t.limit, t.met ? "met" : "**missed**"]),
      ["l", "r", "l", "l"],
    ),
    "",
    "Why a target is missed, when it is: see the notes at the end.",
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", s.body, ""]),
    notes,
    "",
  ].join("\n");
}
