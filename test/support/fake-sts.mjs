#!/usr/bin/env node
// A loopback stand-in for AWS STS and for the credential endpoints a pod can get its identity
// from, strict enough that a request it accepts would be accepted by AWS.
//
//   node test/support/fake-sts.mjs PORT_FILE [--skew SECONDS] [--tls CERT KEY] [--delay MS]
//                                            [--region REGION] [--imds-v1]
//
// It binds 127.0.0.1 on a port the kernel picks, writes the port to PORT_FILE (atomically) and
// runs until SIGTERM. Each request is appended to PORT_FILE.log as one JSON line (method, path,
// action, access key, signed headers, outcome) so tests can see what reached it.
//
//   --skew SECONDS  the fake's clock runs SECONDS ahead of the host's (negative: behind), so the
//                   caller's clock looks skewed: its X-Amz-Date is judged, and its Date header
//                   written, by the fake's clock, as AWS would.
//   --tls CERT KEY  serve HTTPS with this certificate instead of plain HTTP.
//   --delay MS      answer every request MS milliseconds late (lets a test watch the client).
//   --region        the only region STS accepts in a credential scope (default us-east-1).
//   --imds-v1       the instance metadata service also answers without a session token.
//
// Routes
//   POST / or GET /?...    STS (query protocol, 2011-06-15): GetCallerIdentity (SigV4 required,
//                        verified by recomputing the signature with @smithy/signature-v4) and
//                        AssumeRoleWithWebIdentity (unsigned, as the SDKs send it).
//   GET  /container/credentials    ECS / EKS Pod Identity container credentials; needs
//                        `Authorization: <CONTAINER.authToken>`.
//   PUT  /latest/api/token, GET /latest/meta-data/iam/security-credentials/[ROLE]   IMDSv2.
//   /imds-v1-only/latest/...   the same IMDS, but the token PUT is refused (403): IMDSv1 only.
//   /captive-portal      200 with an HTML page, as a captive portal or a misrouted proxy answers.
//
// The module also exports the test identities and `startFakeSts()` for in-process use (vitest).
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { pathToFileURL } from "node:url";

export const ACCOUNT = "123456789012";
const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

// Secrets carry `/`, `+` and `=` as real ones do: quoting and URL-encoding bugs must show.
export const IDENTITIES = {
  static: {
    accessKeyId: "AKIAHYPFAKESTATIC001",
    secretAccessKey: "hyp/fake+Static/Secret+Key/0123456789abcd",
    arn: `arn:aws:iam::${ACCOUNT}:user/hyp-static-user`,
    userId: "AIDAHYPFAKESTATICUSR",
  },
  session: {
    accessKeyId: "ASIAHYPFAKESESSION01",
    secretAccessKey: "hyp/fake+Session/Secret+Key/0123456789ab",
    sessionToken: "IQoJb3JpZ2luX2VjEHYP/fake+session//token+with=padding==",
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/hyp-env-role/hyp-env-session`,
    userId: "AROAHYPFAKEENVROLE01:hyp-env-session",
  },
  expired: {
    accessKeyId: "ASIAHYPFAKEEXPIRED01",
    secretAccessKey: "hyp/fake+Expired/Secret+Key/0123456789ab",
    sessionToken: "IQoJb3JpZ2luX2VjEHYP/fake+expired//token+long+gone=",
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/hyp-env-role/hyp-old-session`,
    userId: "AROAHYPFAKEENVROLE01:hyp-old-session",
    expired: true,
  },
};
export const WEB_IDENTITY = {
  token:
    "eyJhbGciOiJSUzI1NiIsImtpZCI6Imh5cC1mYWtlIn0.eyJhdWQiOlsic3RzLmFtYXpvbmF3cy5jb20iXSwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmRlZmF1bHQ6aHlwIn0.aHlwLWZha2Utc2lnbmF0dXJl",
  roleArn: `arn:aws:iam::${ACCOUNT}:role/hyp-irsa-role`,
};
export const CONTAINER = {
  path: "/container/credentials",
  authToken: "hyp-fake-pod-identity-token/with+odd=chars",
  roleArn: `arn:aws:iam::${ACCOUNT}:role/hyp-pod-identity-role`,
};
export const IMDS = { role: "hyp-instance-role", instanceId: "i-0123456789abcdef0" };

