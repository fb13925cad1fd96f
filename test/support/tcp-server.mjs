#!/usr/bin/env node
// Loopback TCP peers for the shell tests. Each binds 127.0.0.1 on a port the kernel picks and
// writes the port to PORT_FILE atomically once the peer is ready.
//
//   node test/support/tcp-server.mjs PORT_FILE open       accepts and holds every connection,
//                                                          never writing or closing (a client
//                                                          that waits for the server to close
//                                                          would hang: the probe must not)
//   node test/support/tcp-server.mjs PORT_FILE closed     binds, writes the port, unbinds and
//                                                          exits: connecting is refused
//   node test/support/tcp-server.mjs PORT_FILE blackhole  listens but never accepts, with its
//                                                          accept queue full: the kernel drops
//                                                          new SYNs, so connecting times out
//
// `open` and `blackhole` run until SIGTERM.
import { spawn } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import net from "node:net";

const [portFile, mode] = process.argv.slice(2);

function publish(port) {
  writeFileSync(`${portFile}.tmp`, `${port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
}

if (mode === "open") {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("error", () => {});
    socket.on("end", () => {}); // keep our side open after the client's FIN
  });
  server.listen({ host: "127.0.0.1", port: 0 }, () => publish(server.address().port));
  process.on("SIGTERM", () => process.exit(0));
} else if (mode === "closed") {
  const server = net.createServer();
  server.listen({ host: "127.0.0.1", port: 0 }, () => {
    const { port } = server.address();
    server.close(() => publish(port));
  });
} else if (mode === "blackhole") {
  // Linux drops a SYN when the listener's accept queue is full (more than `backlog` waiting
  // connections). This process never accepts: right after listening it blocks its own event
  // loop for good. A helper process (`fill`, below) then connects until one connection stalls,
  // and only then publishes the port. SIGTERM's default action still ends this process.
  const server = net.createServer();
  server.listen({ host: "127.0.0.1", port: 0, backlog: 1 }, () => {
    const { port } = server.address();
    // The helper's stdin is a pipe from this process: when this process dies, the pipe closes
    // and the helper exits with it (no polling, and a zombie listener cannot fool it).
    spawn(process.execPath, [process.argv[1], portFile, "fill", String(port)], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (;;) Atomics.wait(cell, 0, 0, 3_600_000);
  });
} else if (mode === "fill") {
  // Internal: fills the blackhole's accept queue, publishes its port, then lives as long as the
  // listener does (its connections are what keep the queue full).
  const port = Number(process.argv[4]);
  const held = [];
  const next = () => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.on("error", () => {});
    const stalled = setTimeout(() => {
      socket.destroy(); // its SYN was dropped: the queue is full
      publish(port);
    }, 300);
    socket.on("connect", () => {
      clearTimeout(stalled);
      held.push(socket);
      next();
    });
  };
  next();
  process.stdin.on("close", () => process.exit(0));
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
} else {
  process.stderr.write("usage: tcp-server.mjs PORT_FILE open|closed|blackhole\n");
  process.exit(2);
}
