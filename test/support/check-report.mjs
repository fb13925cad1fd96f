#!/usr/bin/env node
// Reads a runner's JSON-lines report on stdin and checks it against SPEC.md: every line parses,
// result lines carry every field with its type, the report ends in exactly one summary whose
// counts add up. `suppressed`, `notice` and `sink` lines are checked and echoed as they come.
// Prints one line per result, `PLUGIN STATUS PARENT RESPONSES HTTP`, then
// `summary TOTAL PASSED FAILED TIMED_OUT SKIPPED`, for tests to assert on. Exit 1 on any breach.
import { readFileSync } from "node:fs";

const RESULT_FIELDS = {
  event: "string", service: "string", run_id: "string", trigger: "string", plugin: "string", type: "string",
  parent: "string|null", status: "string", responses: "array", exit_code: "number|null",
  http_status: "number|null", duration_ms: "number", output: "string", ts: "string",
};
const SUMMARY_FIELDS = {
  event: "string", service: "string", run_id: "string", trigger: "string", total: "number", passed: "number",
  failed: "number", timed_out: "number", skipped: "number", duration_ms: "number", verdict: "string",
  confirmed: "array", ruled_out: "array",
};
const SUPPRESSED_FIELDS = { event: "string", service: "string", run_id: "string", trigger: "string", count: "number", reasons: "string" };
const NOTICE_FIELDS = { event: "string", service: "string", run_id: "string", message: "string" };
const SINK_FIELDS = {
  event: "string", service: "string", run_id: "string", trigger: "string", sink: "string", type: "string", status: "string",
  attempts: "number", http_status: "number|null", lines: "number", duration_ms: "number", error: "string|null",
};
const STATUSES = new Set(["pass", "fail", "timeout", "skipped", "error"]);

const problems = [];
const typeOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
function checkFields(object, fields, where) {
  for (const [name, type] of Object.entries(fields)) {
    if (!(name in object)) problems.push(`${where}: missing field ${name}`);
    else if (!type.split("|").includes(typeOf(object[name]))) {
      problems.push(`${where}: ${name} is ${typeOf(object[name])}, expected ${type}`);
    }
  }
}

const text = readFileSync(0, "utf8");
const lines = text.split("\n").filter((l) => l !== "");
const results = [];
let summary;
lines.forEach((line, i) => {
  const where = `line ${i + 1}`;
  if (Buffer.byteLength(line) >= 4096) problems.push(`${where}: ${Buffer.byteLength(line)} bytes, not under 4 KiB`);
  let object;
  try {
    object = JSON.parse(line);
  } catch (error) {
    problems.push(`${where}: not JSON (${error.message}): ${line.slice(0, 120)}`);
    return;
  }
  if (object.event === "result") {
    checkFields(object, RESULT_FIELDS, where);
    if (!STATUSES.has(object.status)) problems.push(`${where}: status ${object.status}`);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(object.ts)) problems.push(`${where}: ts ${object.ts}`);
    if (summary) problems.push(`${where}: result after the summary`);
    results.push(object);
  } else if (object.event === "summary") {
    checkFields(object, SUMMARY_FIELDS, where);
    if (summary) problems.push(`${where}: a second summary`);
    summary = object;
  } else if (object.event === "suppressed") {
    checkFields(object, SUPPRESSED_FIELDS, where);
    console.log(`suppressed ${object.count}`);
  } else if (object.event === "notice") {
    checkFields(object, NOTICE_FIELDS, where);
    console.log(`notice ${object.message}`);
  } else if (object.event === "sink") {
    // How a delivery to a sink went: after the summary, since sinks get the report once it is out.
    checkFields(object, SINK_FIELDS, where);
    if (!summary) problems.push(`${where}: a sink line before the summary`);
    if (!["delivered", "failed"].includes(object.status)) problems.push(`${where}: sink status ${object.status}`);
    if ((object.status === "delivered") !== (object.error === null)) problems.push(`${where}: error ${object.error} with status ${object.status}`);
    console.log(`sink ${object.sink} ${object.status} ${object.attempts} ${object.http_status ?? "-"}`);
  } else {
    problems.push(`${where}: unknown event ${object.event}`);
  }
});
if (!summary) problems.push("no summary line");
else {
  const count = (s) => results.filter((r) => r.status === s).length;
  const expected = {
    total: results.length, passed: count("pass"), failed: count("fail") + count("error"),
    timed_out: count("timeout"), skipped: count("skipped"),
  };
  for (const [k, v] of Object.entries(expected)) if (summary[k] !== v) problems.push(`summary ${k} ${summary[k]}, counted ${v}`);
  const runIds = new Set([...results, summary].map((o) => o.run_id));
  if (runIds.size !== 1) problems.push(`run_id differs between lines: ${[...runIds].join(", ")}`);
}

for (const r of results) {
  console.log([r.plugin, r.status, r.parent ?? "-", (r.responses ?? []).join(",") || "-", r.http_status ?? "-"].join(" "));
}
if (summary) {
  console.log(["summary", summary.total, summary.passed, summary.failed, summary.timed_out, summary.skipped].join(" "));
  console.log(`verdict ${summary.verdict}`);
}
if (problems.length > 0) {
  console.error(problems.map((p) => `check-report: ${p}`).join("\n"));
  process.exit(1);
}
