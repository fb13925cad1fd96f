import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../compiler/cli/load-library.js";
import { nodeHost } from "../../compiler/cli/node-host.js";
import { compileSource } from "../../compiler/pipeline.js";
import { SourceFile } from "../../compiler/source/source-file.js";

/**
 * The runner reads well in code review: a config change that touches one plugin changes that
 * plugin's block of the runner (`# plugin NAME` up to the next block) and the config hash, and
 * nothing else. Measured with `git diff --no-index --unified=0` between two compiles.
 */

const library = loadLibrary();
const dir = mkdtempSync(join(tmpdir(), "hyp-runner-diff-"));
writeFileSync(join(dir, "a.sh"), "#!/bin/sh\necho a\n");
writeFileSync(join(dir, "b.sh"), "#!/bin/sh\necho b\nexit 3\n");

/** The `prebuilt:` and `with:` lines of a prebuilt plugin, by turns TCP, HTTP and DISK. */
function prebuiltLines(i: number, url = "http://127.0.0.1:8080/healthz"): string[] {
  switch (Math.floor(i / 3) % 3) {
    case 0:
      return ["prebuilt: TCP", "with: { port: 8080 }"];
    case 1:
      return ["prebuilt: HTTP", `with: { url: '${url}', timeout: 2s }`];
    default:
      return ["prebuilt: DISK", "with: { path: /tmp }"];
  }
}

interface Options {
  /** Replaces plugin N's shell command. */
  readonly command?: Record<number, string>;
  /** Replaces the child of plugin N's `failure` conditional. */
  readonly failureChild?: Record<number, number>;
  /** Replaces plugin N's trigger_timeout. */
  readonly timeout?: Record<number, string>;
  /** Replaces the HTTP URL of plugin N (a prebuilt HTTP plugin). */
  readonly url?: Record<number, string>;
}

/**
 * 50 plugins: by turns shell, prebuilt (TCP, HTTP, DISK) and script; p1..p5 are roots with
 * various triggers, and every other plugin has two parents (`success` from i-5, `failure` from
 * i-10), so moving one edge changes no plugin's being a root.
 */
function config(options: Options = {}): string {
  const lines = ["service: review", "plugins:"];
  for (let i = 1; i <= 50; i++) {
    const kind = i % 3;
    lines.push("  - plugin:");
    lines.push(`      name: p${i}`);
    if (kind === 0) {
      lines.push("      type: shell");
      lines.push(`      shell_command: ${JSON.stringify(options.command?.[i] ?? `echo plugin ${i}; test -d /tmp`)}`);
    } else if (kind === 1) {
      lines.push("      type: prebuilt");
      for (const line of prebuiltLines(i, options.url?.[i])) lines.push(`      ${line}`);
    } else {
      lines.push("      type: script");
      lines.push(`      path: ./${i % 2 === 0 ? "a" : "b"}.sh`);
    }
    if (i % 4 === 0) lines.push("      parallel: true");
    if (i % 7 === 0) lines.push(`      hypothesis: "hypothesis ${i}: it's $HOME"`);
    const conditionals: string[] = [];
    if (i + 5 <= 50) conditionals.push(`{ response: success, child_name: p${i + 5} }`);
    if (i + 10 <= 50) conditionals.push(`{ response: failure, child_name: p${options.failureChild?.[i] ?? i + 10} }`);
    if (i % 6 === 0) conditionals.push("{ response: exit_3, child_name: None }");
    if (conditionals.length > 0) lines.push(`      conditionals: [${conditionals.join(", ")}]`);
    const trigger: string[] = [];
    if (i <= 5) {
      const types = i % 2 === 0 ? "[on_liveness_failure, periodic]" : "[manual, on_readiness_failure]";
      trigger.push(`trigger_type: ${types}`, `trigger_interval: ${i * 10}s`);
    }
    trigger.push(`trigger_timeout: ${options.timeout?.[i] ?? `${10 + (i % 5)}s`}`);
    lines.push(`      trigger: { ${trigger.join(", ")} }`);
  }
  return `${lines.join("\n")}\n`;
}

function compile(text: string): string {
  const file = new SourceFile("review.yaml", text);
  const result = compileSource(file, library, nodeHost(join(dir, "review.yaml"), dir), { compilerVersion: "0.0.0-test" });
  expect(result.diagnostics.map((d) => d.message)).toEqual([]);
  return result.runner!;
}

interface Hunk {
  /** 1-based first line and count, in the old and the new runner. */
  readonly old: readonly [number, number];
  readonly new: readonly [number, number];
}

