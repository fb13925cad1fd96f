import { linkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, relative, resolve, sep } from "node:path";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { formOf, type ConfigForm } from "../../frontend/parse-config.js";
import { buildStarter, type StarterProbe } from "../../init/starter.js";
import { compileSource } from "../../pipeline.js";
import { INSTALLED_SCHEMA_FILE, modeline as schemaModeline } from "../../schema/modeline.js";
import { SourceFile } from "../../source/source-file.js";
import { type CliIo, ExitCode, useColor } from "../io.js";
import { loadLibrary, packageVersion } from "../load-library.js";
import { nodeHost } from "../node-host.js";

export interface InitOptions {
  readonly output?: string;
  readonly service?: string;
  readonly probeCommand?: string;
  readonly probeHttpPort?: string;
  readonly probePath?: string;
  readonly probeTcpPort?: string;
  readonly prebuilts?: string;
  readonly with?: readonly string[];
  readonly format?: string;
  readonly force?: boolean;
}

/**
 * `init [-o FILE] [--service NAME] [--probe-command CMD | --probe-http-port N [--probe-path P] |
 * --probe-tcp-port N] [--prebuilts A,B] [--with PREBUILT.PARAM=VALUE]... [--format yaml|hyp]
 * [--force]`: a commented starter config that validates, compiles and runs as written. FILE
 * (default hypothecary.yaml, or .hyp) is never overwritten without --force; `-o -` is stdout.
 */
export function initCommand(io: CliIo, options: InitOptions): number {
  const usage = (message: string): number => {
    io.stderr.write(`hypothecary: init: ${message}\n`);
    return ExitCode.usage;
  };
  if (options.format !== undefined && options.format !== "yaml" && options.format !== "hyp") {
    return usage(`--format takes yaml or hyp, not \`${options.format}\``);
  }
  const toStdout = options.output === "-";
  const fileForm = options.output !== undefined && !toStdout ? formOf(options.output) : undefined;
  const form: ConfigForm = (options.format as ConfigForm | undefined) ?? fileForm ?? "yaml";
  if (fileForm !== undefined && fileForm !== form) {
    return usage(`${options.output} would be read as ${fileForm === "hyp" ? "the DSL" : "YAML"}; name it ${form === "hyp" ? "*.hyp" : "*.yaml"} or drop --format`);
  }
  const probe = probeOf(options);
  if (typeof probe === "string") return usage(probe);
  const service = options.service ?? defaultService(io.cwd);
  if (service.trim() === "") return usage("--service must not be empty");

  const library = loadLibrary();
  const starter = buildStarter(
    {
      service,
      probe,
      prebuilts: options.prebuilts?.split(",").map((name) => name.trim()).filter((name) => name !== ""),
      with: options.with ?? [],
    },
    library,
  );
  if (starter.kind === "error") {
    for (const error of starter.errors) io.stderr.write(`hypothecary: init: ${error}\n`);
    return ExitCode.usage;
  }

  const output = toStdout ? undefined : options.output ?? `hypothecary.${form}`;
  const target = output === undefined ? undefined : resolve(io.cwd, output);
  const modeline = schemaModeline(
    target === undefined ? INSTALLED_SCHEMA_FILE : relative(dirname(target), resolve(io.cwd, INSTALLED_SCHEMA_FILE)).split(sep).join("/"),
  );
  const text = form === "hyp" ? starter.hyp : `${modeline}\n${starter.yaml}`;

  // What init writes must validate: a --with value of the wrong type is caught here, not later.
  const shown = output ?? `hypothecary.${form}`;
  const result = compileSource(new SourceFile(shown, text), library, nodeHost(target ?? resolve(io.cwd, shown), io.cwd), {
    compilerVersion: packageVersion(),
    emit: false,
  });
  if (result.program === undefined) {
    io.stderr.write(renderDiagnostics(result.diagnostics, { color: useColor(io) }));
    io.stderr.write("hypothecary: init: the starter config would not validate (see above: a --with value?); nothing written\n");
    return ExitCode.inputErrors;
  }

  if (target === undefined) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  const written = writeNew(target, text, options.force === true);
  if (written !== undefined) {
    io.stderr.write(`hypothecary: init: ${written === "exists" ? `${output} exists; give --force to replace it, or -o another file` : `cannot write ${output}: ${written}`}\n`);
    return ExitCode.inputErrors;
  }
  const names = starter.plugins.map((p) => p.name).join(", ");
  io.stdout.write(`wrote ${output}: service ${service}, ${starter.plugins.length} plugin${starter.plugins.length === 1 ? "" : "s"} (${names})\nnext: npx hypothecary validate ${output} && npx hypothecary compile ${output} -o runner.sh\n`);
  return ExitCode.ok;
}

function probeOf(options: InitOptions): StarterProbe | undefined | string {
  const given = [
    options.probeCommand !== undefined && "--probe-command",
    options.probeHttpPort !== undefined && "--probe-http-port",
    options.probeTcpPort !== undefined && "--probe-tcp-port",
  ].filter((flag): flag is string => flag !== false);
  if (given.length > 1) return `give one probe: ${given.join(" or ")}, not both`;
  if (options.probePath !== undefined && options.probeHttpPort === undefined) return "--probe-path goes with --probe-http-port";
  if (options.probeCommand !== undefined) {
    if (options.probeCommand.trim() === "") return "--probe-command must not be empty";
    return { kind: "exec", command: options.probeCommand };
  }
  const port = (flag: string, text: string): number | string => {
    const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    return n >= 1 && n <= 65535 ? n : `${flag} takes a port number from 1 to 65535, not \`${text}\``;
  };
  if (options.probeHttpPort !== undefined) {
    const n = port("--probe-http-port", options.probeHttpPort);
    if (typeof n === "string") return n;
    const path = options.probePath ?? "/healthz";
    if (!path.startsWith("/")) return `--probe-path must start with /, e.g. /healthz, not \`${path}\``;
    return { kind: "http", port: n, path };
  }
  if (options.probeTcpPort !== undefined) {
    const n = port("--probe-tcp-port", options.probeTcpPort);
    return typeof n === "string" ? n : { kind: "tcp", port: n };
  }
  return undefined;
}

/** The working folder's name, as npm init does; plugin-name characters only. */
function defaultService(cwd: string): string {
  const name = basename(cwd).replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "");
  return name === "" ? "my-service" : name;
}

/**
 * Writes TEXT to a new file beside TARGET and moves it into place: with `force` by rename (a
 * reader never sees half of it), else by link, which fails when TARGET exists, so an existing
 * file is never replaced, even by a race. Returns why it failed, or "exists".
 */
function writeNew(target: string, text: string, force: boolean): string | undefined {
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o644 });
    if (force) renameSync(temporary, target);
    else linkOrCreate(temporary, target, text);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "EEXIST" ? "exists" : (error as Error).message;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** A link where the filesystem has them; elsewhere an exclusive create, which never replaces either. */
function linkOrCreate(temporary: string, target: string, text: string): void {
  try {
    linkSync(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
    writeFileSync(target, text, { mode: 0o644, flag: "wx" });
  }
}
