#!/usr/bin/env node
// A tiny authoritative DNS server over UDP for the shell tests. It binds 127.0.0.1 on a port the
// kernel picks and writes that port to PORT_FILE (atomically). It stays up until SIGTERM.
//
//   node test/support/dns-server.mjs PORT_FILE TABLE_FILE
//
// TABLE_FILE holds one record per line, `NAME TYPE [VALUE]` (# starts a comment):
//   www.example.test    A        10.1.2.3
//   www.example.test    AAAA     fd00::1
//   alias.example.test  CNAME    www.example.test
//   broken.example.test SERVFAIL             every query for the name answers SERVFAIL
//   slow.example.test   DROP                 every query for the name goes unanswered
// A query for a name in the table gets its records of the asked type, following CNAMEs inside
// the table (NOERROR with no answer when there are none: NODATA); any other name gets NXDOMAIN.
// Names compare case-insensitively. Each query is appended as `NAME TYPE` to PORT_FILE.log.
import dgram from "node:dgram";
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import net from "node:net";

const [portFile, tableFile] = process.argv.slice(2);
if (!portFile || !tableFile) {
  process.stderr.write("usage: dns-server.mjs PORT_FILE TABLE_FILE\n");
  process.exit(2);
}
const logFile = `${portFile}.log`;
writeFileSync(logFile, "");

const TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 };
const typeName = (n) => Object.keys(TYPES).find((k) => TYPES[k] === n) ?? `TYPE${n}`;

/** @type {Map<string, {type: string, value: string}[]>} */
const table = new Map();
for (const raw of readFileSync(tableFile, "utf8").split("\n")) {
  const line = raw.replace(/#.*/, "").trim();
  if (!line) continue;
  const [name, type, value = ""] = line.split(/\s+/);
  const key = name.toLowerCase().replace(/\.$/, "");
  if (!table.has(key)) table.set(key, []);
  table.get(key).push({ type: type.toUpperCase(), value });
}

function readName(buf, offset) {
  const labels = [];
  let pos = offset;
  let end = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = buf[pos];
    if (len === undefined) throw new Error("truncated name");
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = pos + 2;
      pos = ((len & 0x3f) << 8) | buf[pos + 1];
      continue;
    }
    if (len === 0) {
      if (end < 0) end = pos + 1;
      return { name: labels.join("."), end };
    }
    labels.push(buf.toString("latin1", pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  throw new Error("name loop");
}

function encodeName(name) {
  const parts = name.replace(/\.$/, "").split(".").filter(Boolean);
  const bufs = parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, "latin1")]));
  return Buffer.concat([...bufs, Buffer.from([0])]);
}

function rdata(type, value) {
  if (type === "A") return Buffer.from(value.split(".").map(Number));
  if (type === "AAAA") {
    // Expand :: and write eight 16-bit groups.
    const [head, tail = ""] = value.includes("::") ? value.split("::") : [value, undefined];
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = value.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
  }
  if (type === "CNAME") return encodeName(value);
  throw new Error(`cannot encode ${type}`);
}

function record(name, type, value) {
  const data = rdata(type, value);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPES[type], 0);
  fixed.writeUInt16BE(1, 2); // IN
  fixed.writeUInt32BE(60, 4); // TTL
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(name), fixed, data]);
}

const socket = dgram.createSocket("udp4");
socket.on("message", (msg, rinfo) => {
  let question;
  try {
    if (msg.length < 12) return;
    const { name, end } = readName(msg, 12);
    question = { name, end, qtype: msg.readUInt16BE(end) };
  } catch {
    return;
  }
  const qname = question.name.toLowerCase().replace(/\.$/, "");
  appendFileSync(logFile, `${qname} ${typeName(question.qtype)}\n`);
  const entries = table.get(qname);
  if (entries?.some((e) => e.type === "DROP")) return;

  const answers = [];
  let rcode = 0;
  if (!entries) rcode = 3; // NXDOMAIN
  else if (entries.some((e) => e.type === "SERVFAIL")) rcode = 2;
  else {
    // Follow CNAMEs inside the table (at most 8 hops).
    let current = qname;
    for (let hop = 0; hop < 8; hop++) {
      const recs = table.get(current) ?? [];
      const cname = recs.find((e) => e.type === "CNAME");
      if (cname && question.qtype !== TYPES.CNAME) {
        answers.push(record(current, "CNAME", cname.value));
        current = cname.value.toLowerCase().replace(/\.$/, "");
        continue;
      }
      for (const e of recs) {
        if (TYPES[e.type] === question.qtype || question.qtype === TYPES.ANY) {
          if (e.type === "A" && !net.isIPv4(e.value)) continue;
          answers.push(record(current, e.type, e.value));
        }
      }
      break;
    }
  }
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  const rd = msg[2] & 0x01;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD as asked
  header[3] = 0x80 | rcode; // RA, rcode
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const questionBytes = msg.subarray(12, question.end + 4);
  socket.send(Buffer.concat([header, questionBytes, ...answers]), rinfo.port, rinfo.address);
});

socket.bind({ address: "127.0.0.1", port: 0 }, () => {
  const { port } = socket.address();
  writeFileSync(`${portFile}.tmp`, `${port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
});

process.on("SIGTERM", () => socket.close(() => process.exit(0)));
