import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { Fragment, Library, PrebuiltDefinition } from "../library/library.js";
import { ManifestError, parseFragment, parsePrebuilt } from "../library/parse-library.js";
import type { ConfigModel, Located } from "../model/model.js";
import { SourceFile } from "../source/source-file.js";
import type { CompilerHost, PluginPack } from "./host.js";
import { normaliseParam } from "./params.js";

export interface LinkedLibrary {
  /** The stdlib with every imported prebuilt and helper added. */
  readonly library: Library;
  /** The packs' files, in import order, for the config hash. */
  readonly imported: readonly Uint8Array[];
}

/**
 * `imports:` — plugin packs. Each pack's `*.sh` files are prebuilts and its `lib/*.sh` files
 * their helpers, with the same manifest headers as stdlib/; they are checked here and then
 * compiled exactly like the stdlib's. A pack's helpers are its own: `# requires: lib/x` in a
 * pack finds the pack's lib/x.sh first, then the stdlib's, so two packs may both have a
 * lib/util.sh. In the runner a pack file is named by the import as written plus its path in the
 * pack (`./packs/acme/heartbeat.sh`), which does not depend on where the compiler runs.
 */
export function linkImports(config: ConfigModel, stdlib: Library, host: CompilerHost, bag: DiagnosticBag): LinkedLibrary {
  const fragments = new Map(stdlib.fragments);
  const prebuilts = new Map(stdlib.prebuilts);
  const imported: Uint8Array[] = [];
  const seen = new Map<string, Located<string>>();
  for (const entry of config.imports) {
    const first = seen.get(entry.value);
    if (first) {
      bag.error(Codes.PackNotFound, config.file, entry.span, `\`${entry.value}\` is imported twice`, {
        notes: [{ message: "first imported here", file: config.file, span: first.span }],
      });
      continue;
    }
    seen.set(entry.value, entry);
    const pack = host.readPack(entry.value);
    if (typeof pack === "string") {
      bag.error(Codes.PackNotFound, config.file, entry.span, `cannot import \`${entry.value}\`: ${pack}`, {
        help: "an import is a folder relative to this config (`./packs/acme`) or an installed npm package",
      });
      continue;
    }
    new PackLinker(config, entry, pack, fragments, prebuilts, bag).link();
    for (const file of pack.files) imported.push(file.bytes);
  }
  return { library: { fragments, prebuilts }, imported };
}

class PackLinker {
  private readonly sources = new Map<string, SourceFile>();

  constructor(
    private readonly config: ConfigModel,
    private readonly entry: Located<string>,
    private readonly pack: PluginPack,
    private readonly fragments: Map<string, Fragment>,
    private readonly prebuilts: Map<string, PrebuiltDefinition>,
    private readonly bag: DiagnosticBag,
  ) {}

  link(): void {
    const helpers = this.pack.files.filter((f) => /^lib\/[^/]+\.sh$/.test(f.path));
    const plugins = this.pack.files.filter((f) => /^[^/]+\.sh$/.test(f.path));
    if (plugins.length === 0) {
      this.bag.error(Codes.PackNotFound, this.config.file, this.entry.span, `\`${this.entry.value}\` holds no prebuilt: no *.sh file at its top`, {
        help: `a pack is a folder of prebuilt plugins (NAME.sh with a \`# hypothecary prebuilt:\` header) and lib/*.sh helpers`,
      });
      return;
    }
    // Helpers first, so the prebuilts' `requires` can be resolved against them.
    const own = new Set(helpers.map((f) => f.path.slice(0, -3)));
    const local = (name: string) => (own.has(name) ? `${this.entry.value}/${name}` : name);
    const added: Fragment[] = [];
    for (const file of helpers) {
      const name = file.path.slice(0, -3);
      const fragment = this.parse(file.path, (path, text) => parseFragment(name, path, text));
      if (!fragment) continue;
      const linked = { ...fragment, name: local(name), requires: fragment.requires.map(local) };
      this.fragments.set(linked.name, linked);
      added.push(linked);
    }
    for (const fragment of added) this.checkRequires(fragment.path, fragment.requires);

    for (const file of plugins) {
      const parsed = this.parse(file.path, parsePrebuilt);
      if (!parsed) continue;
      const prebuilt = { ...parsed, requires: parsed.requires.map(local) };
      if (this.clashes(file.path, prebuilt)) continue;
      // Both checks run, so one compile shows every problem; a prebuilt with any is left out.
      const resolved = this.checkRequires(prebuilt.path, prebuilt.requires);
      if (this.checkDefaults(file.path, prebuilt) && resolved) this.prebuilts.set(prebuilt.name, prebuilt);
    }
  }

