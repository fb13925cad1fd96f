import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { Located, PluginAction } from "../model/model.js";
import type { SourceFile } from "../source/source-file.js";
import type { CompilerHost } from "./host.js";

type ScriptAction = Extract<PluginAction, { kind: "script" }>;

/**
 * A `type: script` plugin's file is inlined into the runner at compile time, so it must exist
 * now and be text the runner can carry (UTF-8, no NUL). Returns the action and the bytes that
 * go into the config hash.
 */
export function readScript(
  path: Located<string>,
  host: CompilerHost,
  file: SourceFile,
  bag: DiagnosticBag,
): { readonly action: ScriptAction; readonly bytes: Uint8Array } | undefined {
  const bytes = host.readRelative(path.value);
  if (bytes === undefined) {
    bag.error(Codes.ScriptNotFound, file, path.span, `cannot read script \`${path.value}\``, {
      help: "the path is relative to the config's folder; the script is inlined when the runner is compiled",
    });
    return undefined;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    bag.error(Codes.ScriptNotText, file, path.span, `script \`${path.value}\` is not text: it has a NUL byte at offset ${nul}`, {
      help: "only text scripts can be inlined into the runner",
    });
    return undefined;
  }
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    bag.error(Codes.ScriptNotText, file, path.span, `script \`${path.value}\` is not valid UTF-8 text`, {
      help: "save the script as UTF-8",
    });
    return undefined;
  }
  return { action: { kind: "script", path: path.value, content, interpreter: interpreterOf(content) }, bytes };
}

/**
 * The program a script runs under, from its `#!` line, split the way Linux does: the program,
 * then everything after it as at most one argument (`#!/usr/bin/env python3`,
 * `#!/bin/sh -e`). A script without one runs under `sh`.
 */
export function interpreterOf(content: string): string[] {
  const text = content.startsWith("\uFEFF") ? content.slice(1) : content;
  if (!text.startsWith("#!")) return ["sh"];
  const end = text.indexOf("\n");
  const line = (end < 0 ? text.slice(2) : text.slice(2, end)).replace(/\r$/, "").trim();
  if (line === "") return ["sh"];
  const space = line.search(/[ \t]/);
  if (space < 0) return [line];
  const argument = line.slice(space).trim();
  return argument === "" ? [line.slice(0, space)] : [line.slice(0, space), argument];
}
