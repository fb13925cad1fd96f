// The fake STS (test/support/fake-sts.mjs) is only worth testing against if the real AWS SDK
// accepts it as STS: its XML parses into the SDK's output shapes, its errors map to the SDK's
// error classes, its clock-skew answer triggers the SDK's own skew correction, and the SDK's
// default credential chain gets working credentials from its web identity, container and
// instance-metadata endpoints. If any of that drifted from AWS, the shell tests built on the
// fake would prove nothing.
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs test helper without type declarations
import { ACCOUNT, CONTAINER, IDENTITIES, IMDS, WEB_IDENTITY, startFakeSts } from "../support/fake-sts.mjs";

interface Fake {
  port: number;
  url: string;
  close(): Promise<void>;
}

const region = "us-east-1";
const dir = mkdtempSync(join(tmpdir(), "hyp-fake-sts-"));
let fake: Fake;
let skewed: Fake;
let tlsFake: Fake;
let certFile: string;

beforeAll(async () => {
  fake = await startFakeSts({ logFile: join(dir, "log") });
  skewed = await startFakeSts({ skewSeconds: 20 * 60 });
  certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout", keyFile, "-out", certFile,
  ], { stdio: "ignore" });
  tlsFake = await startFakeSts({ tls: { cert: readFileSync(certFile), key: readFileSync(keyFile) } });
});

afterAll(async () => {
  await Promise.all([fake?.close(), skewed?.close(), tlsFake?.close()]);
});

const client = (endpoint: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, maxAttempts = 1) =>
  new STSClient({ region, endpoint, maxAttempts, ...(credentials ? { credentials } : {}) });

const { static: staticId, session, expired } = IDENTITIES;

