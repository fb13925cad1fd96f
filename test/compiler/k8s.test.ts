import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Pod } from "kubernetes-models/v1/Pod";
import { afterAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { PACKAGE_ROOT } from "../../compiler/cli/load-library.js";
import {
  buildK8s,
  CONFIGMAP_MAX_BYTES,
  K8S_FILES,
  probeTimeoutSeconds,
  runnerProbeDeadlineSeconds,
} from "../../compiler/k8s/k8s.js";
import { DEFAULT_MOUNT, probeCommand, RUNNER_KEY } from "../../compiler/k8s/names.js";
import { cronSchedule } from "../../compiler/k8s/schedule.js";
import type { CheckedProbe, Program } from "../../compiler/model/model.js";
import { runCli } from "./support/cli.js";
import { programOf } from "./support/program.js";

// No kubectl or kustomize in CI: the objects are checked against the Kubernetes OpenAPI schemas
// of kubernetes-models, and the patches are applied by test/e2e/k8s-pod.mjs (the strategic-merge
// subset a pod template needs), whose result is validated as a Deployment and a Pod.

const CONFIG = `service: web
probes:
  liveness: { exec: "test -e /nonexistent", timeout: 1500ms }
  readiness: { http: { port: 8080, path: /ready } }
  startup: { tcp: { port: 8080 }, timeout: 10s }
plugins:
  - plugin:
      name: quick
      type: shell
      shell_command: echo diagnosed
      trigger: { trigger_type: [on_liveness_failure, periodic], trigger_interval: 4m10s }
  - plugin:
      name: slow
      type: shell
      shell_command: "true"
      trigger: { trigger_type: [periodic], trigger_interval: 1h }
`;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempdir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function workdir(files: Record<string, string>): string {
  const dir = tempdir("hyp-k8s-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function readOutput(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

const load = (text: string) => parse(text) as Record<string, unknown>;

/** The merged Deployment (or Pod) test/e2e/k8s-pod.mjs makes of an output folder. */
function merged(dir: string, ...flags: string[]): Record<string, unknown>[] {
  const text = execFileSync("node", [join(PACKAGE_ROOT, "test/e2e/k8s-pod.mjs"), dir, "busybox:1.36", ...flags], {
    encoding: "utf8",
  });
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

type Container = { name: string; livenessProbe?: Record<string, unknown>; [k: string]: unknown };
const containersOf = (deployment: Record<string, unknown>) =>
  (deployment as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec.containers;

describe("hypothecary k8s", () => {
  it("writes a kustomize component whose objects validate against the Kubernetes schemas", async () => {
    const dir = workdir({ "web.yaml": CONFIG });
    const result = await runCli(["k8s", "web.yaml", "-o", "k8s"], dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const out = join(dir, "k8s");
    const files = readOutput(out);
    expect(Object.keys(files).sort()).toEqual([...K8S_FILES].sort());
    expect(result.stdout.split("\n")[0]).toBe("wrote k8s:");
    for (const name of K8S_FILES) expect(result.stdout).toContain(`  ${name}`);

    const kustomization = load(files["kustomization.yaml"]!);
    expect(kustomization).toEqual({
      apiVersion: "kustomize.config.k8s.io/v1alpha1",
      kind: "Component",
      resources: ["configmap.yaml", "cronjob.yaml"],
      patches: [{ path: "probe-patch.yaml" }],
    });

    const configMap = load(files["configmap.yaml"]!);
    new ConfigMap(configMap).validate();
    const compiled = await runCli(["compile", "web.yaml"], dir);
    expect((configMap.data as Record<string, string>)[RUNNER_KEY]).toBe(compiled.stdout);
    expect((configMap.metadata as { name: string }).name).toBe("web-hypothecary");

    const cronJob = load(files["cronjob.yaml"]!);
    new CronJob(cronJob).validate();
    const cron = cronJob as {
      spec: { schedule: string; concurrencyPolicy: string; jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } };
    };
    // The shortest periodic interval, 4m10s, rounded up to whole minutes and then to a step of the hour.
    expect(cron.spec.schedule).toBe("*/5 * * * *");
    expect(cron.spec.concurrencyPolicy).toBe("Forbid");
    const jobPod = cron.spec.jobTemplate.spec.template.spec as { containers: Container[]; volumes: unknown[] };
    expect(jobPod.containers[0]!.command).toEqual(["/bin/sh", `${DEFAULT_MOUNT}/runner.sh`, "run", "--trigger", "periodic"]);
    expect(jobPod.containers[0]!.image).toBe("busybox:1.36");
    expect(jobPod.volumes).toContainEqual({ name: "hypothecary", configMap: { name: "web-hypothecary", defaultMode: 0o555 } });

    // The patches, applied to a minimal Deployment that already has an httpGet liveness probe.
    const [deployment] = merged(out, "--deployment", "--sidecar");
    new Deployment(deployment!).validate();
    const [app, sidecar] = containersOf(deployment!);
    expect(app!.name).toBe("web");
    // `$patch: replace`: the exec probe replaced the httpGet one instead of joining it.
    expect(app!.livenessProbe).toEqual({
      exec: { command: probeCommand(DEFAULT_MOUNT, "liveness") },
      timeoutSeconds: 4,
      periodSeconds: 10,
      failureThreshold: 3,
    });
    expect(app!.readinessProbe).toMatchObject({ exec: { command: probeCommand(DEFAULT_MOUNT, "readiness") } });
    expect(app!.startupProbe).toMatchObject({ exec: { command: probeCommand(DEFAULT_MOUNT, "startup") }, timeoutSeconds: 12 });
    expect(app!.volumeMounts).toEqual([{ name: "hypothecary", mountPath: DEFAULT_MOUNT, readOnly: true }]);
    expect(sidecar).toMatchObject({ name: "hypothecary", command: ["/bin/sh", `${DEFAULT_MOUNT}/runner.sh`, "watch"] });

    // And the Pod test/e2e/k8s.bats gives podman kube play.
    const [podConfigMap, pod] = merged(out);
    new ConfigMap(podConfigMap!).validate();
    new Pod(pod!).validate();
  });

  it("takes --name, --namespace, --container, --mount, --image and --periodic sidecar", async () => {
    const dir = workdir({ "web.yaml": CONFIG });
    const args = ["--name", "shop", "--namespace", "prod", "--container", "app", "--mount", "/opt/hyp/", "--image", "alpine:3.20"];
    const result = await runCli(["k8s", "web.yaml", "-o", "out", ...args, "--periodic", "sidecar"], dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const files = readOutput(join(dir, "out"));
    expect(load(files["kustomization.yaml"]!)).toMatchObject({
      resources: ["configmap.yaml"],
      patches: [{ path: "probe-patch.yaml" }, { path: "sidecar-patch.yaml" }],
    });
    expect(files["kustomization.yaml"]).toContain(
      "#   npx hypothecary k8s web.yaml -o <this folder> --name shop --namespace prod --container app --mount /opt/hyp --image alpine:3.20 --periodic sidecar\n",
    );
    for (const name of ["configmap.yaml", "cronjob.yaml", "probe-patch.yaml", "sidecar-patch.yaml"]) {
      expect(load(files[name]!).metadata).toMatchObject({ namespace: "prod" });
    }
    const [deployment] = merged(join(dir, "out"), "--deployment", "--sidecar");
    new Deployment(deployment!).validate();
    const [app, sidecar] = containersOf(deployment!);
    expect(app!.name).toBe("app");
    expect(app!.livenessProbe).toMatchObject({ exec: { command: ["/bin/sh", "/opt/hyp/runner.sh", "probe", "liveness"] } });
    expect(sidecar).toMatchObject({ image: "alpine:3.20", command: ["/bin/sh", "/opt/hyp/runner.sh", "watch"] });
    expect((deployment as { metadata: { name: string } }).metadata.name).toBe("shop");
    // The sidecar may be merged in first: kubectl logs and exec must still default to the app.
    expect(deployment).toMatchObject({
      spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/default-container": "app" } } } },
    });
  });

  it("writes no CronJob or sidecar without periodic plugins, and says when there are no probes", async () => {
    const dir = workdir({ "plain.yaml": "plugins:\n  - plugin: { name: x, type: shell, shell_command: 'true' }\n" });
    const result = await runCli(["k8s", "plain.yaml", "-o", "k8s"], dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("hypothecary: k8s: warning: the config has no probes: probe-patch.yaml only mounts the runner\n");
    expect(readdirSync(join(dir, "k8s")).sort()).toEqual(["configmap.yaml", "kustomization.yaml", "probe-patch.yaml"]);
    const patch = load(readFileSync(join(dir, "k8s", "probe-patch.yaml"), "utf8"));
    // The service name (the file's base name) names the Deployment.
    expect(patch.metadata).toEqual({ name: "plain" });
    const [deployment] = merged(join(dir, "k8s"), "--deployment");
    new Deployment(deployment!).validate();
  });

  it("gives the same bytes twice, from two folders, with no absolute path", async () => {
    const outputs = [];
    for (let i = 0; i < 2; i++) {
      const dir = workdir({ "conf/web.yaml": CONFIG });
      expect((await runCli(["k8s", "conf/web.yaml", "-o", "k8s", "--name", "web"], dir)).status).toBe(0);
      const files = readOutput(join(dir, "k8s"));
      for (const text of Object.values(files)) expect(text).not.toContain(dir);
      outputs.push(files);
    }
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!["configmap.yaml"]!.split("\n").slice(0, 3)).toEqual([
      expect.stringMatching(/^# Generated by hypothecary \d+\.\d+\.\d+ from conf\/web\.yaml \(sha256:[0-9a-f]{64}\)\.$/),
      "# Do not edit: change the config and run again:",
      "#   npx hypothecary k8s conf/web.yaml -o <this folder> --name web",
    ]);
  });

  it("replaces a previous output, but not a folder that holds anything else", async () => {
    const dir = workdir({ "web.yaml": CONFIG, "mine/notes.txt": "keep\n" });
    expect((await runCli(["k8s", "web.yaml", "-o", "k8s"], dir)).status).toBe(0);
    // A previous output (with a file the new one does not write) is replaced whole.
    writeFileSync(join(dir, "web.yaml"), CONFIG.replace(/^ {2}- plugin:\n {6}name: slow[\s\S]*$/m, "").replace(", periodic]", "]"));
    const again = await runCli(["k8s", "web.yaml", "-o", "k8s"], dir);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(readdirSync(join(dir, "k8s")).sort()).toEqual(["configmap.yaml", "kustomization.yaml", "probe-patch.yaml"]);
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);

    const foreign = await runCli(["k8s", "web.yaml", "-o", "mine"], dir);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toBe(
      "hypothecary: k8s: mine is not empty and not a previous hypothecary k8s output (its kustomization.yaml was not written by hypothecary k8s); give a new or empty folder\n",
    );
    expect(readdirSync(join(dir, "mine"))).toEqual(["notes.txt"]);

    writeFileSync(join(dir, "k8s", "extra.yaml"), "kind: Secret\n");
    const mixed = await runCli(["k8s", "web.yaml", "-o", "k8s"], dir);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain("it also holds extra.yaml");

    mkdirSync(join(dir, "empty"));
    expect((await runCli(["k8s", "web.yaml", "-o", "empty"], dir)).status).toBe(0);
  });

  it("fails with exit 1 and writes nothing when the output is a file or under a missing folder", async () => {
    const dir = workdir({ "web.yaml": CONFIG, "file.txt": "x\n" });
    const onFile = await runCli(["k8s", "web.yaml", "-o", "file.txt"], dir);
    expect(onFile.status).toBe(1);
    expect(onFile.stderr).toBe("hypothecary: k8s: file.txt exists and is not a folder\n");
    expect(readFileSync(join(dir, "file.txt"), "utf8")).toBe("x\n");

    const missing = await runCli(["k8s", "web.yaml", "-o", "no/such/k8s"], dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("hypothecary: k8s: cannot write no/such/k8s: ENOENT: its parent folder does not exist\n");

    const underFile = await runCli(["k8s", "web.yaml", "-o", "file.txt/k8s"], dir);
    expect(underFile.status).toBe(1);
    expect(underFile.stderr).toBe("hypothecary: k8s: cannot write file.txt/k8s: ENOTDIR: a part of its path is not a folder\n");

    // A read-only parent (meaningless as root, who may write anywhere).
    if (process.getuid?.() !== 0) {
      mkdirSync(join(dir, "ro"));
      chmodSync(join(dir, "ro"), 0o555);
      const readOnly = await runCli(["k8s", "web.yaml", "-o", "ro/k8s"], dir);
      expect(readOnly.status).toBe(1);
      expect(readOnly.stderr).toMatch(/^hypothecary: k8s: cannot write ro\/k8s: EACCES/);
    }
    expect(readdirSync(dir).sort()).toEqual(["file.txt", "web.yaml"]);
  });

  it("renders compile errors exactly as compile does, with exit 1 and nothing written", async () => {
    const dir = workdir({ "bad.yaml": "plugins:\n  - plugin: { name: x, type: shell }\n" });
    const k8s = await runCli(["k8s", "bad.yaml", "-o", "k8s"], dir);
    const compile = await runCli(["compile", "bad.yaml"], dir);
    expect(k8s.status).toBe(1);
    expect(k8s.stderr).not.toBe("");
    expect(k8s.stderr).toBe(compile.stderr);
    expect(k8s.stdout).toBe("");
    expect(existsSync(join(dir, "k8s"))).toBe(false);
    const unreadable = await runCli(["k8s", "nope.yaml", "-o", "k8s"], dir);
    expect(unreadable.status).toBe(1);
    expect(unreadable.stderr).toBe("hypothecary: cannot read nope.yaml: no such file\n");
  });

  it("exits 2 on usage errors: no -o, bad names, a relative or odd mount, an unknown --periodic", async () => {
    const dir = workdir({ "web.yaml": CONFIG, "My Service.yaml": "plugins:\n  - plugin: { name: x, type: shell, shell_command: 'true' }\n" });
    const cases: [string[], string][] = [
      [["k8s", "web.yaml"], "error: required option '-o, --output <dir>' not specified"],
      [["k8s", "web.yaml", "-o", "k", "--name", "Web_1"], "hypothecary: k8s: --name 'Web_1' must be lower-case letters"],
      [["k8s", "My Service.yaml", "-o", "k"], "the service name 'My Service' is not a Kubernetes name"],
      [["k8s", "web.yaml", "-o", "k", "--container", "hypothecary"], "hypothecary's own sidecar container"],
      [["k8s", "web.yaml", "-o", "k", "--namespace", "a.b"], "--namespace 'a.b' must be lower-case"],
      [["k8s", "web.yaml", "-o", "k", "--mount", "etc/hyp"], "--mount 'etc/hyp' must be an absolute path"],
      [["k8s", "web.yaml", "-o", "k", "--mount", "/etc/$(HOME)"], "may hold only letters"],
      [["k8s", "web.yaml", "-o", "k", "--mount", "/etc/../x"], "must not hold empty, '.' or '..' segments"],
      [["k8s", "web.yaml", "-o", "k", "--image", "busy box"], "--image 'busy box' is not an image reference"],
      [["k8s", "web.yaml", "-o", "k", "--periodic", "daemonset"], "--periodic 'daemonset': expected cronjob or sidecar"],
      [["k8s", "web.yaml", "-o", "k", "--name", "a".repeat(41)], "is too long for the CronJob"],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(argv, dir);
      expect(result.stderr, argv.join(" ")).toContain(message);
      expect(result.status, argv.join(" ")).toBe(2);
    }
    expect(existsSync(join(dir, "k"))).toBe(false);
  });
});

const probe = (kind: CheckedProbe["kind"], timeoutMs: number): CheckedProbe => ({
  kind,
  line: 1,
  check: { kind: "exec", command: "true" },
  timeoutMs,
});
const withProbes = (program: Program, probes: CheckedProbe[]): Program => ({ ...program, probes });

describe("buildK8s", () => {
  it("gives each probe a timeoutSeconds above the runner's own deadline for it", () => {
    for (const timeoutMs of [1, 999, 1000, 1001, 1500, 2000, 9_999, 60_000, 3_600_000]) {
      const program = withProbes(programOf([{}], "web"), [probe("liveness", timeoutMs), probe("startup", timeoutMs)]);
      const result = buildK8s({ program, runner: "#!/bin/sh\n", compilerVersion: "0.0.0", options: {} });
      if (result.kind !== "ok") throw new Error(result.errors.join("\n"));
      const patch = load(result.files.find((f) => f.name === "probe-patch.yaml")!.text);
      const [container] = containersOf(patch);
      const deadline = Math.ceil(timeoutMs / 1000);
      expect(runnerProbeDeadlineSeconds(timeoutMs)).toBe(deadline);
      for (const key of ["livenessProbe", "startupProbe"]) {
        const p = container![key] as { timeoutSeconds: number; periodSeconds: number };
        expect(p.timeoutSeconds, `${timeoutMs} ms`).toBeGreaterThan(deadline);
        expect(p.timeoutSeconds).toBe(probeTimeoutSeconds(timeoutMs));
        expect(p.periodSeconds).toBeGreaterThanOrEqual(p.timeoutSeconds);
      }
    }
  });

  it("refuses a runner over the ConfigMap limit of 1 MiB, and warns over kubectl apply's 256 KiB", () => {
    const program = programOf([{}], "web");
    const build = (bytes: number) =>
      buildK8s({ program, runner: "#".repeat(bytes), compilerVersion: "0.0.0", options: {} });
    const tooBig = build(CONFIGMAP_MAX_BYTES);
    expect(tooBig.kind).toBe("input");
    expect(tooBig.kind === "input" && tooBig.errors[0]).toMatch(
      /^the runner is 1048576 bytes: a ConfigMap holds at most 1 MiB \(1048576 bytes\) of data/,
    );
    const fits = build(CONFIGMAP_MAX_BYTES - RUNNER_KEY.length);
    expect(fits.kind).toBe("ok");
    expect(fits.kind === "ok" && fits.warnings).toContainEqual(expect.stringContaining("kubectl apply --server-side"));
    expect(build(100_000).kind === "ok" && build(100_000)).toMatchObject({ warnings: [expect.stringContaining("no probes")] });
  });

  it("refuses a config whose runner is over 1 MiB from the command line too", async () => {
    const big = `plugins:\n  - plugin:\n      name: big\n      type: shell\n      shell_command: ": '${"x".repeat(CONFIGMAP_MAX_BYTES)}'"\n`;
    const dir = workdir({ "big.yaml": big });
    const result = await runCli(["k8s", "big.yaml", "-o", "k8s"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^hypothecary: k8s: the runner is \d+ bytes: a ConfigMap holds at most 1 MiB/);
    expect(existsSync(join(dir, "k8s"))).toBe(false);
  });

  it("keeps any runner text byte for byte in the ConfigMap's YAML", () => {
    const runner = "  leading spaces\n\ttab\ntrailing  \n\u00e9t\u00e9 \u2713\n\n'quotes' \"and\" #hash: colon\n\n";
    const result = buildK8s({ program: programOf([{}], "web"), runner, compilerVersion: "0.0.0", options: {} });
    if (result.kind !== "ok") throw new Error("not ok");
    const configMap = load(result.files.find((f) => f.name === "configmap.yaml")!.text);
    expect((configMap.data as Record<string, string>)[RUNNER_KEY]).toBe(runner);
  });
});

describe("cronSchedule", () => {
  it.each([
    [1, "* * * * *"],
    [60_000, "* * * * *"],
    [60_001, "*/2 * * * *"],
    [250_000, "*/5 * * * *"],
    [7 * 60_000, "*/10 * * * *"],
    [45 * 60_000, "0 * * * *"],
    [3_600_000, "0 * * * *"],
    [3_600_001, "0 */2 * * *"],
    [5 * 3_600_000, "0 */6 * * *"],
    [20 * 3_600_000, "0 0 * * *"],
    [25 * 3_600_000, "0 0 */2 * *"],
    [60 * 86_400_000, "0 0 1 * *"],
  ])("%i ms -> %s, never more often than asked", (ms, schedule) => {
    const result = cronSchedule(ms);
    expect(result.schedule).toBe(schedule);
    expect(result.everyMinutes * 60_000).toBeGreaterThanOrEqual(Math.min(ms, 31 * 86_400_000));
  });
});

describe("the runner's probe within timeoutSeconds", () => {
  it("answers a hanging check before the kubelet would give up on it", async () => {
    const config = `probes:\n  liveness: { exec: "sleep 30", timeout: 1500ms }\nplugins:\n  - plugin: { name: x, type: shell, shell_command: "true" }\n`;
    const dir = workdir({ "hang.yaml": config });
    expect((await runCli(["compile", "hang.yaml", "-o", "runner.sh"], dir)).status).toBe(0);
    const started = Date.now();
    const run = spawnSync("dash", [join(dir, "runner.sh"), "probe", "liveness"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HYP_STATE_DIR: join(dir, "state"), HYP_CONTAINER_LOG: join(dir, "log") },
      timeout: 20_000,
    });
    const ms = Date.now() - started;
    expect(run.stdout).toMatch(/^hypothecary liveness: FAIL \(timed out after 2s\); diagnostics started/);
    expect(run.status).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(runnerProbeDeadlineSeconds(1500) * 1000 - 100);
    expect(ms).toBeLessThan(probeTimeoutSeconds(1500) * 1000);
  });
});

describe("examples/Dockerfile", () => {
  const dockerfile = readFileSync(join(PACKAGE_ROOT, "examples/Dockerfile"), "utf8");
  const compileLine = /^RUN .*node bin\/hypothecary\.js compile (\S+) -o (\S+)$/m.exec(dockerfile);
  const healthcheck = /^HEALTHCHECK (.*)CMD (\[.*\])$/m.exec(dockerfile);

  it("compiles an example config that exists and has the liveness probe its HEALTHCHECK runs", async () => {
    expect(compileLine).not.toBeNull();
    const [, config, output] = compileLine!;
    expect(existsSync(join(PACKAGE_ROOT, config!))).toBe(true);
    const result = await runCli(["validate", config!], PACKAGE_ROOT);
    expect(result.status).toBe(0);
    // The runner leaves the compile stage at the path the compile line wrote it to.
    expect(dockerfile).toMatch(new RegExp(`^COPY --from=compile ${output} ${DEFAULT_MOUNT}/${RUNNER_KEY}$`, "m"));
    expect(parse(readFileSync(join(PACKAGE_ROOT, config!), "utf8")).probes.liveness).toBeDefined();
  });

  it("probes with the command and mount path `hypothecary k8s` uses, within the same timeout", async () => {
    expect(healthcheck).not.toBeNull();
    expect(JSON.parse(healthcheck![2]!)).toEqual(probeCommand(DEFAULT_MOUNT, "liveness"));
    const config = compileLine![1]!;
    const dir = tempdir("hyp-k8s-docker-");
    expect((await runCli(["k8s", join(PACKAGE_ROOT, config), "-o", join(dir, "k8s")], PACKAGE_ROOT)).status).toBe(0);
    const patch = load(readFileSync(join(dir, "k8s", "probe-patch.yaml"), "utf8"));
    const liveness = containersOf(patch)[0]!.livenessProbe as { exec: { command: string[] }; timeoutSeconds: number };
    expect(liveness.exec.command).toEqual(JSON.parse(healthcheck![2]!));
    expect(healthcheck![1]).toContain(`--timeout=${liveness.timeoutSeconds}s `);
  });
});
