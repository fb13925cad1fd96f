#!/usr/bin/env node
// A loopback stand-in for the log services a runner's sinks deliver to. It binds 127.0.0.1 on a
// port the kernel picks, writes the port to PORT_FILE (atomically), checks each request STRICTLY
// against the service's wire format, answers as that service does (400 with the problems when
// the request is wrong), and appends one JSON line per request to RECORD_FILE:
//   {"kind","path","ok","problems":[...],"answered","lines":[...],"headers":{...},"ms"}
// where `lines` are the report lines the request carried (objects, or strings for a text report).
// It stays up until SIGTERM.
//
//   node test/support/sink-receiver.mjs PORT_FILE RECORD_FILE
//
// The EXPECT_* values below come from the file RECORD_FILE.expect (NAME=VALUE lines, read at
// each request, so each test sets its own), else from the environment.
//
// Paths (any prefix of the modes below, then the service's own path):
//   /services/collector/event   Splunk HEC      Authorization: Splunk $EXPECT_SPLUNK_TOKEN
//   /api/v2/logs                Datadog logs    DD-API-KEY: $EXPECT_DD_KEY
//   /loki/api/v1/push           Loki            X-Scope-OrgID: $EXPECT_LOKI_TENANT (when set)
//   /hook                       webhook         $EXPECT_HOOK_HEADER ("Name: value", when set)
//   /slack                      Slack webhook
// Modes: /status/NNN/...  checks, records, then answers NNN
//        /slow/N/...      answers after N seconds (decimal allowed)
//        /hang/...        accepts, records, never answers
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";

const [portFile, recordFile] = process.argv.slice(2);
if (!portFile || !recordFile) {
  process.stderr.write("usage: sink-receiver.mjs PORT_FILE RECORD_FILE\n");
  process.exit(2);
}
writeFileSync(recordFile, "");

const REPORT_EVENTS = new Set(["result", "summary", "suppressed", "notice"]);
/** Seconds a timestamp may be away from now and still be "now". */
const TOLERANCE_SECONDS = 600;

