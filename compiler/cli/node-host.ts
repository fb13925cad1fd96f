import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { CompilerHost, PluginPack } from "../check/host.js";
import { compareCodeUnits } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../source/source-file.js";

/** Reads the files a config names, relative to the config's own folder. */
export function nodeHost(configAbsolutePath: string, cwd: string): CompilerHost {
  const base = dirname(configAbsolutePath);
  return {
    readPack(spec: string): PluginPack | string {
      const folder = packFolder(spec, base, configAbsolutePath);
      if (!folder.startsWith("/")) return folder;
      return readPackFolder(folder, relative(cwd, folder).split(sep).join("/") || ".");
    },
    readRelative(path: string): Uint8Array | undefined {
      try {
        return readFileSync(isAbsolute(path) ? path : resolve(base, path));
      } catch {
        return undefined;
      }
    },
  };
}

export interface LoadedConfig {
  readonly file: SourceFile;
  readonly absolutePath: string;
}

/**
 * Reads a config. Its display path is relative to the working directory, with `/` separators,
 * so diagnostics and the runner header never carry an absolute path.
 */
export function loadConfig(cwd: string, path: string): LoadedConfig | { error: string } {
  const absolutePath = resolve(cwd, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(code ?? error);
    return { error: `cannot read ${path}: ${why}` };
  }
  const display = relative(cwd, absolutePath).split(sep).join("/") || path;
  return { file: new SourceFile(display, bytes.toString("utf8")), absolutePath };
}

/**
 * Where an import's files are: `./x`, `../x` and absolute paths are folders (relative to the
 * config); anything else is an npm package, resolved from the config's folder as `import` would,
 * whose package.json may point at a subfolder with `"hypothecary": { "plugins": "dir" }`.
 * Returns the absolute folder, or why there is none.
 */
function packFolder(spec: string, base: string, configAbsolutePath: string): string {
  if (spec.startsWith("./") || spec.startsWith("../") || isAbsolute(spec)) {
    const folder = resolve(base, spec);
    try {
      return statSync(folder).isDirectory() ? folder : "it is a file, not a folder of plugins";
    } catch {
      return "no such folder";
    }
  }
  let manifestPath: string;
  try {
    manifestPath = createRequire(configAbsolutePath).resolve(`${spec}/package.json`);
  } catch {
    return "no such folder, and no npm package of that name is installed (folders start with ./ or ../)";
  }
  const root = dirname(manifestPath);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { hypothecary?: { plugins?: unknown } };
    const plugins = manifest.hypothecary?.plugins;
    if (plugins === undefined) return root;
    if (typeof plugins !== "string") return `its package.json's "hypothecary.plugins" is not a folder name`;
    return resolve(root, plugins);
  } catch (error) {
    return `cannot read its package.json: ${(error as Error).message}`;
  }
}

/** A pack's prebuilts (`*.sh`) and helpers (`lib/*.sh`); other files are the pack's business. */
function readPackFolder(folder: string, displayPath: string): PluginPack | string {
  const files: { path: string; bytes: Uint8Array }[] = [];
  const shellFiles = (dir: string): string[] => {
    try {
      return readdirSync(join(folder, dir), { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".sh"))
        .map((entry) => (dir === "" ? entry.name : `${dir}/${entry.name}`));
    } catch {
      return [];
    }
  };
  try {
    for (const path of [...shellFiles(""), ...shellFiles("lib")].sort(compareCodeUnits)) {
      files.push({ path, bytes: new Uint8Array(readFileSync(join(folder, path))) });
    }
  } catch (error) {
    return `cannot read ${displayPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  return { displayPath, files };
}
