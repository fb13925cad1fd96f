#!/usr/bin/env node
// Samples the command lines (/proc/PID/cmdline, which any user on the host can read) of the
// processes whose environment holds MARKER, until STOP_FILE exists; then writes each distinct
// one, NULs as spaces, to OUT_FILE. The shell tests run a check meanwhile, with MARKER in its
// environment (its HYP_PLUGIN_DIR, which every process it starts inherits), and look for
// secrets in what was seen. The marker keeps other test runs on the same host out: they use
// the same test secrets.
//
//   node test/support/proc-cmdlines.mjs OUT_FILE STOP_FILE MARKER
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const [out, stop, marker] = process.argv.slice(2);
if (!out || !stop || !marker) {
  process.stderr.write("usage: proc-cmdlines.mjs OUT_FILE STOP_FILE MARKER\n");
  process.exit(2);
}
const needle = Buffer.from(`\0${marker}\0`);
const seen = new Set();
let rounds = 0;
writeFileSync(`${out}.ready`, "");
while (!existsSync(stop)) {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid) || pid === String(process.pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1");
      if (!cmdline) continue;
      if (!Buffer.concat([Buffer.from("\0"), readFileSync(`/proc/${pid}/environ`)]).includes(needle)) continue;
      seen.add(cmdline.replace(/\0/g, " ").trim());
    } catch {
      // gone while we looked
    }
  }
  rounds++;
}
writeFileSync(out, `${[...seen].join("\n")}\n`);
writeFileSync(`${out}.rounds`, `${rounds}\n`);
