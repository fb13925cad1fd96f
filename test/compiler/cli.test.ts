import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

/** The seed's first plugin block exactly as the seed prints it: its children do not exist. */
const SEED_FIRST_BLOCK = `plugins:
  - plugin:
      name: AWS-STS
      type: prebuilt
      conditionals:
        - response: http_2xx
          child_name: plugin-do-something
        - response: not_http_2xx
          child_name: None
      parallel: true
      trigger:
        trigger_type:
          - on_liveness_failure
          - periodic
        trigger_interval: 5
        trigger_timeout: 60s
`;

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "hyp-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("hypothecary compile", () => {
  it("rejects the seed's first block verbatim at the child_name it cannot resolve", async () => {
    const dir = workdir({ "seed.yaml": SEED_FIRST_BLOCK });
    const result = await runCli(["compile", "seed.yaml", "-o", "runner.sh"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^seed\.yaml:7:23: error\[HYP0302\]: unknown child `plugin-do-something`/m);
    expect(existsSync(join(dir, "runner.sh"))).toBe(false);
  });

  it("leaves an existing output file untouched when the config has errors", async () => {
    const dir = workdir({ "bad.yaml": "plugins:\n  - plugin: { name: x, type: shell }\n", "runner.sh": "previous\n" });
    const result = await runCli(["compile", "bad.yaml", "-o", "runner.sh"], dir);
    expect(result.status).toBe(1);
    expect(readFileSync(join(dir, "runner.sh"), "utf8")).toBe("previous\n");
  });

  it("says so when the config cannot be read", async () => {
    const result = await runCli(["compile", "nope.yaml"], workdir({}));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("hypothecary: cannot read nope.yaml: no such file\n");
  });
});

describe("usage", () => {
  it("exits 2 on no command, an unknown command or a missing argument", async () => {
    const dir = workdir({});
    expect((await runCli([], dir)).status).toBe(2);
    expect((await runCli(["frobnicate"], dir)).status).toBe(2);
    expect((await runCli(["compile"], dir)).status).toBe(2);
  });

  it("prints the version and help with exit 0", async () => {
    const dir = workdir({});
    const version = await runCli(["--version"], dir);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runCli(["--help"], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("compile");
  });
});

describe("hypothecary validate", () => {
  it("confirms a good config", async () => {
    const dir = workdir({ "ok.yaml": "plugins:\n  - plugin: { name: x, type: shell, shell_command: 'true' }\n" });
    const result = await runCli(["validate", "ok.yaml"], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("ok.yaml: ok, 1 plugin\n");
  });
});

describe("hypothecary convert", () => {
  const yaml = "# the app\nservice: shop\nplugins:\n  - plugin: { name: up, type: shell, shell_command: 'curl -fsS http://127.0.0.1/' }  # plain curl\n";

  it("turns YAML into the DSL and back, keeping comments, to stdout or -o", async () => {
    const dir = workdir({ "shop.yaml": yaml });
    const dsl = await runCli(["convert", "shop.yaml"], dir);
    expect(dsl.status).toBe(0);
    expect(dsl.stdout).toBe('# the app\nservice shop\n\nplugin up shell "curl -fsS http://127.0.0.1/"  # plain curl\n');
    expect((await runCli(["convert", "shop.yaml", "-o", "shop.hyp"], dir)).status).toBe(0);
    const back = await runCli(["convert", "shop.hyp"], dir);
    expect(back.stdout).toContain("# the app\nservice: shop\n");
    expect(back.stdout).toContain("name: up # plain curl\n");
    expect((await runCli(["convert", "shop.yaml", "-o", "shop.hyp", "--check"], dir)).status).toBe(0);
    expect((await runCli(["convert", "shop.yaml", "--to", "yaml"], dir)).stdout).toContain("service: shop");
  });

  it("writes nothing from a config with errors, and says where they are", async () => {
    const dir = workdir({ "bad.hyp": 'plugin up shell "x"\n  timeout 30\n', "out.yaml": "keep me\n" });
    const result = await runCli(["convert", "bad.hyp", "-o", "out.yaml"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^bad\.hyp:2:11: error\[HYP0104\]: expected a duration like `30s` after `timeout`, not `30`/m);
    expect(readFileSync(join(dir, "out.yaml"), "utf8")).toBe("keep me\n");
  });

  it("refuses an unknown --to, and --check without -o", async () => {
    const dir = workdir({ "shop.yaml": yaml });
    expect((await runCli(["convert", "shop.yaml", "--to", "json"], dir)).status).toBe(2);
    expect((await runCli(["convert", "shop.yaml", "--check"], dir)).status).toBe(2);
  });
});

describe("hypothecary compile --source-lines", () => {
  it("names the config and each block's line; without it the runner does not depend on the form", async () => {
    const dir = workdir({ "shop.yaml": "plugins:\n  - plugin: { name: up, type: shell, shell_command: exit 0 }\n", "shop.hyp": 'plugin up shell "exit 0"\n' });
    const annotated = await runCli(["compile", "shop.yaml", "--source-lines"], dir);
    expect(annotated.stdout).toContain("# shop.yaml:2  plugin up\n");
    const fromYaml = await runCli(["compile", "shop.yaml"], dir);
    const fromDsl = await runCli(["compile", "shop.hyp"], dir);
    expect(fromDsl.stdout).toBe(fromYaml.stdout);
    expect(fromYaml.stdout).not.toContain("shop.yaml");
  });
});

describe("hypothecary compile --comments", () => {
  it("keeps the runtime's comments, which the runner leaves out by default; both run alike", async () => {
    const dir = workdir({ "shop.yaml": "plugins:\n  - plugin: { name: up, type: shell, shell_command: exit 0 }\n" });
    const plain = await runCli(["compile", "shop.yaml", "-o", "plain.sh"], dir);
    const full = await runCli(["compile", "shop.yaml", "-o", "full.sh", "--comments"], dir);
    expect([plain.status, full.status]).toEqual([0, 0]);
    const plainText = readFileSync(join(dir, "plain.sh"), "utf8");
    const fullText = readFileSync(join(dir, "full.sh"), "utf8");
    expect(fullText).toContain("# hyp_get NAME: sets hyp_value");
    expect(plainText).not.toContain("# hyp_get NAME: sets hyp_value");
    expect(plainText.length).toBeLessThan(fullText.length * 0.85);
    expect((await runCli(["compile", "shop.yaml", "-o", "full.sh", "--comments", "--check"], dir)).status).toBe(0);
    const run = (file: string) =>
      execFileSync("sh", [join(dir, file), "run"], { encoding: "utf8", env: { PATH: process.env.PATH, HYP_STATE_DIR: dir } })
        .replace(/"(duration_ms|ts|started|finished|time|run_id)":("[^"]*"|[0-9]+)/g, "");
    expect(run("plain.sh")).toBe(run("full.sh"));
  });
});