describe("fake STS, read by @aws-sdk/client-sts", () => {
  it("answers GetCallerIdentity for long-term keys in the real XML shape", async () => {
    const out = await client(fake.url, staticId).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(staticId.arn);
    expect(out.Account).toBe(ACCOUNT);
    expect(out.UserId).toBe(staticId.userId);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers GetCallerIdentity for a session token, and over TLS", async () => {
    const out = await client(fake.url, session).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(session.arn);
    const { Agent } = await import("node:https");
    const tlsClient = new STSClient({
      region,
      endpoint: tlsFake.url,
      maxAttempts: 1,
      credentials: session,
      requestHandler: { httpsAgent: new Agent({ ca: readFileSync(certFile) }) },
    });
    expect((await tlsClient.send(new GetCallerIdentityCommand({}))).Arn).toBe(session.arn);
  });

  it("rejects a wrong secret as SignatureDoesNotMatch, 403", async () => {
    const err = await client(fake.url, { ...staticId, secretAccessKey: "not-the-secret" })
      .send(new GetCallerIdentityCommand({}))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "SignatureDoesNotMatch", $metadata: { httpStatusCode: 403 } });
    expect((err as Error).message).toMatch(/^The request signature we calculated does not match/);
  });

  it("rejects an unknown key (InvalidClientTokenId, 403) and a wrong session token", async () => {
    for (const creds of [
      { ...staticId, accessKeyId: "AKIAUNKNOWNUNKNOWN00" },
      { ...session, sessionToken: "not-the-token" },
      { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey },
    ]) {
      const err = await client(fake.url, creds).send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "InvalidClientTokenId", $metadata: { httpStatusCode: 403 } });
    }
  });

  it("rejects an expired session token as ExpiredToken, 400", async () => {
    const err = await client(fake.url, expired).send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "ExpiredToken", $metadata: { httpStatusCode: 400 } });
    expect((err as Error).message).toBe("The security token included in the request is expired");
  });

  it("rejects a request signed > 5 min off its clock, in a way the SDK recognises as clock skew", async () => {
    const once = client(skewed.url, staticId, 1);
    const err = await once.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "SignatureDoesNotMatch", $metadata: { httpStatusCode: 403 } });
    expect((err as Error).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    // The SDK reads the fake's Date header, corrects its clock and succeeds on the retry: proof
    // that the error and the Date header look like AWS's.
    const retrying = client(skewed.url, staticId, 3);
    expect((await retrying.send(new GetCallerIdentityCommand({}))).Arn).toBe(staticId.arn);
    const offset = retrying.config.systemClockOffset;
    expect(Math.abs(offset - 20 * 60 * 1000)).toBeLessThan(5_000);
  });

  it("answers AssumeRoleWithWebIdentity (unsigned) with temporary credentials that then work", async () => {
    const out = await new STSClient({ region, endpoint: fake.url, maxAttempts: 1 }).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: WEB_IDENTITY.roleArn, RoleSessionName: "vitest", WebIdentityToken: WEB_IDENTITY.token }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/hyp-irsa-role/vitest`);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(out.Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now());
    const creds = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const me = await client(fake.url, creds).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/hyp-irsa-role/vitest`);
  });

  it("rejects a bad web identity token (InvalidIdentityToken, 400) and a foreign role (AccessDenied, 403)", async () => {
    const sts = new STSClient({ region, endpoint: fake.url, maxAttempts: 1 });
    const bad = await sts
      .send(new AssumeRoleWithWebIdentityCommand({ RoleArn: WEB_IDENTITY.roleArn, RoleSessionName: "vitest", WebIdentityToken: "eyJ.bad.token" }))
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ name: "InvalidIdentityTokenException", $metadata: { httpStatusCode: 400 } });
    const denied = await sts
      .send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/other`, RoleSessionName: "vitest", WebIdentityToken: WEB_IDENTITY.token }))
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
  });
});

describe("fake credential endpoints, read by the SDK's default credential chain", () => {
  const saved = { ...process.env };
  const isolate = (env: Record<string, string>) => {
    for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
    // Keep the host's ~/.aws out of it: the chain reads those files before web identity.
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    });
  };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  const whoAmI = () => new STSClient({ region, endpoint: fake.url, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));

  it("environment keys come first, before a web identity", async () => {
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, WEB_IDENTITY.token);
    isolate({
      AWS_ACCESS_KEY_ID: session.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
      AWS_SESSION_TOKEN: session.sessionToken,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: WEB_IDENTITY.roleArn,
    });
    expect((await whoAmI()).Arn).toBe(session.arn);
  });

  it("IRSA: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, against AWS_ENDPOINT_URL_STS", async () => {
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, WEB_IDENTITY.token);
    isolate({
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: WEB_IDENTITY.roleArn,
      AWS_ROLE_SESSION_NAME: "sdk-irsa",
      AWS_ENDPOINT_URL_STS: fake.url,
      AWS_REGION: region,
    });
    expect((await whoAmI()).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/hyp-irsa-role/sdk-irsa`);
  });

  it("EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", async () => {
    const tokenFile = join(dir, "pod-token");
    writeFileSync(tokenFile, CONTAINER.authToken);
    isolate({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fake.url}${CONTAINER.path}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    });
    expect((await whoAmI()).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/hyp-pod-identity-role/eks-hyp-pod`);
  });

  it("ECS-style AWS_CONTAINER_AUTHORIZATION_TOKEN, and a wrong token is refused", async () => {
    isolate({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fake.url}${CONTAINER.path}`, AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER.authToken });
    expect((await whoAmI()).Arn).toMatch(/assumed-role\/hyp-pod-identity-role\//);
    isolate({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fake.url}${CONTAINER.path}`, AWS_CONTAINER_AUTHORIZATION_TOKEN: "wrong" });
    await expect(whoAmI()).rejects.toThrow();
  });

  it("IMDSv2: token PUT, role name, role credentials, at AWS_EC2_METADATA_SERVICE_ENDPOINT", async () => {
    isolate({ AWS_EC2_METADATA_DISABLED: "false", AWS_EC2_METADATA_SERVICE_ENDPOINT: `${fake.url}/` });
    expect((await whoAmI()).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${IMDS.role}/${IMDS.instanceId}`);
  });
});
