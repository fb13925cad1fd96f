#!/usr/bin/env node
// A loopback HTTP proxy for the shell tests: forwards plain requests (`GET http://host/path`) and
// tunnels CONNECT (what clients use for https:// targets). It binds 127.0.0.1 on a port the
// kernel picks, writes the port to PORT_FILE (atomically) and stays up until SIGTERM.
//
//   node test/support/proxy-server.mjs PORT_FILE MODE [USER:PASSWORD]
//
// MODE:
//   allow   forwards and tunnels everything (a target it cannot reach: 502 Bad Gateway)
//   deny    answers 403 Forbidden to every request and CONNECT (a proxy policy that says no)
//   auth    answers 407 Proxy Authentication Required unless the request carries
//           `Proxy-Authorization: Basic base64(USER:PASSWORD)`; then as allow
// Each request is appended to PORT_FILE.log as `CONNECT host:port` or `METHOD absolute-url`,
// followed by ` auth` when it carried a Proxy-Authorization header, so a test can tell that a
// client went through the proxy (and with credentials).
import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { connect } from "node:net";

const [portFile, mode, credentials] = process.argv.slice(2);
if (!portFile || !["allow", "deny", "auth"].includes(mode ?? "") || (mode === "auth" && !credentials)) {
  process.stderr.write("usage: proxy-server.mjs PORT_FILE allow|deny|auth [USER:PASSWORD]\n");
  process.exit(2);
}
const logFile = `${portFile}.log`;
writeFileSync(logFile, "");
const expected = credentials ? `Basic ${Buffer.from(credentials).toString("base64")}` : "";
const sockets = new Set();

/** The status the proxy's policy answers with, or 0 to let the request through. */
function verdict(req) {
  if (mode === "deny") return 403;
  if (mode === "auth" && req.headers["proxy-authorization"] !== expected) return 407;
  return 0;
}

function log(req, target) {
  appendFileSync(logFile, `${req.method} ${target}${req.headers["proxy-authorization"] ? " auth" : ""}\n`);
}

const refusals = {
  403: "Forbidden",
  407: "Proxy Authentication Required",
  502: "Bad Gateway",
};

function refusalHead(status) {
  const extra = status === 407 ? 'Proxy-Authenticate: Basic realm="test-proxy"\r\n' : "";
  const body = `test-proxy: ${refusals[status]}\n`;
  return (
    `HTTP/1.1 ${status} ${refusals[status]}\r\nServer: test-proxy\r\n${extra}` +
    `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`
  );
}

const server = createServer((req, res) => {
  log(req, req.url);
  const status = verdict(req);
  let target;
  try {
    target = new URL(req.url ?? "");
  } catch {
    target = undefined;
  }
  if (status || !target || target.protocol !== "http:") {
    const code = status || 502;
    const headers = { Server: "test-proxy", "Content-Type": "text/plain", Connection: "close" };
    if (code === 407) headers["Proxy-Authenticate"] = 'Basic realm="test-proxy"';
    res.writeHead(code, headers);
    res.end(`test-proxy: ${refusals[code]}\n`);
    return;
  }
  const headers = { ...req.headers };
  delete headers["proxy-authorization"];
  delete headers["proxy-connection"];
  const upstream = request(
    { host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { Server: "test-proxy", "Content-Type": "text/plain" });
    res.end(`test-proxy: ${refusals[502]}\n`);
  });
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
});

server.on("connect", (req, client, head) => {
  log(req, req.url);
  sockets.add(client);
  client.on("close", () => sockets.delete(client));
  client.on("error", () => {});
  const status = verdict(req);
  if (status) {
    client.end(refusalHead(status));
    return;
  }
  const [host, port] = (req.url ?? "").split(/:(?=\d+$)/);
  const upstream = connect({ host: host?.replace(/^\[|\]$/g, ""), port: Number(port) || 443 });
  sockets.add(upstream);
  upstream.on("close", () => sockets.delete(upstream));
  let connected = false;
  upstream.on("connect", () => {
    connected = true;
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on("error", () => {
    if (!connected && client.writable) client.end(refusalHead(502));
    else client.destroy();
  });
});

server.on("connection", (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});

server.listen({ host: "127.0.0.1", port: 0 }, () => {
  const { port } = server.address();
  writeFileSync(`${portFile}.tmp`, `${port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
});

process.on("SIGTERM", () => {
  for (const socket of sockets) socket.destroy();
  server.close(() => process.exit(0));
});
