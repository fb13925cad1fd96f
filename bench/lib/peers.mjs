// The loopback peers the benchmarks talk to, all on 127.0.0.1 with ports the kernel picks: the
// test suite's HTTP, TLS, TCP and DNS servers (test/support), and prometheus-blackbox-exporter.
// Each is a child process of the bench; stopAll() ends them (also on exit and on ^C).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { run, SUPPORT, waitForFile } from "./common.mjs";

const children = new Set();

function launch(cmd, argv) {
  const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  child.on("exit", () => children.delete(child));
  child.stderrText = () => stderr;
  children.add(child);
  return child;
}

export function stopAll() {
  for (const child of children) child.kill("SIGTERM");
  children.clear();
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

async function nodePeer(dir, name, script, args) {
  const portFile = join(dir, `${name}.port`);
  const child = launch(process.execPath, [join(SUPPORT, script), portFile, ...args]);
  const port = await waitForFile(portFile, `${script} (${name})`).catch((error) => {
    throw new Error(`${error.message}\n${child.stderrText()}`);
  });
  return Number(port);
}

/**
 * A CA and a leaf for a.example and 127.0.0.1 it signed (RSA, 30 days), minted with openssl as
 * test/shell/prebuilts-dns-tls.bats does. Returns the paths.
 */
export function mintCertificates(dir) {
  const p = (name) => join(dir, name);
  run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
    "-subj", "/CN=Bench-CA", "-keyout", p("ca.key"), "-out", p("ca.pem")]);
  run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=a.example", "-keyout", p("leaf.key"), "-out", p("leaf.csr")]);
  writeFileSync(p("leaf.ext"), "subjectAltName=DNS:a.example,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
  run("openssl", ["x509", "-req", "-in", p("leaf.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial",
    "-days", "30", "-extfile", p("leaf.ext"), "-out", p("leaf.pem")]);
  return { ca: p("ca.pem"), cert: p("leaf.pem"), key: p("leaf.key") };
}

export const DNS_NAMES = ["www.example.test", "api.example.test", "db.example.test"];

/** HTTP, HTTPS, an open TCP port and a DNS server. Returns their ports and the CA's path. */
export async function startPeers(dir) {
  const certs = mintCertificates(dir);
  const table = join(dir, "dns.table");
  writeFileSync(table, DNS_NAMES.map((name, i) => `${name} A 10.1.2.${i + 1}\n`).join(""));
  const [http, https, tcp, dns] = await Promise.all([
    nodePeer(dir, "http", "http-server.mjs", []),
    nodePeer(dir, "https", "http-server.mjs", ["--tls", certs.cert, certs.key]),
    nodePeer(dir, "tcp", "tcp-server.mjs", ["open"]),
    nodePeer(dir, "dns", "dns-server.mjs", [table]),
  ]);
  return { http, https, tcp, dns, ca: certs.ca };
}

/** A port that was free a moment ago (for a server that cannot report the one it got). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** prometheus-blackbox-exporter on 127.0.0.1 with CONFIG_TEXT; resolves to its base URL. */
export async function startBlackbox(dir, configText) {
  const config = join(dir, "blackbox.yml");
  writeFileSync(config, configText);
  const port = await freePort();
  const child = launch("prometheus-blackbox-exporter", [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`]);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    try {
      const answer = await fetch(`${base}/-/healthy`);
      if (answer.ok) return base;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`prometheus-blackbox-exporter did not start:\n${child.stderrText()}`);
}