  /** Parses one pack file; a bad manifest is reported at its line, with the import as a note. */
  private parse<T>(path: string, parse: (runnerPath: string, text: string) => T): T | undefined {
    try {
      return parse(`${this.entry.value}/${path}`, this.source(path).text);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      this.report(path, error.line, error.reason);
      return undefined;
    }
  }

  private clashes(path: string, prebuilt: PrebuiltDefinition): boolean {
    const nameLine = this.lineOf(path, /^#\s*hypothecary prebuilt:/);
    const existing = this.prebuilts.get(prebuilt.name);
    if (existing) {
      this.report(path, nameLine, `prebuilt \`${prebuilt.name}\` is already defined by ${existing.path}`, "rename it in its `# hypothecary prebuilt:` line");
      return true;
    }
    const sameFunction = [...this.prebuilts.values()].find((p) => p.functionName === prebuilt.functionName);
    if (sameFunction) {
      this.report(
        path,
        this.lineOf(path, /^#\s*function:/),
        `function \`${prebuilt.functionName}\` is already the function of prebuilt ${sameFunction.name} (${sameFunction.path})`,
        "give it a name of its own: the runner defines every prebuilt's function side by side",
      );
      return true;
    }
    return false;
  }

  /** True when every name in `requires` is a fragment; reports the others. */
  private checkRequires(runnerPath: string, requires: readonly string[]): boolean {
    const path = runnerPath.slice(this.entry.value.length + 1);
    let ok = true;
    for (const name of requires) {
      if (this.fragments.has(name)) continue;
      ok = false;
      const shown = name.startsWith(`${this.entry.value}/`) ? name.slice(this.entry.value.length + 1) : name;
      this.report(
        path,
        this.lineOf(path, /^#\s*requires:/),
        `requires \`${shown}\`, which is neither in this pack (lib/${shown.replace(/^lib\//, "")}.sh) nor a runtime or stdlib helper`,
        "`plugin-api` and `lib/net` are the helpers packs usually need",
      );
    }
    return ok;
  }

  /**
   * True when every default fits its parameter's type. One that does not would fail every
   * config that uses the prebuilt.
   */
  private checkDefaults(path: string, prebuilt: PrebuiltDefinition): boolean {
    let ok = true;
    for (const spec of prebuilt.params) {
      if (spec.default === undefined || spec.default === "") continue; // "" is "not set"
      const result = normaliseParam(spec, spec.default);
      if (result.ok) continue;
      ok = false;
      const line = this.lineOf(path, new RegExp(`^#\\s*param\\s+${spec.name}\\s*:`));
      this.report(path, line, `the default of parameter \`${spec.name}\` is invalid: ${result.message}`);
    }
    return ok;
  }

  private report(path: string, line: number, message: string, help?: string): void {
    const file = this.source(path);
    this.bag.error(Codes.BadPackPlugin, file, file.lineSpan(line), message, {
      notes: [{ message: `imported by ${this.config.file.path}`, file: this.config.file, span: this.entry.span }],
      ...(help === undefined ? {} : { help }),
    });
  }

  private lineOf(path: string, pattern: RegExp): number {
    const index = this.source(path).text.split("\n").findIndex((line) => pattern.test(line));
    return index < 0 ? 1 : index + 1;
  }

  private source(path: string): SourceFile {
    let file = this.sources.get(path);
    if (!file) {
      const bytes = this.pack.files.find((f) => f.path === path)!.bytes;
      file = new SourceFile(`${this.pack.displayPath}/${path}`, new TextDecoder().decode(bytes));
      this.sources.set(path, file);
    }
    return file;
  }
}
