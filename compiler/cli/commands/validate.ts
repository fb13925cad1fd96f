import { githubAnnotations, githubData, validateReport } from "../../diagnostics/json.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { compileSource } from "../../pipeline.js";
import { type CliIo, ExitCode, useColor } from "../io.js";
import { loadLibrary, packageVersion } from "../load-library.js";
import { loadConfig, nodeHost } from "../node-host.js";

export interface ValidateOptions {
  readonly format?: string;
}

const FORMATS = ["text", "json", "github"] as const;

/**
 * `validate <config> [--format text|json|github]`. text: every diagnostic on stderr, and a
 * one-line confirmation on stdout when there are no errors. json: one document on stdout
 * (docs/spec-additions.md). github: workflow-command annotations on stdout. Exit status the same
 * for every format.
 */
export function validateCommand(io: CliIo, config: string, options: ValidateOptions = {}): number {
  const format = options.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    io.stderr.write(`hypothecary: validate --format takes text, json or github, not \`${format}\`\n`);
    return ExitCode.usage;
  }
  const loaded = loadConfig(io.cwd, config);
  if ("error" in loaded) {
    if (format === "json") io.stdout.write(`${JSON.stringify(validateReport(config, [], undefined, loaded.error), null, 2)}\n`);
    else if (format === "github") io.stdout.write(`::error title=hypothecary::${githubData(loaded.error)}\n`);
    else io.stderr.write(`hypothecary: ${loaded.error}\n`);
    return ExitCode.inputErrors;
  }
  const result = compileSource(loaded.file, loadLibrary(), nodeHost(loaded.absolutePath, io.cwd), {
    compilerVersion: packageVersion(),
    emit: false,
  });
  const count = result.program?.plugins.length;
  if (format === "json") {
    io.stdout.write(`${JSON.stringify(validateReport(loaded.file.path, result.diagnostics, count), null, 2)}\n`);
  } else if (format === "github") {
    io.stdout.write(githubAnnotations(result.diagnostics));
  } else {
    if (result.diagnostics.length > 0) io.stderr.write(renderDiagnostics(result.diagnostics, { color: useColor(io) }));
    if (count !== undefined) io.stdout.write(`${config}: ok, ${count} plugin${count === 1 ? "" : "s"}\n`);
  }
  return count === undefined ? ExitCode.inputErrors : ExitCode.ok;
}
