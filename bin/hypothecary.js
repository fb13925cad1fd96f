#!/usr/bin/env node
import { main } from "../dist/cli/main.js";

// `hypothecary compile x.yaml | head` closes the pipe early: that is the reader's choice, not an
// error to print a stack trace for.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
