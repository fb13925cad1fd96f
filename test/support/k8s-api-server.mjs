#!/usr/bin/env node
// A fake Kubernetes API server over TLS for the shell tests: just what a pod's service account
// check touches. It binds 127.0.0.1 on a port the kernel picks, writes that port to PORT_FILE
// (atomically) and stays up until SIGTERM.
//
//   node test/support/k8s-api-server.mjs PORT_FILE CERT KEY TOKENS_FILE
//
// TOKENS_FILE: one `TOKEN allow|forbid USERNAME` per line. Routes:
//   GET  /readyz     200 "ok", anonymous
//   POST /apis/authentication.k8s.io/v1/selfsubjectreviews
//                    201 SelfSubjectReview with the token's user (allow); 403 Status (forbid);
//                    401 Status for a missing or unknown bearer token
//   GET  /api/v1/namespaces/NS/pods   200 PodList (allow), 403 Status (forbid), 401 (unknown)
// One server plays several clusters, told apart by a path prefix (an API server URL may have
// one): /not-ready/... answers /readyz with 500 and the failed checks; /v1.27/... has no
// SelfSubjectReview (404, as before Kubernetes 1.28); /slow/... holds every authenticated answer
// 400 ms (for tests that watch processes meanwhile).
// Bodies are JSON Status objects like the real API server's. Each request is appended to
// PORT_FILE.log as `METHOD PATH auth=yes|no type=CONTENT-TYPE` (never the token itself).
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";

const [portFile, cert, key, tokensFile] = process.argv.slice(2);
if (!portFile || !cert || !key || !tokensFile) {
  process.stderr.write("usage: k8s-api-server.mjs PORT_FILE CERT KEY TOKENS_FILE\n");
  process.exit(2);
}
const logFile = `${portFile}.log`;
writeFileSync(logFile, "");

/** @type {Map<string, {verdict: string, user: string}>} */
const tokens = new Map();
for (const line of readFileSync(tokensFile, "utf8").split("\n")) {
  const [token, verdict, user] = line.trim().split(/\s+/);
  if (token && verdict && user) tokens.set(token, { verdict, user });
}

function status(res, code, reason, message) {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(
    `${JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details: {}, code })}\n`,
  );
}

function route(req, res) {
  const auth = req.headers.authorization ?? "";
  appendFileSync(
    logFile,
    `${req.method} ${req.url} auth=${auth ? "yes" : "no"} type=${req.headers["content-type"] ?? ""}\n`,
  );
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "https://localhost");
    const m = /^\/(not-ready|v1\.27|slow)(\/.*)$/.exec(url.pathname);
    const cluster = m ? m[1] : "";
    if (m) url.pathname = m[2];
    if (cluster === "slow" && url.pathname !== "/readyz") {
      const timer = setTimeout(() => answer(req, res, auth, body, url, cluster), 400);
      res.on("close", () => clearTimeout(timer));
    } else answer(req, res, auth, body, url, cluster);
  });
}

function answer(req, res, auth, body, url, cluster) {
  const notReady = cluster === "not-ready";
  const noSelfReview = cluster === "v1.27";
  if (req.method === "GET" && url.pathname === "/readyz") {
    if (notReady) {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n");
    } else {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok");
    }
    return;
  }
  const selfReview = url.pathname === "/apis/authentication.k8s.io/v1/selfsubjectreviews";
  const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
  if ((selfReview && req.method === "POST" && !noSelfReview) || (pods && req.method === "GET")) {
    const m = /^Bearer (\S+)$/.exec(auth);
    const who = m ? tokens.get(m[1]) : undefined;
    if (!who) return status(res, 401, "Unauthorized", "Unauthorized");
    if (who.verdict !== "allow") {
      const what = selfReview
        ? `selfsubjectreviews.authentication.k8s.io is forbidden: User "${who.user}" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope`
        : `pods is forbidden: User "${who.user}" cannot list resource "pods" in API group "" in the namespace "${pods[1]}"`;
      return status(res, 403, "Forbidden", what);
    }
    if (pods) {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(`${JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: [] })}\n`);
      return;
    }
    let sent = {};
    try {
      sent = JSON.parse(body);
    } catch {
      return status(res, 400, "BadRequest", "the body is not JSON");
    }
    if (sent.kind !== "SelfSubjectReview") return status(res, 400, "BadRequest", `kind ${sent.kind} is not SelfSubjectReview`);
    const ns = who.user.split(":")[2] ?? "default";
    res.writeHead(201, { "Content-Type": "application/json" });
    res.end(
      `${JSON.stringify({
        kind: "SelfSubjectReview",
        apiVersion: "authentication.k8s.io/v1",
        metadata: { creationTimestamp: null },
        status: {
          userInfo: {
            username: who.user,
            uid: "0b3c5d2e-1111-4a4a-9d9d-123456789abc",
            groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"],
          },
        },
      })}\n`,
    );
    return;
  }
  status(res, 404, "NotFound", "the server could not find the requested resource");
}

// As in http-server.mjs: admit busybox wget's old-fashioned TLS client too.
const server = createServer(
  {
    cert: readFileSync(cert),
    key: readFileSync(key),
    sigalgs: "rsa_pss_rsae_sha256:rsa_pkcs1_sha256:rsa_pkcs1_sha1",
    ciphers: "DEFAULT:@SECLEVEL=0",
  },
  route,
);
server.on("tlsClientError", () => {});
server.listen({ host: "127.0.0.1", port: 0 }, () => {
  const { port } = server.address();
  writeFileSync(`${portFile}.tmp`, `${port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
