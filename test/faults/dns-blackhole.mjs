#!/usr/bin/env node
// A DNS server that receives every query and answers none: a resolver that is down but not
// refusing (packets dropped), as a partitioned cluster DNS looks. Binds UDP ADDRESS:53 (root),
// writes "ready" to READY_FILE once bound, and counts the queries it swallowed there on exit.
import { createSocket } from "node:dgram";
import { writeFileSync } from "node:fs";

const [address, readyFile] = process.argv.slice(2);
let queries = 0;
const socket = createSocket("udp4");
socket.on("message", () => {
  queries++;
});
socket.bind(53, address, () => writeFileSync(readyFile, "ready\n"));
process.on("SIGTERM", () => {
  writeFileSync(readyFile, `queries ${queries}\n`);
  process.exit(0);
});
