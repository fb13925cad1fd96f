import { compareCodeUnits } from "../../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import type { Library, PrebuiltDefinition } from "../../library/library.js";
import { compileSource } from "../../pipeline.js";
import { type CliIo, ExitCode, useColor } from "../io.js";
import { loadLibrary, packageVersion } from "../load-library.js";
import { loadConfig, nodeHost } from "../node-host.js";

export interface PluginsOptions {
  readonly format?: string;
  /** A config whose `imports:` are listed too, and whose use of each prebuilt is shown. */
  readonly config?: string;
  /** Only the prebuilts the config's plugins use: what its runner has compiled in. */
  readonly used?: boolean;
}

/** The catalogue, and with a config, which of its plugins run each prebuilt. */
interface Catalogue {
  readonly library: Library;
  /** By prebuilt name, the plugins that run it, in declaration order; undefined without a config. */
  readonly usedBy: ReadonlyMap<string, readonly string[]> | undefined;
}

/**
 * `plugins [--format text|json] [--config FILE [--used]]`: the prebuilt catalogue, with each
 * plugin's parameters; with a config, its imported packs' prebuilts as well, and for each
 * prebuilt the config's plugins that run it (`used_by`; `--used`: only those, which are exactly
 * the prebuilts its runner has compiled in and `runner.sh list` names).
 */
export function pluginsCommand(io: CliIo, options: PluginsOptions): number {
  const format = options.format ?? "text";
  if (format !== "text" && format !== "json") {
    io.stderr.write(`hypothecary: plugins --format takes text or json, not ${format}\n`);
    return ExitCode.usage;
  }
  if (options.used && options.config === undefined) {
    io.stderr.write("hypothecary: plugins --used needs --config FILE: the config whose prebuilts to list\n");
    return ExitCode.usage;
  }
  const catalogue: Catalogue | undefined =
    options.config === undefined ? { library: loadLibrary(), usedBy: undefined } : configCatalogue(io, options.config);
  if (catalogue === undefined) return ExitCode.inputErrors;
  const { library, usedBy } = catalogue;
  const prebuilts = [...library.prebuilts.values()]
    .filter((p) => !options.used || (usedBy?.get(p.name) ?? []).length > 0)
    .sort((a, b) => compareCodeUnits(a.name, b.name));
  const users = (p: PrebuiltDefinition) => (usedBy === undefined ? undefined : usedBy.get(p.name) ?? []);
  io.stdout.write(
    format === "json"
      ? `${JSON.stringify(prebuilts.map((p) => catalogueEntry(p, users(p))), null, 2)}\n`
      : prebuilts.map((p) => describe(p, users(p))).join("\n"),
  );
  return ExitCode.ok;
}

function catalogueEntry(p: PrebuiltDefinition, usedBy: readonly string[] | undefined) {
  return {
    name: p.name,
    summary: p.summary,
    reports: p.reports,
    source: p.path,
    params: p.params.map(({ name, type, required, default: value, choices, description }) => ({
      name, type, required, default: value ?? null, choices: choices ?? null, description,
    })),
    /** With --config: the config's plugins that run this prebuilt (empty: not compiled in); else null. */
    used_by: usedBy ?? null,
  };
}

function describe(p: PrebuiltDefinition, usedBy: readonly string[] | undefined): string {
  const lines = [`${p.name} — ${p.summary}`, `  reports: ${p.reports}`];
  if (usedBy !== undefined && usedBy.length > 0) lines.push(`  used by: ${usedBy.join(", ")}`);
  for (const param of p.params) {
    const when = param.required ? "required" : `default ${param.default === "" ? '""' : param.default}`;
    const choices = param.choices ? `, one of ${param.choices.join("|")}` : "";
    lines.push(`  ${param.name} (${param.type}, ${when}${choices}): ${param.description}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The library a config compiles against and its use of it; the config must check. */
function configCatalogue(io: CliIo, path: string): Catalogue | undefined {
  const loaded = loadConfig(io.cwd, path);
  if ("error" in loaded) {
    io.stderr.write(`hypothecary: ${loaded.error}\n`);
    return undefined;
  }
  const library = loadLibrary();
  const result = compileSource(loaded.file, library, nodeHost(loaded.absolutePath, io.cwd), {
    compilerVersion: packageVersion(),
    emit: false,
  });
  if (result.diagnostics.length > 0) io.stderr.write(renderDiagnostics(result.diagnostics, { color: useColor(io) }));
  if (result.program === undefined || result.library === undefined) return undefined;
  const usedBy = new Map<string, string[]>();
  for (const plugin of result.program.plugins) {
    if (plugin.action.kind === "prebuilt") usedBy.set(plugin.action.prebuilt, [...(usedBy.get(plugin.action.prebuilt) ?? []), plugin.name]);
  }
  return { library: result.library, usedBy };
}
