import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { check } from "../../../compiler/check/check.js";
import type { CompilerHost } from "../../../compiler/check/host.js";
import { DiagnosticBag, type Diagnostic } from "../../../compiler/diagnostics/diagnostic.js";
import { inSourceWords, parseConfig } from "../../../compiler/frontend/parse-config.js";
import type { Library } from "../../../compiler/library/library.js";
import type { ConfigModel, Program } from "../../../compiler/model/model.js";
import { SourceFile } from "../../../compiler/source/source-file.js";
import { testLibrary } from "./test-library.js";

export interface Checked {
  readonly config: ConfigModel | undefined;
  readonly program: Program | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Front end then check, as the CLI runs them, on text in memory. */
export function checkText(
  path: string,
  text: string,
  options: { readonly host?: CompilerHost; readonly library?: Library } = {},
): Checked {
  const bag = new DiagnosticBag();
  const file = new SourceFile(path, text);
  const config = parseConfig(file, bag);
  const program = config && check(config, options.library ?? testLibrary(), options.host ?? noFiles, bag);
  return { config, program, diagnostics: inSourceWords(bag.sorted()) };
}

/**
 * A fixture from the repository, read the way the CLI reads a config (bytes decoded leniently)
 * and shown under its repository-relative path, so golden files do not depend on the machine.
 */
export function checkFixture(repoRelativePath: string, options: { readonly library?: Library } = {}): Checked {
  const text = readFileSync(repoRelativePath).toString("utf8");
  return checkText(repoRelativePath, text, { host: folderHost(dirname(repoRelativePath)), ...options });
}

export const noFiles: CompilerHost = { readRelative: () => undefined, readPack: () => "no such folder" };

export function folderHost(folder: string): CompilerHost {
  return {
    readPack: () => "no such folder",
    readRelative(path) {
      try {
        return new Uint8Array(readFileSync(join(folder, path)));
      } catch {
        return undefined;
      }
    },
  };
}

export function mapHost(files: Readonly<Record<string, string | Uint8Array>>): CompilerHost {
  return {
    readPack: () => "no such folder",
    readRelative(path) {
      const content = files[path];
      if (content === undefined) return undefined;
      return typeof content === "string" ? new TextEncoder().encode(content) : content;
    },
  };
}
