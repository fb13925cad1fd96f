import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Fragment, Library, PrebuiltDefinition } from "../library/library.js";
import { parseFragment, parsePrebuilt } from "../library/parse-library.js";

/** The package root: two levels above this file, both in dist/cli/ and in compiler/cli/. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** Reads runtime/*.sh, stdlib/lib/*.sh (fragments) and stdlib/*.sh (prebuilts). */
export function loadLibrary(root: string = PACKAGE_ROOT): Library {
  const fragments = new Map<string, Fragment>();
  const prebuilts = new Map<string, PrebuiltDefinition>();
  const shellFiles = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".sh"))
      .sort();
  for (const file of shellFiles("runtime")) {
    const name = file.slice(0, -3);
    fragments.set(name, parseFragment(name, `runtime/${file}`, readFileSync(join(root, "runtime", file), "utf8")));
  }
  for (const file of safeList(() => shellFiles("stdlib/lib"))) {
    const name = `lib/${file.slice(0, -3)}`;
    fragments.set(name, parseFragment(name, `stdlib/lib/${file}`, readFileSync(join(root, "stdlib/lib", file), "utf8")));
  }
  for (const file of safeList(() => shellFiles("stdlib"))) {
    const prebuilt = parsePrebuilt(`stdlib/${file}`, readFileSync(join(root, "stdlib", file), "utf8"));
    if (prebuilts.has(prebuilt.name)) throw new Error(`stdlib/${file}: prebuilt ${prebuilt.name} is defined twice`);
    prebuilts.set(prebuilt.name, prebuilt);
  }
  return { fragments, prebuilts };
}

function safeList(list: () => string[]): string[] {
  try {
    return list();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
