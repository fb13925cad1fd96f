import { compareCodeUnits } from "../../diagnostics/diagnostic.js";
import type { PrebuiltDefinition } from "../../library/library.js";
import { type CliIo, ExitCode } from "../io.js";
import { loadLibrary } from "../load-library.js";

/** `plugins [--format text|json]`: the prebuilt catalogue, with each plugin's parameters. */
export function pluginsCommand(io: CliIo, options: { format?: string }): number {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json") {
    io.stderr.write(`hypothecary: plugins --format takes text or json, not ${format}\n`);
    return ExitCode.usage;
  }
  const prebuilts = [...loadLibrary().prebuilts.values()].sort((a, b) => compareCodeUnits(a.name, b.name));
  io.stdout.write(format === "json" ? `${JSON.stringify(prebuilts.map(catalogueEntry), null, 2)}\n` : prebuilts.map(describe).join("\n"));
  return ExitCode.ok;
}

function catalogueEntry(p: PrebuiltDefinition) {
  return {
    name: p.name,
    summary: p.summary,
    reports: p.reports,
    source: p.path,
    params: p.params.map(({ name, type, required, default: value, choices, description }) => ({
      name, type, required, default: value ?? null, choices: choices ?? null, description,
    })),
  };
}

function describe(p: PrebuiltDefinition): string {
  const lines = [`${p.name} — ${p.summary}`, `  reports: ${p.reports}`];
  for (const param of p.params) {
    const when = param.required ? "required" : `default ${param.default === "" ? '""' : param.default}`;
    const choices = param.choices ? `, one of ${param.choices.join("|")}` : "";
    lines.push(`  ${param.name} (${param.type}, ${when}${choices}): ${param.description}`);
  }
  return `${lines.join("\n")}\n`;
}
