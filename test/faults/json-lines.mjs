#!/usr/bin/env node
// The strictest reading of a report file for the fault drills: every line whole (the file ends
// in a newline: no half line), valid UTF-8 (a fatal decoder, not a lenient one), JSON, under
// 4 KiB. Prints a digest, one line per report line: `PLUGIN STATUS` for a result, `summary TOTAL
// PASSED FAILED TIMED_OUT SKIPPED`, `notice MESSAGE`, `suppressed COUNT`, `sink NAME STATUS`.
// Exit 1 on any breach (named on stderr).
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2] ?? 0);
const problems = [];
if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) problems.push("the last line is not whole (no newline at the end)");
let text = "";
try {
  text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
} catch {
  problems.push("not valid UTF-8");
}
const out = [];
text.split("\n").forEach((line, i) => {
  if (line === "") return;
  if (Buffer.byteLength(line) >= 4096) problems.push(`line ${i + 1}: ${Buffer.byteLength(line)} bytes`);
  let o;
  try {
    o = JSON.parse(line);
  } catch (e) {
    problems.push(`line ${i + 1}: not JSON (${e.message}): ${line.slice(0, 100)}`);
    return;
  }
  if (o.event === "result") out.push(`${o.plugin} ${o.status}`);
  else if (o.event === "summary") out.push(`summary ${o.total} ${o.passed} ${o.failed} ${o.timed_out} ${o.skipped}`);
  else if (o.event === "notice") out.push(`notice ${o.message}`);
  else if (o.event === "suppressed") out.push(`suppressed ${o.count}`);
  else if (o.event === "sink") out.push(`sink ${o.sink} ${o.status}`);
  else problems.push(`line ${i + 1}: unknown event ${o.event}`);
});
console.log(out.join("\n"));
if (problems.length > 0) {
  console.error(problems.map((p) => `json-lines: ${p}`).join("\n"));
  process.exit(1);
}
