import type { CheckedDocument } from "../frontend/config-document.js";
import type { Path } from "../frontend/document-tree.js";
import { encodeBlock, encodeString } from "../frontend/dsl/strings.js";
import { TERMINAL_CHILD_NAMES } from "../model/model.js";
import { isModelineComment } from "../schema/modeline.js";
import { commentPlaces, placeComments, type PlacedComments } from "./comments.js";
import { dslDuration, dslKey, dslName, dslNumber, dslParameter, dslText } from "./words.js";

type Data = Record<string, unknown>;

/** Text as a string, or as a `"""` block indented `depth` steps when it has several lines. */
function text(value: string, depth: number): string {
  return encodeBlock(value, "  ".repeat(depth)) ?? encodeString(value);
}

const TRIGGER_WORDS: Readonly<Record<string, string>> = {
  on_liveness_failure: "liveness failure",
  on_readiness_failure: "readiness failure",
  on_startup_failure: "startup failure",
  periodic: "periodic",
  manual: "manual",
};

/**
 * A checked config (from either form) as a .hyp runbook: service and probes first, then each
 * plugin with its clauses in a fixed order, so the output is stable enough to commit.
 */
export function printDsl(checked: CheckedDocument): string {
  return new DslPrinter(checked).print();
}

class DslPrinter {
  private readonly out: string[] = [];
  private readonly value: Data;
  private readonly comments: PlacedComments;

  constructor(private readonly checked: CheckedDocument) {
    this.value = checked.document.value as Data;
    // A yaml-language-server modeline means something to YAML editors only.
    const comments = checked.document.comments.filter((comment) => comment.trailing || !isModelineComment(comment.text));
    this.comments = placeComments(comments, commentPlaces(this.value), checked.document.tree);
  }

  print(): string {
    const v = this.value;
    // Sections are separated by a blank line; an empty one leaves none.
    const section = (lines: () => void): void => {
      const blank = this.out.length > 0;
      if (blank) this.out.push("");
      const before = this.out.length;
      lines();
      if (blank && this.out.length === before) this.out.pop();
    };
    section(() => {
      if (v["version"] !== undefined) this.line(0, `version ${this.number(["version"])}`, [["version"]]);
      if (v["service"] !== undefined) this.line(0, `service ${dslName(String(v["service"]))}`, [["service"]]);
    });
    section(() => {
      (this.list(v["imports"]) as string[]).forEach((spec, i) => this.line(0, `import ${encodeString(spec)}`, [["imports", i]]));
    });
    section(() => this.probes());
    section(() => this.report());
    (this.list(v["sinks"]) as Data[]).forEach((sink, i) => section(() => this.sink(sink, i)));
    (this.list(v["plugins"]) as { plugin: Data }[]).forEach((item, i) => section(() => this.plugin(item.plugin, i)));
    const trailer = [...this.pending, ...this.comments.trailer];
    if (trailer.length > 0) {
      if (this.out.length > 0) this.out.push("");
      for (const text of trailer) this.out.push(`#${text}`);
    }
    return this.out.length === 0 ? "" : `${this.out.join("\n")}\n`;
  }

  private probes(): void {
    const probes = (this.value["probes"] ?? {}) as Data;
    for (const [kind, raw] of Object.entries(probes)) {
      const at: Path = ["probes", kind];
      if (kind === "cooldown") {
        this.line(0, `cooldown ${this.duration(at)}`, [at]);
        continue;
      }
      const probe = raw as Data;
      const words = [`probe ${kind}`];
      if (probe["exec"] !== undefined) words.push(`exec ${text(String(probe["exec"]), 1)}`);
      for (const check of ["http", "tcp"]) {
        if (probe[check] !== undefined) words.push(check, ...this.settings(probe[check] as Data, [...at, check]));
      }
      if (probe["timeout"] !== undefined) words.push(`timeout ${this.duration([...at, "timeout"])}`);
      this.line(0, words.join(" "), [at]);
    }
  }

  private report(): void {
    const report = this.value["report"] as Data | undefined;
    if (report === undefined) return;
    const keys = Object.keys(report);
    this.line(0, ["report", ...this.settings(report, ["report"])].join(" "), keys.map((key) => ["report", key]));
  }

  private sink(sink: Data, index: number): void {
    const at: Path = ["sinks", index];
    this.line(0, `sink ${dslText(String(sink["type"]))}`, [at]);
    for (const key of Object.keys(sink)) {
      if (key === "type") continue;
      this.line(1, `${dslKey(key)} ${this.value_(sink[key], [...at, key])}`, [[...at, key]]);
    }
  }

