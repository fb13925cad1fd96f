#!/usr/bin/env node
// A loopback HTTP peer for the shell tests. It binds 127.0.0.1 on a port the kernel picks and
// writes that port to PORT_FILE (atomically, so a test polling the file never reads half a
// number). It stays up until it gets SIGTERM.
//
//   node test/support/http-server.mjs PORT_FILE [--tls CERT_FILE KEY_FILE]
//
// With --tls it speaks HTTPS with that (self-signed) certificate instead.
// Routes (any method unless noted):
//   /status/NNN    answers NNN; the body says so (none for HEAD, 204 and 304)
//   /slow/N        answers 200 after N seconds (decimal allowed)
//   /stall/N       sends the 200 and part of the body at once, the rest after N seconds
//   /redirect      302 to /status/200 (with the same query string, if any)
//   /method/VERB   200 when the request used VERB, else 405: proves the tool sent that method
//   /date/SECONDS  200 with a Date header SECONDS (signed, decimal allowed) away from now
//   /nodate        200 without a Date header
//   /body?text=T   200 with the body T (a \n in T is a line break; ?lines=N adds N numbered lines)
//   /headers       200; the body lists the request's headers, one `name: value` per line
//   anything else  404
// Every answer carries `X-Request-Method`, and each request is appended as `METHOD PATH` to
// PORT_FILE.log, so a test can also check what reached the server.
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";

const portFile = process.argv[2];
const tls = process.argv[3] === "--tls" ? { cert: process.argv[4], key: process.argv[5] } : undefined;
if (!portFile || (process.argv.length > 3 && !(tls?.cert && tls.key))) {
  process.stderr.write("usage: http-server.mjs PORT_FILE [--tls CERT_FILE KEY_FILE]\n");
  process.exit(2);
}
const logFile = `${portFile}.log`;
writeFileSync(logFile, "");

const timers = new Set();

function answer(req, res, status, headers = {}) {
  const bodyless = req.method === "HEAD" || status === 204 || status === 304;
  const body = bodyless ? "" : `status ${status}\n`;
  res.writeHead(status, { "X-Request-Method": req.method, "Content-Type": "text/plain", ...headers });
  res.end(body);
}

function route(req, res) {
  appendFileSync(logFile, `${req.method} ${req.url}\n`);
  // Drain any request body (POST/PUT) so the client is never blocked writing it.
  req.resume();
  const url = new URL(req.url ?? "/", "http://localhost");
  let m;
  if ((m = /^\/status\/(\d{3})$/.exec(url.pathname))) {
    answer(req, res, Number(m[1]));
  } else if ((m = /^\/slow\/(\d+(?:\.\d+)?)$/.exec(url.pathname))) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(req, res, 200);
    }, Number(m[1]) * 1000);
    timers.add(timer);
    // The client gave up (its timeout): forget the answer instead of holding the process.
    res.on("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  } else if ((m = /^\/stall\/(\d+(?:\.\d+)?)$/.exec(url.pathname))) {
    // The status and half the body at once, the rest after N seconds.
    res.writeHead(200, { "X-Request-Method": req.method, "Content-Type": "text/plain" });
    res.write("partial\n");
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.end("rest\n");
    }, Number(m[1]) * 1000);
    timers.add(timer);
    res.on("close", () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  } else if (url.pathname === "/redirect") {
    // The query rides along, so a test can tell whether a client followed this very redirect.
    answer(req, res, 302, { Location: `/status/200${url.search}` });
  } else if ((m = /^\/method\/([A-Z]+)$/.exec(url.pathname))) {
    answer(req, res, req.method === m[1] ? 200 : 405);
  } else if ((m = /^\/date\/([+-]?\d+(?:\.\d+)?)$/.exec(url.pathname))) {
    answer(req, res, 200, { Date: new Date(Date.now() + Number(m[1]) * 1000).toUTCString() });
  } else if (url.pathname === "/nodate") {
    res.sendDate = false;
    answer(req, res, 200);
  } else if (url.pathname === "/body") {
    let text = (url.searchParams.get("text") ?? "").replace(/\\n/g, "\n");
    const lines = Number(url.searchParams.get("lines") ?? 0);
    for (let i = 1; i <= lines; i++) text += `line ${i}\n`;
    res.writeHead(200, { "X-Request-Method": req.method, "Content-Type": "text/plain" });
    res.end(req.method === "HEAD" ? "" : text);
  } else if (url.pathname === "/headers") {
    const text = Object.entries(req.headers).map(([name, value]) => `${name}: ${value}\n`).join("");
    res.writeHead(200, { "X-Request-Method": req.method, "Content-Type": "text/plain" });
    res.end(req.method === "HEAD" ? "" : text);
  } else {
    answer(req, res, 404);
  }
}

// busybox wget's built-in TLS client offers only PKCS#1 signatures and old-fashioned parameters:
// the test peer admits them (beside what curl and GNU wget use) so that all three can be tested.
const tlsOptions = {
  sigalgs: "rsa_pss_rsae_sha256:rsa_pkcs1_sha256:rsa_pkcs1_sha1",
  ciphers: "DEFAULT:@SECLEVEL=0",
};
const server = tls
  ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key), ...tlsOptions }, route)
  : createHttpServer(route);
// A TLS client that gives up mid-handshake (a verification failure) is not our error.
server.on("tlsClientError", () => {});

server.listen({ host: "127.0.0.1", port: 0 }, () => {
  const { port } = server.address();
  writeFileSync(`${portFile}.tmp`, `${port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
});

process.on("SIGTERM", () => {
  for (const timer of timers) clearTimeout(timer);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
