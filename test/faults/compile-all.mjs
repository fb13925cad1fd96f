#!/usr/bin/env node
// Compiles every CONFIG given to CONFIG's name with .sh for .yaml, in one node process: the
// fault drills need several runners, and a node start per runner would cost more than the drills.
import { main } from "../../dist/cli/main.js";

let failed = 0;
for (const config of process.argv.slice(2)) {
  const code = await main(["compile", config, "-o", config.replace(/\.yaml$/, ".sh")], {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  });
  if (code !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