/** EXPECT_* for this request. */
let expect = {};
function readExpectations() {
  expect = { ...process.env };
  try {
    for (const line of readFileSync(`${recordFile}.expect`, "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) expect[line.slice(0, eq)] = line.slice(eq + 1);
    }
  } catch {
    // no file: the environment alone
  }
}

const typeOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** A report line as carried: a report object (JSON report) or a string (text report). */
function checkReportLine(value, where, problems) {
  if (typeof value === "string") {
    if (value === "" || value.includes("\n")) problems.push(`${where}: a text line must be one non-empty line`);
    return;
  }
  if (typeOf(value) !== "object") return problems.push(`${where}: a report line is ${typeOf(value)}`);
  if (!REPORT_EVENTS.has(value.event)) problems.push(`${where}: event ${JSON.stringify(value.event)} is not a report event`);
  if (typeof value.run_id !== "string" || typeof value.service !== "string") problems.push(`${where}: no run_id/service`);
}

function exactKeys(object, keys, where, problems) {
  if (typeOf(object) !== "object") return problems.push(`${where}: ${typeOf(object)}, expected an object`);
  const got = Object.keys(object).sort().join(",");
  const want = [...keys].sort().join(",");
  if (got !== want) problems.push(`${where}: keys ${got}, expected ${want}`);
}

function nowSeconds() {
  return Date.now() / 1000;
}

const services = {
  splunk: {
    path: "/services/collector/event",
    check(req, body, problems, lines) {
      const want = `Splunk ${expect.EXPECT_SPLUNK_TOKEN ?? ""}`;
      if (req.headers.authorization !== want) problems.push(`authorization ${JSON.stringify(req.headers.authorization)}`);
      const texts = body.split("\n").filter((l) => l.trim() !== "");
      if (texts.length === 0) problems.push("no events");
      texts.forEach((text, i) => {
        const where = `event ${i + 1}`;
        let envelope;
        try {
          envelope = JSON.parse(text);
        } catch (error) {
          return problems.push(`${where}: not JSON: ${error.message}`);
        }
        const keys = ["time", "host", "source", "sourcetype", "event"];
        if (expect.EXPECT_SPLUNK_INDEX) keys.push("index");
        exactKeys(envelope, keys, where, problems);
        if (typeof envelope.time !== "number") problems.push(`${where}: time is ${typeOf(envelope.time)}`);
        else if (Math.abs(envelope.time - nowSeconds()) > TOLERANCE_SECONDS) problems.push(`${where}: time ${envelope.time} is not epoch seconds of now`);
        for (const k of ["host", "source", "sourcetype"]) {
          if (typeof envelope[k] !== "string" || envelope[k] === "") problems.push(`${where}: ${k} ${JSON.stringify(envelope[k])}`);
        }
        if (expect.EXPECT_SPLUNK_INDEX && envelope.index !== expect.EXPECT_SPLUNK_INDEX) problems.push(`${where}: index ${envelope.index}`);
        checkReportLine(envelope.event, `${where}.event`, problems);
        lines.push(envelope.event);
      });
      return { status: 200, body: '{"text":"Success","code":0}' };
    },
  },
  datadog: {
    path: "/api/v2/logs",
    check(req, body, problems, lines) {
      if (req.headers["dd-api-key"] !== (expect.EXPECT_DD_KEY ?? "")) problems.push(`dd-api-key ${JSON.stringify(req.headers["dd-api-key"])}`);
      let entries;
      try {
        entries = JSON.parse(body);
      } catch (error) {
        return void problems.push(`not JSON: ${error.message}`);
      }
      if (!Array.isArray(entries) || entries.length === 0) return void problems.push("not a non-empty array");
      entries.forEach((entry, i) => {
        const where = `entry ${i + 1}`;
        exactKeys(entry, ["message", "ddsource", "service", "hostname", "ddtags"], where, problems);
        for (const k of ["message", "ddsource", "service", "hostname", "ddtags"]) {
          if (typeof entry[k] !== "string" || entry[k] === "") problems.push(`${where}: ${k} ${JSON.stringify(entry[k])}`);
        }
        if (typeof entry.ddtags === "string" && !/^[^,\s]+(,[^,\s]+)*$/.test(entry.ddtags)) problems.push(`${where}: ddtags ${entry.ddtags}`);
        let line = entry.message;
        if (typeof line === "string" && line.startsWith("{")) {
          try {
            line = JSON.parse(line);
          } catch (error) {
            problems.push(`${where}: message is not the JSON line: ${error.message}`);
          }
        }
        checkReportLine(line, `${where}.message`, problems);
        lines.push(line);
      });
      return { status: 202, body: "{}" };
    },
  },
  loki: {
    path: "/loki/api/v1/push",
    check(req, body, problems, lines) {
      const tenant = expect.EXPECT_LOKI_TENANT;
      if (tenant !== undefined && req.headers["x-scope-orgid"] !== tenant) problems.push(`x-scope-orgid ${req.headers["x-scope-orgid"]}`);
      let push;
      try {
        push = JSON.parse(body);
      } catch (error) {
        return void problems.push(`not JSON: ${error.message}`);
      }
      exactKeys(push, ["streams"], "push", problems);
      if (!Array.isArray(push?.streams) || push.streams.length === 0) return void problems.push("no streams");
      const now = BigInt(Date.now()) * 1_000_000n;
      push.streams.forEach((stream, s) => {
        exactKeys(stream, ["stream", "values"], `stream ${s + 1}`, problems);
        for (const [k, v] of Object.entries(stream?.stream ?? {})) if (typeof v !== "string") problems.push(`label ${k} is ${typeOf(v)}`);
        if (expect.EXPECT_LOKI_LABELS && JSON.stringify(stream.stream) !== expect.EXPECT_LOKI_LABELS) {
          problems.push(`labels ${JSON.stringify(stream.stream)}`);
        }
        let last = 0n;
        (stream?.values ?? []).forEach((value, i) => {
          const where = `value ${i + 1}`;
          if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string" || typeof value[1] !== "string") {
            return problems.push(`${where}: not ["<ns>", "<line>"]`);
          }
          if (!/^\d{19}$/.test(value[0])) return problems.push(`${where}: timestamp ${value[0]} is not nanoseconds`);
          const ns = BigInt(value[0]);
          const off = ns > now ? ns - now : now - ns;
          if (off > BigInt(TOLERANCE_SECONDS) * 1_000_000_000n) problems.push(`${where}: timestamp ${value[0]} is not now`);
          if (ns <= last) problems.push(`${where}: timestamp not after the one before`);
          last = ns;
          let line = value[1];
          if (line.startsWith("{")) {
            try {
              line = JSON.parse(line);
            } catch (error) {
              problems.push(`${where}: line is not JSON: ${error.message}`);
            }
          }
          checkReportLine(line, where, problems);
          lines.push(line);
        });
      });
      return { status: 204, body: "" };
    },
  },
  hook: {
    path: "/hook",
    check(req, body, problems, lines) {
      const header = expect.EXPECT_HOOK_HEADER;
      if (header) {
        const [name, value] = header.split(/: (.*)/s);
        if (req.headers[name.toLowerCase()] !== value) problems.push(`${name} ${JSON.stringify(req.headers[name.toLowerCase()])}`);
      }
      let array;
      try {
        array = JSON.parse(body);
      } catch (error) {
        return void problems.push(`not JSON: ${error.message}`);
      }
      if (!Array.isArray(array) || array.length === 0) return void problems.push("not a non-empty array");
      array.forEach((line, i) => {
        checkReportLine(line, `item ${i + 1}`, problems);
        lines.push(line);
      });
      return { status: 200, body: "" };
    },
  },
  slack: {
    path: "/slack",
    check(req, body, problems, lines) {
      let message;
      try {
        message = JSON.parse(body);
      } catch (error) {
        return void problems.push(`not JSON: ${error.message}`);
      }
      exactKeys(message, ["text"], "message", problems);
      if (typeof message?.text !== "string" || message.text === "") problems.push("text is not a non-empty string");
      else if (/[<>]|&(?!amp;|lt;|gt;)/.test(message.text)) problems.push("text has &, < or > unescaped");
      lines.push(message?.text);
      return { status: 200, body: "ok" };
    },
  },
};