function diff(before: string, after: string): Hunk[] {
  const work = mkdtempSync(join(tmpdir(), "hyp-runner-diff-"));
  writeFileSync(join(work, "old.sh"), before);
  writeFileSync(join(work, "new.sh"), after);
  const run = spawnSync("git", ["diff", "--no-index", "--no-color", "--unified=0", "old.sh", "new.sh"], { cwd: work, encoding: "utf8" });
  expect(run.status === 0 || run.status === 1).toBe(true);
  const hunks: Hunk[] = [];
  for (const match of run.stdout.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    hunks.push({ old: [Number(match[1]), Number(match[2] ?? 1)], new: [Number(match[3]), Number(match[4] ?? 1)] });
  }
  return hunks;
}

/** 1-based line ranges [first, last] of each plugin's block, by plugin name. */
function blocks(runner: string): Map<string, readonly [number, number]> {
  const lines = runner.split("\n");
  const found = new Map<string, [number, number]>();
  let current: string | undefined;
  lines.forEach((line, i) => {
    const start = /^# plugin (\S+)$/.exec(line);
    const other = line.startsWith("# ---- ") || line === 'hyp_main "$@"';
    if (start !== null || other) current = undefined;
    if (start !== null) {
      current = start[1]!;
      found.set(current, [i + 1, i + 1]);
    } else if (current !== undefined) {
      found.get(current)![1] = i + 1;
    }
  });
  return found;
}

/** The lines a diff may touch besides the plugin's own block: the config hash, twice. */
function isHashLine(line: string): boolean {
  return /^# Config sha256:[0-9a-f]{64} /.test(line) || /^HYP_CONFIG_HASH='sha256:[0-9a-f]{64}'$/.test(line);
}

/** Every changed line of the diff lies in the block of `plugin` (in each runner) or is a hash line. */
function expectOnlyBlockChanged(before: string, after: string, plugin: string): Hunk[] {
  const hunks = diff(before, after);
  const sides = [
    { text: before.split("\n"), block: blocks(before).get(plugin)!, range: (h: Hunk) => h.old },
    { text: after.split("\n"), block: blocks(after).get(plugin)!, range: (h: Hunk) => h.new },
  ];
  const strays: string[] = [];
  for (const hunk of hunks) {
    for (const side of sides) {
      const [first, count] = side.range(hunk);
      for (let line = first; line < first + count; line++) {
        const inBlock = line >= side.block[0] && line <= side.block[1];
        if (!inBlock && !isHashLine(side.text[line - 1]!)) strays.push(`${line}: ${side.text[line - 1]}`);
      }
    }
  }
  expect(strays).toEqual([]);
  return hunks;
}

describe("a 50-plugin runner in code review", () => {
  const base = compile(config());

  it("has the 50 blocks the test reads", () => {
    expect([...blocks(base).keys()]).toEqual(Array.from({ length: 50 }, (_, i) => `p${i + 1}`));
  });

  it("compiles the same config to the same bytes: an empty diff", () => {
    expect(diff(base, compile(config()))).toEqual([]);
  });

  it("changing one plugin's shell_command touches that block and the hash only", () => {
    const after = compile(config({ command: { 24: "curl -fsS 'http://127.0.0.1:9/$x'" } }));
    const hunks = expectOnlyBlockChanged(base, after, "p24");
    // The hash (header comment and setting), the shellcheck note the new `$` needs, the command.
    expect(hunks.length).toBe(4);
  });

  it("changing a middle plugin's conditional target touches that block and the hash only", () => {
    const after = compile(config({ failureChild: { 25: 36 } }));
    const hunks = expectOnlyBlockChanged(base, after, "p25");
    expect(hunks.length).toBe(3);
    // The edges line names the new child by its number: nothing else is renumbered.
    expect(after).toContain("hyp_edges='success:30 failure:36'");
  });

  it("changing a prebuilt's parameter or a plugin's timeout touches that block and the hash only", () => {
    expectOnlyBlockChanged(base, compile(config({ url: { 19: "http://127.0.0.1:8081/ready" } })), "p19");
    expectOnlyBlockChanged(base, compile(config({ timeout: { 5: "45s" } })), "p5");
    expectOnlyBlockChanged(base, compile(config({ timeout: { 50: "45s" } })), "p50");
  });

  it("a change outside the block is caught (the check can fail)", () => {
    const after = compile(config({ command: { 24: "echo changed" }, timeout: { 26: "45s" } }));
    const hunks = diff(base, after);
    const block = blocks(after).get("p24")!;
    const outside = hunks.filter((h) => h.new[0] > block[1] && !isHashLine(after.split("\n")[h.new[0] - 1]!));
    expect(outside.length).toBeGreaterThan(0);
  });
});
