import { compareCodeUnits } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { Library, PrebuiltDefinition } from "../../library/library.js";
import { libraryOf } from "../../pipeline.js";
import { type CliIo, ExitCode, useColor } from "../io.js";
import { loadLibrary } from "../load-library.js";
import { loadConfig, nodeHost } from "../node-host.js";

export interface PluginsOptions {
  readonly format?: string;
  /** A config whose `imports:` are listed too. */
  readonly config?: string;
}

/**
 * `plugins [--format text|json] [--config FILE]`: the prebuilt catalogue, with each plugin's
 * parameters; with a config, its imported packs' prebuilts as well.
 */
export function pluginsCommand(io: CliIo, options: PluginsOptions): number {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json") {
    io.stderr.write(`hypothecary: plugins --format takes text or json, not ${format}\n`);
    return ExitCode.usage;
  }
  const library = options.config === undefined ? loadLibrary() : configLibrary(io, options.config);
  if (library === undefined) return ExitCode.inputErrors;
  const prebuilts = [...library.prebuilts.values()].sort((a, b) => compareCodeUnits(a.name, b.name));
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

function configLibrary(io: CliIo, path: string): Library | undefined {
  const loaded = loadConfig(io.cwd, path);
  if ("error" in loaded) {
    io.stderr.write(`hypothecary: ${loaded.error}\n`);
    return undefined;
  }
  const { library, diagnostics } = libraryOf(loaded.file, loadLibrary(), nodeHost(loaded.absolutePath, io.cwd));
  if (diagnostics.length > 0) io.stderr.write(renderDiagnostics(diagnostics, { color: useColor(io) }));
  return library;
}