const hanging = new Set();

function handle(req, res, rest, started) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    readExpectations();
    let mode = "normal";
    let status;
    let m;
    for (;;) {
      if ((m = /^\/status\/(\d{3})(\/.*)$/.exec(rest))) [status, rest] = [Number(m[1]), m[2]];
      else if ((m = /^\/hang(\/.*)$/.exec(rest))) [mode, rest] = ["hang", m[1]];
      else if ((m = /^\/slow\/(\d+(?:\.\d+)?)(\/.*)$/.exec(rest))) [mode, rest] = [`slow ${m[1]}`, m[2]];
      else break;
    }
    const kind = Object.keys(services).find((k) => rest === services[k].path || rest.startsWith(`${services[k].path}/`));
    const problems = [];
    const lines = [];
    let answer = { status: 404, body: "no such service" };
    if (!kind) problems.push(`unknown path ${req.url}`);
    else {
      if (req.method !== "POST") problems.push(`method ${req.method}`);
      if (!/^application\/json(;|$)/.test(req.headers["content-type"] ?? "")) problems.push(`content-type ${req.headers["content-type"]}`);
      answer = services[kind].check(req, body, problems, lines) ?? { status: 400, body: "" };
      if (problems.length > 0) answer = { status: 400, body: problems.join("; ") };
      if (status !== undefined) answer = { status, body: `status ${status}` };
    }
    const record = { kind: kind ?? null, path: req.url, ok: problems.length === 0, problems, answered: mode === "hang" ? null : answer.status, lines, headers: req.headers, ms: Date.now() - started };
    appendFileSync(recordFile, `${JSON.stringify(record)}\n`);
    if (mode === "hang") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    const send = () => {
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(answer.status === 204 ? "" : answer.body);
    };
    if (mode.startsWith("slow ")) setTimeout(send, Number(mode.slice(5)) * 1000);
    else send();
  });
}

const server = createServer((req, res) => handle(req, res, new URL(req.url ?? "/", "http://localhost").pathname, Date.now()));
server.listen({ host: "127.0.0.1", port: 0 }, () => {
  writeFileSync(`${portFile}.tmp`, `${server.address().port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
