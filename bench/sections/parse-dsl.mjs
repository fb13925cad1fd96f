// Parse time of a large .hyp file against the same config in YAML (issue 5, item 3): in one
// process, after warm-up runs, `readDslDocument` (lex + parse + the data tree the schema reads)
// against `readYamlDocument` on a fresh SourceFile; then `validate` of each as a cold CLI process.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CLI, fmtStats, ROOT, stats, table, timeProcess } from "../lib/common.mjs";
import { hypText } from "../lib/generate.mjs";

export const PARSE_TARGET_MS = 500;

export async function parseDslSection({ dir, plugins = 5000, runs, warmup, cliRuns }) {
  const DIST = join(ROOT, "dist");
  const { readDslDocument } = await import(join(DIST, "frontend/dsl/parse-dsl.js"));
  const { readYamlDocument } = await import(join(DIST, "frontend/yaml/parse-yaml.js"));
  const { SourceFile } = await import(join(DIST, "source/source-file.js"));
  const { DiagnosticBag } = await import(join(DIST, "diagnostics/diagnostic.js"));

  const hypPath = join(dir, "parse.hyp");
  const yamlPath = join(dir, "parse.yaml");
  const hyp = hypText(plugins);
  writeFileSync(hypPath, hyp);
  const converted = spawnSync(process.execPath, [CLI, "convert", hypPath, "-o", yamlPath], { encoding: "utf8" });
  if (converted.status !== 0) throw new Error(`convert failed:\n${converted.stdout}${converted.stderr}`);
  const yaml = readFileSync(yamlPath, "utf8");

  const timeParse = (read, path, text) => {
    const once = () => {
      const bag = new DiagnosticBag();
      const start = performance.now();
      const document = read(new SourceFile(path, text), bag);
      const ms = performance.now() - start;
      if (document === undefined || bag.hasErrors) throw new Error(`${path} did not parse cleanly`);
      return ms;
    };
    for (let i = 0; i < warmup; i++) once();
    return stats(Array.from({ length: runs }, once));
  };
  const timeValidate = (path) => {
    const once = () => timeProcess(process.execPath, [CLI, "validate", path]).ms;
    once();
    return stats(Array.from({ length: cliRuns }, once));
  };
  const hypParse = timeParse(readDslDocument, hypPath, hyp);
  const yamlParse = timeParse(readYamlDocument, yamlPath, yaml);
  const kib = (text) => `${Math.round(Buffer.byteLength(text) / 1024).toLocaleString("en")} KiB`;
  const body = [
    `A generated ${plugins.toLocaleString("en")}-plugin \`.hyp\` runbook (shell plugins chained by conditionals, ` +
      `HTTP/TCP/AWS-STS prebuilts with parameters, triggers, hypotheses) and the same config converted to ` +
      `YAML by the CLI. Parse: in one process, ${runs} runs after ${warmup} warm-up runs. Validate: ` +
      `${cliRuns} cold CLI processes. Median (p10-p90).`,
    "",
    table(
      [`${plugins.toLocaleString("en")} plugins`, "size", "time", "ratio to the .hyp"],
      [
        ["parse `.hyp` (lex + parse + tree)", kib(hyp), fmtStats(hypParse), "1.00x"],
        ["parse the same config as YAML", kib(yaml), fmtStats(yamlParse), `${(yamlParse.median / hypParse.median).toFixed(2)}x`],
        ...(cliRuns > 0
          ? (() => {
              const v = timeValidate(hypPath);
              const y = timeValidate(yamlPath);
              return [
                ["`validate` `.hyp`, cold CLI", "", fmtStats(v), `${(v.median / hypParse.median).toFixed(2)}x`],
                ["`validate` YAML, cold CLI", "", fmtStats(y), `${(y.median / hypParse.median).toFixed(2)}x`],
              ];
            })()
          : []),
      ],
    ),
  ].join("\n");
  return {
    title: "Parsing the DSL",
    body,
    targets: [
      {
        name: `parse of a ${plugins.toLocaleString("en")}-plugin .hyp`,
        value: `${hypParse.median.toFixed(0)} ms`,
        limit: `< ${PARSE_TARGET_MS} ms`,
        met: hypParse.median < PARSE_TARGET_MS,
      },
    ],
    summary: `.hyp ${hypParse.median.toFixed(0)} ms, YAML ${yamlParse.median.toFixed(0)} ms`,
  };
}
