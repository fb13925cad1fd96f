import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { runCli } from "./support/cli.js";

/**
 * `hypothecary init`: whatever flags it is given, what it writes validates, compiles, lists and
 * runs, and its .hyp form is what `convert` makes of its YAML form.
 */

let server: Server;
let port: number;

beforeAll(async () => {
  // The service the starter configs probe: 200 with a Date header, on every path.
  server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain", Date: new Date().toUTCString() });
    res.end("ok\n");
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

function workdir(): string {
  return mkdtempSync(join(tmpdir(), "hyp-init-"));
}

/** Runs the runner with `sh`, asynchronously: the test's own server must keep answering. */
function runner(path: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile("sh", [path, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      done({ status, stdout, stderr });
    });
  });
}

/** A clean environment: no cloud, no cluster, no proxy; the report in the test's own folder. */
function runnerEnv(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, HYP_STATE_DIR: join(dir, "state"), HYP_CONTAINER_LOG: join(dir, "container.log"), LC_ALL: "C" };
}

const STDLIB = [...loadLibrary().prebuilts.keys()];

/** Flag sets that between them choose every stdlib prebuilt; `$PORT` is the test's server. */
const MATRIX: readonly {
  readonly name: string;
  readonly flags: readonly string[];
  readonly prebuilts: readonly string[];
  /** The statuses this machine cannot change (disk and memory use can). */
  readonly statuses: Readonly<Record<string, string>>;
}[] = [
  {
    name: "an HTTP probe, the default prebuilts",
    flags: ["--probe-http-port", "$PORT", "--probe-path", "/healthz"],
    prebuilts: ["HTTP", "TCP", "DISK", "CGROUP-MEMORY"],
    // tcp is http's child, for when http fails: not reached.
    statuses: { http: "pass", tcp: "skipped" },
  },
  {
    name: "a TCP probe",
    flags: ["--probe-tcp-port", "$PORT", "--service", "shop", "--prebuilts", "tcp,http,file-descriptors,cpu-throttling"],
    prebuilts: ["TCP", "HTTP", "FILE-DESCRIPTORS", "CPU-THROTTLING"],
    statuses: { http: "pass", tcp: "skipped" },
  },
  {
    name: "a command probe and the network prebuilts, pointed at the local server",
    flags: [
      "--probe-command", "exit 0",
      "--prebuilts", "AWS-STS,CLOCK-SKEW,EGRESS,K8S-API,DNS",
      "--with", "AWS-STS.endpoint=http://127.0.0.1:$PORT/", "--with", "AWS-STS.timeout=2s",
      "--with", "CLOCK-SKEW.url=http://127.0.0.1:$PORT/", "--with", "CLOCK-SKEW.max_skew=30s",
      "--with", "EGRESS.url=http://127.0.0.1:$PORT/", "--with", "EGRESS.proxy=direct",
      "--with", "DNS.name=localhost",
    ],
    prebuilts: ["AWS-STS", "CLOCK-SKEW", "EGRESS", "K8S-API", "DNS"],
    // No credentials in the environment; not in a pod.
    statuses: { "aws-sts": "fail", "clock-skew": "pass", egress: "pass", "k8s-api": "skipped", dns: "pass" },
  },
  {
    name: "no probe; prebuilts that need a parameter given with --with",
    flags: ["--prebuilts", "PROCESS,TLS-CERT", "--with", "PROCESS.name=node", "--with", "TLS-CERT.file=./no-such.pem", "--with", "TLS-CERT.min_days=7"],
    prebuilts: ["PROCESS", "TLS-CERT"],
    // The test itself runs in a process named node.
    statuses: { process: "pass", "tls-cert": "fail" },
  },
];

