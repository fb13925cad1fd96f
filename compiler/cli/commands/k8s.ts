import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { buildK8s, HEADER_MARKER, K8S_FILES, type K8sFile, type K8sOptions } from "../../k8s/k8s.js";
import { compileConfigFile } from "../compile-config.js";
import { type CliIo, ExitCode } from "../io.js";
import { packageVersion } from "../load-library.js";

export interface K8sCommandOptions extends K8sOptions {
  readonly output: string;
}

/**
 * `k8s <config> -o DIR [--name N] [--namespace NS] [--container C] [--mount PATH] [--image I]
 * [--periodic cronjob|sidecar]`: a kustomize component (docs/k8s.md). The files are written to a
 * new folder beside DIR and renamed into place, so DIR is never half-written; an existing DIR is
 * replaced only when it is empty or holds a previous `k8s` output and nothing else.
 */
export function k8sCommand(io: CliIo, config: string, options: K8sCommandOptions): number {
  const result = compileConfigFile(io, config);
  if (!result?.runner || !result.program) return ExitCode.inputErrors;

  const built = buildK8s({
    program: result.program,
    runner: result.runner,
    compilerVersion: packageVersion(),
    options: {
      name: options.name,
      namespace: options.namespace,
      container: options.container,
      mount: options.mount,
      image: options.image,
      periodic: options.periodic,
    },
  });
  if (built.kind !== "ok") {
    for (const error of built.errors) io.stderr.write(`hypothecary: k8s: ${error}\n`);
    return built.kind === "usage" ? ExitCode.usage : ExitCode.inputErrors;
  }

  const target = resolve(io.cwd, options.output);
  const refusal = checkTarget(target, options.output);
  if (refusal) {
    io.stderr.write(`hypothecary: k8s: ${refusal}\n`);
    return ExitCode.inputErrors;
  }
  try {
    replaceFolder(target, built.files);
  } catch (error) {
    io.stderr.write(`hypothecary: k8s: cannot write ${options.output}: ${writeError(error as NodeJS.ErrnoException)}\n`);
    return ExitCode.inputErrors;
  }
  for (const warning of built.warnings) io.stderr.write(`hypothecary: k8s: warning: ${warning}\n`);
  io.stdout.write(`wrote ${options.output}:\n${built.summary.map((line) => `  ${line}\n`).join("")}`);
  return ExitCode.ok;
}

/** Why DIR must not be replaced, or undefined when it is absent, empty or a previous output. */
function checkTarget(target: string, shown: string): string | undefined {
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return `${shown} exists and is not a folder`;
  const entries = readdirSync(target).sort();
  if (entries.length === 0) return undefined;
  const known = new Set<string>(K8S_FILES);
  const strangers = entries.filter((e) => !known.has(e));
  let ours = false;
  try {
    ours = readFileSync(join(target, "kustomization.yaml"), "utf8").startsWith(HEADER_MARKER);
  } catch {
    ours = false;
  }
  if (strangers.length === 0 && ours) return undefined;
  const why = !ours ? "its kustomization.yaml was not written by hypothecary k8s" : `it also holds ${strangers.join(", ")}`;
  return `${shown} is not empty and not a previous hypothecary k8s output (${why}); give a new or empty folder`;
}

/**
 * Writes FILES into a new folder beside TARGET, then swaps it in: rename the old folder away,
 * rename the new one into place, remove the old. At every moment TARGET is the old output, the
 * new one, or (for an instant) absent; never a mix.
 */
function replaceFolder(target: string, files: readonly K8sFile[]): void {
  const parent = dirname(target);
  const staging = join(parent, `.${basename(target)}.${process.pid}.tmp`);
  const retired = join(parent, `.${basename(target)}.${process.pid}.old`);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging);
    for (const file of files) writeFileSync(join(staging, file.name), file.text, { mode: 0o644 });
    if (existsSync(target)) {
      renameSync(target, retired);
      try {
        renameSync(staging, target);
      } catch (error) {
        renameSync(retired, target);
        throw error;
      }
      rmSync(retired, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Why writing failed, in words, without the staging folder's absolute path. */
function writeError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "ENOENT: its parent folder does not exist";
    case "ENOTDIR":
      return "ENOTDIR: a part of its path is not a folder";
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return `${error.code}: its parent folder is not writable`;
    default:
      return error.message.split(",")[0]!;
  }
}