const escapeXml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]);
const amzDate = (ms) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
const parseAmzDate = (s) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
};

class StsError extends Error {
  constructor(status, code, message, type = "Sender") {
    super(message);
    this.status = status;
    this.code = code;
    this.type = type;
  }
}

/** Starts the fake; resolves to { port, url, server, close() }. */
export function startFakeSts({ skewSeconds = 0, tls, delayMs = 0, region = "us-east-1", imdsV1 = false, logFile } = {}) {
  const now = () => Date.now() + skewSeconds * 1000;
  // Temporary credentials this fake handed out (web identity, container, IMDS), by access key.
  const issued = new Map();
  const imdsTokens = new Map();
  const known = (akid) => Object.values(IDENTITIES).find((i) => i.accessKeyId === akid) ?? issued.get(akid);

  const log = (entry) => {
    if (logFile) appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  };

  function issue(arn, userId, hours = 1) {
    const creds = {
      accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJ${randomBytes(60).toString("base64")}`,
      arn,
      userId,
      expiresAt: now() + hours * 3600_000,
    };
    issued.set(creds.accessKeyId, creds);
    return creds;
  }

  function send(res, status, type, body, extra = {}) {
    const reply = () => {
      res.writeHead(status, {
        "Content-Type": type,
        "Content-Length": Buffer.byteLength(body),
        // AWS's Date is AWS's clock: SDKs correct their skew from it.
        Date: new Date(now()).toUTCString(),
        "x-amzn-RequestId": randomUUID(),
        ...extra,
      });
      res.end(body);
    };
    if (delayMs > 0) setTimeout(reply, delayMs);
    else reply();
  }

  function sendStsError(res, err) {
    send(
      res,
      err.status,
      "text/xml",
      `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>${err.type}</Type>\n    <Code>${err.code}</Code>\n` +
        `    <Message>${escapeXml(err.message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`,
    );
  }

  const invalidToken = () => new StsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");

  /** Checks a SigV4 Authorization header as STS does; returns the identity it proves. */
  async function verifySignature(req, url, body) {
    const auth = req.headers.authorization;
    if (!auth) throw new StsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) throw new StsError(400, "IncompleteSignature", `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${auth.split(" ")[0]}`);
    const [, akid, scopeDate, scopeRegion, scopeService, signedHeaderList, signature] = m;
    const identity = known(akid);
    if (!identity) throw invalidToken();
    const token = req.headers["x-amz-security-token"];
    if ((identity.sessionToken ?? "") !== (token ?? "")) throw invalidToken();
    if (identity.expired || (identity.expiresAt !== undefined && identity.expiresAt < now())) {
      throw new StsError(400, "ExpiredToken", "The security token included in the request is expired");
    }
    const requestTime = parseAmzDate(req.headers["x-amz-date"]);
    if (Number.isNaN(requestTime)) {
      throw new StsError(403, "IncompleteSignature", "AWS authentication requires a valid Date or X-Amz-Date header");
    }
    const t = now();
    if (requestTime < t - 300_000) {
      throw new StsError(403, "SignatureDoesNotMatch", `Signature expired: ${amzDate(requestTime)} is now earlier than ${amzDate(t - 300_000)} (${amzDate(t)} - 5 min.)`);
    }
    if (requestTime > t + 300_000) {
      throw new StsError(403, "SignatureDoesNotMatch", `Signature not yet current: ${amzDate(requestTime)} is still later than ${amzDate(t + 300_000)} (${amzDate(t)} + 5 min.)`);
    }
    const longDate = req.headers["x-amz-date"];
    if (scopeDate !== longDate.slice(0, 8)) {
      throw new StsError(403, "SignatureDoesNotMatch", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${longDate.slice(0, 8)}', from 'x-amz-date'.`);
    }
    if (scopeRegion !== region) throw new StsError(403, "SignatureDoesNotMatch", `Credential should be scoped to a valid region. `);
    if (scopeService !== "sts") throw new StsError(403, "SignatureDoesNotMatch", `Credential should be scoped to correct service: 'sts'. `);
    const signedHeaders = signedHeaderList.split(";");
    if (!signedHeaders.includes("host")) {
      throw new StsError(403, "SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    // Recompute the signature from what arrived, over exactly the headers the client says it
    // signed, with the secret AWS would use. The session token is not given to the signer: when
    // the client signed x-amz-security-token it is among the headers already.
    const headers = {};
    for (const name of signedHeaders) {
      const value = req.headers[name];
      if (value === undefined) throw mismatch(`signed header ${name} is missing`);
      headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    const query = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [].concat(query[k], v) : v;
    const signer = new SignatureV4({
      credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
      region: scopeRegion,
      service: "sts",
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      { method: req.method, protocol: "http:", hostname: "127.0.0.1", path: url.pathname, query, headers, body },
      { signingDate: new Date(requestTime), signableHeaders: new Set(signedHeaders) },
    );
    const expected = /SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(signed.headers.authorization);
    if (!expected || expected[1] !== signedHeaderList || expected[2] !== signature) {
      throw mismatch(`expected SignedHeaders=${expected?.[1]} Signature=${expected?.[2]}`);
    }
    return { identity, signedHeaders };
  }

  const mismatch = (why) => {
    const err = new StsError(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
    err.detail = why;
    return err;
  };

  async function sts(req, res, url, body, entry) {
    const params = new URLSearchParams(url.search);
    if (req.method === "POST") {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params.append(k, v);
    }
    const action = params.get("Action");
    entry.action = action;
    if (!action) throw new StsError(400, "MissingAction", "Missing Action");
    if (params.get("Version") !== "2011-06-15") throw new StsError(400, "InvalidAction", `Could not find operation ${action} for version ${params.get("Version")}`);

    if (action === "AssumeRoleWithWebIdentity") {
      const roleArn = params.get("RoleArn");
      const session = params.get("RoleSessionName") ?? "";
      if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
        throw new StsError(400, "ValidationError", `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
      }
      if (params.get("WebIdentityToken") !== WEB_IDENTITY.token) {
        throw new StsError(400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements");
      }
      if (roleArn !== WEB_IDENTITY.roleArn) throw new StsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
      const roleName = roleArn.split("/").pop();
      const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`;
      const creds = issue(arn, `AROAHYPFAKEIRSAROLE1:${session}`);
      entry.outcome = "issued";
      entry.issued = creds;
      send(
        res,
        200,
        "text/xml",
        `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">
  <AssumeRoleWithWebIdentityResult>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>${escapeXml(creds.userId)}</AssumedRoleId>
      <Arn>${escapeXml(arn)}</Arn>
    </AssumedRoleUser>
    <Provider>arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/HYPFAKE</Provider>
    <Credentials>
      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${escapeXml(creds.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${escapeXml(creds.sessionToken)}</SessionToken>
      <Expiration>${new Date(creds.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z")}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:hyp</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`,
      );
      return;
    }

    const { identity, signedHeaders } = await verifySignature(req, url, body);
    entry.accessKeyId = identity.accessKeyId;
    entry.signedHeaders = signedHeaders;
    if (action !== "GetCallerIdentity") throw new StsError(400, "InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
    entry.outcome = "identity";
    send(
      res,
      200,
      "text/xml",
      `<GetCallerIdentityResponse xmlns="${NS}">
  <GetCallerIdentityResult>
    <Arn>${escapeXml(identity.arn)}</Arn>
    <UserId>${escapeXml(identity.userId)}</UserId>
    <Account>${ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`,
    );
  }

  const json = (res, status, value) => send(res, status, "application/json", `${JSON.stringify(value)}\n`);
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

  function container(req, res, entry) {
    if (req.headers.authorization !== CONTAINER.authToken) {
      entry.outcome = "unauthorized";
      json(res, 401, { Code: "AccessDenied", Message: "Unable to validate the Authorization token" });
      return;
    }
    const creds = issue(`arn:aws:sts::${ACCOUNT}:assumed-role/hyp-pod-identity-role/eks-hyp-pod`, "AROAHYPFAKEPODIDROLE:eks-hyp-pod", 6);
    entry.outcome = "issued";
    entry.issued = creds;
    json(res, 200, {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.sessionToken,
      AccountId: ACCOUNT,
      Expiration: iso(creds.expiresAt),
    });
  }

  function imds(req, res, url, entry, v1Only = false) {
    if (url.pathname === "/latest/api/token") {
      // IMDS that refuses session tokens (as some proxies and old emulators do): the SDKs
      // fall back to IMDSv1.
      if (v1Only) return send(res, 403, "text/plain", "");
      const ttl = Number(req.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (req.method !== "PUT") return send(res, 405, "text/plain", "");
      if (!(ttl >= 1 && ttl <= 21600)) return send(res, 400, "text/plain", "");
      const token = randomBytes(32).toString("base64");
      imdsTokens.set(token, now() + ttl * 1000);
      entry.outcome = "token";
      entry.token = token;
      return send(res, 200, "text/plain", token, { "X-aws-ec2-metadata-token-ttl-seconds": String(ttl) });
    }
    const token = req.headers["x-aws-ec2-metadata-token"];
    if (token !== undefined ? !(imdsTokens.get(token) > now()) : !(imdsV1 || v1Only)) {
      entry.outcome = "unauthorized";
      return send(res, 401, "text/plain", "");
    }
    const base = "/latest/meta-data/iam/security-credentials/";
    if (url.pathname === base || url.pathname === base.slice(0, -1)) return send(res, 200, "text/plain", IMDS.role);
    if (url.pathname === base + IMDS.role) {
      const creds = issue(`arn:aws:sts::${ACCOUNT}:assumed-role/${IMDS.role}/${IMDS.instanceId}`, `AROAHYPFAKEINSTROLE1:${IMDS.instanceId}`, 6);
      entry.outcome = "issued";
      entry.issued = creds;
      return json(res, 200, {
        Code: "Success",
        LastUpdated: iso(now()),
        Type: "AWS-HMAC",
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        Token: creds.sessionToken,
        Expiration: iso(creds.expiresAt),
      });
    }
    return send(res, 404, "text/plain", "");
  }

  const handler = (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const entry = { method: req.method, path: url.pathname };
      try {
        if (url.pathname === "/") await sts(req, res, url, body, entry);
        else if (url.pathname === CONTAINER.path) container(req, res, entry);
        else if (url.pathname === "/captive-portal") send(res, 200, "text/html", "<html><body>Please log in to the guest Wi-Fi</body></html>\n");
        else if (url.pathname.startsWith("/latest/")) imds(req, res, url, entry);
        else if (url.pathname.startsWith("/imds-v1-only/latest/")) {
          imds(req, res, new URL(url.pathname.slice("/imds-v1-only".length), url), entry, true);
        }
        else send(res, 404, "text/plain", "not found\n");
      } catch (err) {
        if (!(err instanceof StsError)) throw err;
        entry.outcome = err.code;
        if (err.detail) entry.detail = err.detail;
        sendStsError(res, err);
      }
      log(entry);
    });
  };

  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
  return new Promise((resolve) => {
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address();
      resolve({
        port,
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        server,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function main(argv) {
  const portFile = argv[0];
  if (!portFile || portFile.startsWith("--")) {
    process.stderr.write("usage: fake-sts.mjs PORT_FILE [--skew SECONDS] [--tls CERT KEY] [--delay MS] [--region R] [--imds-v1]\n");
    process.exit(2);
  }
  const options = { logFile: `${portFile}.log` };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--skew") options.skewSeconds = Number(argv[++i]);
    else if (arg === "--tls") options.tls = { cert: readFileSync(argv[++i]), key: readFileSync(argv[++i]) };
    else if (arg === "--delay") options.delayMs = Number(argv[++i]);
    else if (arg === "--region") options.region = argv[++i];
    else if (arg === "--imds-v1") options.imdsV1 = true;
    else {
      process.stderr.write(`fake-sts: unknown option ${arg}\n`);
      process.exit(2);
    }
  }
  writeFileSync(options.logFile, "");
  const fake = await startFakeSts(options);
  writeFileSync(`${portFile}.tmp`, `${fake.port}\n`);
  renameSync(`${portFile}.tmp`, portFile);
  process.on("SIGTERM", () => fake.close().then(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