describe("hypothecary init: every flag set's output validates, compiles, lists and runs", () => {
  it("covers every stdlib prebuilt", () => {
    expect(new Set(MATRIX.flatMap((m) => m.prebuilts))).toEqual(new Set(STDLIB));
  });

  it.each(MATRIX)("$name", async ({ flags, prebuilts, statuses }) => {
    const dir = workdir();
    const args = flags.map((f) => f.replace("$PORT", String(port)));
    const yaml = await runCli(["init", ...args], dir);
    expect(yaml.stderr).toBe("");
    expect(yaml.stdout).toMatch(/^wrote hypothecary\.yaml: service \S+, \d+ plugins? \(/);
    expect(yaml.status).toBe(0);
    const text = readFileSync(join(dir, "hypothecary.yaml"), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=node_modules/hypothecary/schema/hypothecary.schema.json");

    const hyp = await runCli(["init", ...args, "--format", "hyp"], dir);
    expect(hyp.status).toBe(0);
    const hypText = readFileSync(join(dir, "hypothecary.hyp"), "utf8");
    // The .hyp form is `convert` of the YAML form (the modeline is for YAML editors only).
    writeFileSync(join(dir, "plain.yaml"), text.split("\n").slice(1).join("\n"));
    const converted = await runCli(["convert", "plain.yaml", "--to", "hyp"], dir);
    expect(converted.stderr).toBe("");
    expect(hypText).toBe(converted.stdout);

    for (const file of ["hypothecary.yaml", "hypothecary.hyp"]) {
      const validated = await runCli(["validate", file], dir);
      expect(validated.stderr).toBe("");
      expect(validated.stdout).toBe(`${file}: ok, ${prebuilts.length} plugin${prebuilts.length === 1 ? "" : "s"}\n`);
    }
    const compiled = await runCli(["compile", "hypothecary.yaml", "-o", "runner.sh"], dir);
    expect(compiled.stderr).toBe("");
    expect((await runCli(["compile", "hypothecary.hyp", "-o", "runner.sh", "--check"], dir)).status).toBe(0);

    const env = runnerEnv(dir);
    const list = await runner(join(dir, "runner.sh"), ["list"], env);
    expect(list.status).toBe(0);
    for (const prebuilt of prebuilts) expect(list.stdout).toContain(` ${prebuilt.toLowerCase()}  prebuilt ${prebuilt}, `);

    const run = await runner(join(dir, "runner.sh"), ["run"], env);
    expect(run.stderr).toBe("");
    expect([0, 1]).toContain(run.status);
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const results = lines.filter((l) => l["event"] === "result");
    expect(results.map((r) => r["plugin"]).sort()).toEqual(prebuilts.map((p) => p.toLowerCase()).sort());
    // Every plugin ran to an answer of its own: nothing timed out or failed to start.
    for (const result of results) expect(["pass", "fail", "skipped"]).toContain(result["status"]);
    expect(lines.at(-1)!["event"]).toBe("summary");
    for (const [plugin, status] of Object.entries(statuses)) {
      expect(`${plugin}: ${String(results.find((r) => r["plugin"] === plugin)!["status"])}`).toBe(`${plugin}: ${status}`);
    }
    if (args.includes("--probe-http-port") || args.includes("--probe-tcp-port") || args.includes("--probe-command")) {
      const probe = await runner(join(dir, "runner.sh"), ["probe", "liveness"], env);
      expect(probe.stdout).toBe("hypothecary liveness: ok\n");
      expect(probe.status).toBe(0);
    }
  }, 30_000);
});

describe("hypothecary init: what it refuses", () => {
  it("an unknown prebuilt, with did-you-mean", async () => {
    const dir = workdir();
    const result = await runCli(["init", "--prebuilts", "HTTP,DSIK", "--probe-http-port", "8080"], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("hypothecary: init: unknown prebuilt `DSIK` in --prebuilts; did you mean `DISK`? (`hypothecary plugins` describes them)\n");
    expect(existsSync(join(dir, "hypothecary.yaml"))).toBe(false);
  });

  it("a required parameter it cannot know, naming the flag that gives it", async () => {
    const dir = workdir();
    const http = await runCli(["init", "--prebuilts", "HTTP", "--probe-command", "true"], dir);
    expect(http.status).toBe(2);
    expect(http.stderr).toContain("HTTP needs `url`");
    expect(http.stderr).toContain("add --probe-http-port N (and --probe-path P) or --with HTTP.url=VALUE");
    const tls = await runCli(["init", "--prebuilts", "TLS-CERT"], dir);
    expect(tls.stderr).toBe("hypothecary: init: TLS-CERT needs one of `host`, `file`: add --with TLS-CERT.host=VALUE\n");
    const process = await runCli(["init", "--prebuilts", "PROCESS"], dir);
    expect(process.stderr).toContain("add --with PROCESS.name=VALUE");
    expect(existsSync(join(dir, "hypothecary.yaml"))).toBe(false);
  });

  it("a --with value that would not validate: the diagnostics, and nothing written", async () => {
    const dir = workdir();
    const result = await runCli(["init", "--prebuilts", "DISK", "--with", "DISK.max_used=lots"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^hypothecary\.yaml:\d+:\d+: error\[HYP0402\]: /m);
    expect(result.stderr).toContain("nothing written");
    expect(existsSync(join(dir, "hypothecary.yaml"))).toBe(false);
    const typo = await runCli(["init", "--prebuilts", "DISK", "--with", "DISK.max_usd=80"], dir);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("prebuilt DISK has no parameter `max_usd`; did you mean `max_used`?");
    const stranger = await runCli(["init", "--prebuilts", "DISK", "--with", "HTTP.url=x"], dir);
    expect(stranger.stderr).toContain("HTTP is not among the chosen prebuilts (DISK); add it to --prebuilts");
  });

  it("conflicting or bad probe flags, and a form that does not fit the file's name", async () => {
    const dir = workdir();
    expect((await runCli(["init", "--probe-command", "true", "--probe-tcp-port", "1"], dir)).status).toBe(2);
    expect((await runCli(["init", "--probe-path", "/x"], dir)).status).toBe(2);
    expect((await runCli(["init", "--probe-http-port", "70000"], dir)).stderr).toContain("takes a port number from 1 to 65535, not `70000`");
    expect((await runCli(["init", "--probe-http-port", "80", "--probe-path", "x"], dir)).status).toBe(2);
    expect((await runCli(["init", "-o", "x.yaml", "--format", "hyp"], dir)).status).toBe(2);
    expect((await runCli(["init", "--format", "json"], dir)).status).toBe(2);
  });

  it("overwriting a file, unless --force", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "hypothecary.yaml"), "mine\n");
    const refused = await runCli(["init"], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("hypothecary: init: hypothecary.yaml exists; give --force to replace it, or -o another file\n");
    expect(readFileSync(join(dir, "hypothecary.yaml"), "utf8")).toBe("mine\n");
    expect((await runCli(["init", "--force"], dir)).status).toBe(0);
    expect(readFileSync(join(dir, "hypothecary.yaml"), "utf8")).toContain("plugins:\n");
  });
});

describe("hypothecary init: where and what", () => {
  it("writes stdout with -o -, the form from -o's name, and a modeline relative to the file", async () => {
    const dir = workdir();
    mkdirSync(join(dir, "deploy"));
    const stdout = await runCli(["init", "-o", "-", "--service", "cart"], dir);
    expect(stdout.status).toBe(0);
    expect(stdout.stdout).toContain("\nservice: cart\n");
    expect(existsSync(join(dir, "hypothecary.yaml"))).toBe(false);
    expect((await runCli(["init", "-o", "deploy/cart.yaml"], dir)).status).toBe(0);
    expect(readFileSync(join(dir, "deploy/cart.yaml"), "utf8")).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/node_modules\/hypothecary\/schema\/hypothecary\.schema\.json\n/,
    );
    expect((await runCli(["init", "-o", "deploy/cart.hyp"], dir)).status).toBe(0);
    expect(readFileSync(join(dir, "deploy/cart.hyp"), "utf8")).toMatch(/^# Hypotheses for /);
  });

  it("is deterministic, and names the service after the folder by default", async () => {
    const dir = join(workdir(), "checkout api");
    mkdirSync(dir);
    const first = await runCli(["init", "-o", "-", "--probe-http-port", "8080"], dir);
    const second = await runCli(["init", "-o", "-", "--probe-http-port", "8080"], dir);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout).toContain("\nservice: checkout-api\n");
    // The probe's endpoint becomes the HTTP plugin's URL and the TCP plugin's port; TCP is its child.
    expect(first.stdout).toContain("url: http://127.0.0.1:8080/healthz\n");
    expect(first.stdout).toContain("port: 8080\n");
    expect(first.stdout).toContain("- response: failure\n          child_name: tcp\n");
  });

  it("without --with, DNS asks for the cluster's own name", async () => {
    const dir = workdir();
    const result = await runCli(["init", "-o", "-", "--prebuilts", "DNS"], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("name: kubernetes.default.svc\n");
  });
});