  private plugin(plugin: Data, index: number): void {
    const at: Path = ["plugins", index, "plugin"];
    const head = [`plugin ${dslName(String(plugin["name"]))}`];
    if (plugin["type"] === "shell") head.push(`shell ${text(String(plugin["shell_command"]), 2)}`);
    if (plugin["type"] === "script") head.push(`script ${encodeString(String(plugin["path"]))}`);
    if (plugin["type"] === "prebuilt") head.push(plugin["prebuilt"] === undefined ? "prebuilt" : `prebuilt ${dslName(String(plugin["prebuilt"]))}`);
    this.line(0, head.join(" "), [["plugins", index]]);

    if (plugin["hypothesis"] !== undefined) this.line(1, `hypothesis ${text(String(plugin["hypothesis"]), 2)}`, [[...at, "hypothesis"]]);
    // `parallel: false` is the default; saying nothing says it.
    if (plugin["parallel"] !== undefined) {
      if (plugin["parallel"] === true) this.line(1, "parallel", [[...at, "parallel"]]);
      else this.carry([...at, "parallel"]);
    }
    const trigger = (plugin["trigger"] ?? {}) as Data;
    const t: Path = [...at, "trigger"];
    if (trigger["trigger_type"] !== undefined) {
      const types = [trigger["trigger_type"]].flat() as string[];
      this.line(1, `on ${types.map((type) => TRIGGER_WORDS[type] ?? type).join(", ")}`, [[...t, "trigger_type"]]);
    }
    if (trigger["trigger_interval"] !== undefined) this.line(1, `every ${this.duration([...t, "trigger_interval"])}`, [[...t, "trigger_interval"]]);
    if (trigger["trigger_timeout"] !== undefined) this.line(1, `timeout ${this.duration([...t, "trigger_timeout"])}`, [[...t, "trigger_timeout"]]);
    const params = (plugin["with"] ?? {}) as Data;
    for (const key of Object.keys(params)) {
      const p: Path = [...at, "with", key];
      this.line(1, `with ${dslParameter(key)} ${this.value_(params[key], p)}`, [p]);
    }
    (this.list(plugin["conditionals"]) as Data[]).forEach((conditional, j) => {
      const child = conditional["child_name"];
      const target =
        child === null || (TERMINAL_CHILD_NAMES as readonly unknown[]).includes(child) ? "stop" : dslName(String(child));
      this.line(1, `when ${String(conditional["response"])} -> ${target}`, [[...at, "conditionals", j]]);
    });
  }

  /** `key value` pairs on one line: `port 8080 path /ready`. */
  private settings(settings: Data, at: Path): string[] {
    return Object.entries(settings).map(([key, value]) => `${dslKey(key)} ${this.value_(value, [...at, key])}`);
  }

  private value_(value: unknown, at: Path): string {
    if (Array.isArray(value)) return `[${value.map((item, i) => this.value_(item, [...at, i])).join(", ")}]`;
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value).map(([key, item]) => `${dslKey(key)} = ${this.value_(item, [...at, key])}`);
      return `{ ${entries.join(", ")} }`;
    }
    if (typeof value === "number") return dslNumber(value, this.checked.document.tree.scalarText(at));
    if (typeof value === "boolean") return String(value);
    return dslText(String(value));
  }

  private number(at: Path): string {
    const raw = this.at(at);
    return dslNumber(Number(raw), this.checked.document.tree.scalarText(at));
  }

  private duration(at: Path): string {
    return dslDuration(this.at(at), this.checked.document.tree.scalarText(at));
  }

  private at(path: Path): unknown {
    let node: unknown = this.value;
    for (const segment of path) node = (node as Record<PropertyKey, unknown>)[segment];
    return node;
  }

  private list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
  }

  /** Comments of a part that is not printed go with the next line printed. */
  private pending: string[] = [];

  private carry(path: Path): void {
    this.pending.push(...this.comments.leading(path));
    const trailing = this.comments.trailing(path);
    if (trailing !== undefined) this.pending.push(trailing);
  }

  private line(depth: number, text: string, places: readonly Path[]): void {
    const indent = "  ".repeat(depth);
    for (const comment of [...this.pending, ...places.flatMap((place) => this.comments.leading(place))]) {
      this.out.push(`${indent}#${comment}`);
    }
    this.pending = [];
    const trailing = places.map((place) => this.comments.trailing(place)).filter((c): c is string => c !== undefined);
    this.out.push(trailing.length === 0 ? `${indent}${text}` : `${indent}${text}  #${trailing.join(" #")}`);
  }
}
