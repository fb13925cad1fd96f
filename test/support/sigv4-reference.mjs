#!/usr/bin/env node
// Signs one request with @smithy/signature-v4 (the AWS SDK's signer) and prints the
// Authorization header it would send, for comparing stdlib/lib/sigv4.sh against.
//
//   node test/support/sigv4-reference.mjs DIR METHOD URL REGION SERVICE AMZ_DATE
//
// DIR holds the same inputs lib/sigv4.sh reads: akid, secret, [token], [headers], [body].
// The session token is signed as x-amz-security-token, as lib/sigv4.sh does.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [dir, method, rawUrl, region, service, amzDate] = process.argv.slice(2);
const read = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined);
const line = (name) => read(name)?.toString("utf8").split("\n")[0];

const url = new URL(rawUrl);
const headers = { host: url.host };
for (const l of (read("headers")?.toString("utf8") ?? "").split("\n")) {
  const colon = l.indexOf(":");
  if (colon <= 0) continue;
  const name = l.slice(0, colon).trim().toLowerCase();
  const value = l.slice(colon + 1);
  headers[name] = name in headers ? `${headers[name]},${value.trim()}` : value;
}
const query = {};
for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;
const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
const signingDate = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
const token = line("token");
const signer = new SignatureV4({
  credentials: { accessKeyId: line("akid"), secretAccessKey: line("secret"), ...(token ? { sessionToken: token } : {}) },
  region,
  service,
  sha256: Sha256,
  applyChecksum: false,
});
const signed = await signer.sign(
  { method, protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname, query, headers, body: read("body") ?? "" },
  { signingDate },
);
process.stdout.write(`${signed.headers.authorization}\n`);
