import { Document } from "yaml";
import { printDsl } from "../convert/print-dsl.js";
import { commentTarget, printYaml } from "../convert/print-yaml.js";
import { compareCodeUnits, DiagnosticBag } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import { checkDocument } from "../frontend/config-document.js";
import type { Path } from "../frontend/document-tree.js";
import { readYamlDocument } from "../frontend/yaml/parse-yaml.js";
import type { Library, ParamSpec, PrebuiltDefinition } from "../library/library.js";
import { SourceFile } from "../source/source-file.js";

/** The real check the starter's liveness probe runs. */
export type StarterProbe =
  | { readonly kind: "exec"; readonly command: string }
  | { readonly kind: "http"; readonly port: number; readonly path: string }
  | { readonly kind: "tcp"; readonly port: number };

export interface StarterOptions {
  readonly service: string;
  readonly probe: StarterProbe | undefined;
  /** Prebuilt names as the user gave them (any case); undefined: the default choice. */
  readonly prebuilts: readonly string[] | undefined;
  /** `--with PREBUILT.PARAM=VALUE`, in the order given. */
  readonly with: readonly string[];
}

export type Starter =
  | {
      readonly kind: "ok";
      /** The config in YAML, without the schema modeline (the CLI adds it: it knows the path). */
      readonly yaml: string;
      /** The same config in the DSL: what `convert` makes of `yaml`. */
      readonly hyp: string;
      readonly plugins: readonly { readonly name: string; readonly prebuilt: string }[];
    }
  | { readonly kind: "error"; readonly errors: readonly string[] };

/** What each stdlib prebuilt tests, in words, for the plugin's `hypothesis:`. */
const HYPOTHESES: Readonly<Record<string, string>> = {
  "AWS-STS": "this pod cannot authenticate to AWS (credentials, network path or AWS itself)",
  "CGROUP-MEMORY": "the container is close to its memory limit, or the OOM killer struck",
  "CLOCK-SKEW": "the pod's clock is off, so signatures and tokens are rejected",
  "CPU-THROTTLING": "the CPU quota throttles the container",
  DISK: "the disk is (nearly) full",
  DNS: "the cluster's DNS does not resolve names",
  EGRESS: "the pod cannot reach the outside (proxy or network policy)",
  "FILE-DESCRIPTORS": "the application is running out of file descriptors",
  HTTP: "the service does not answer its health endpoint",
  "K8S-API": "the pod cannot talk to the Kubernetes API with its service account",
  PROCESS: "the application's process is not running",
  TCP: "nothing accepts connections on the service's port",
  "TLS-CERT": "the TLS certificate has expired, expires soon, or is for another name",
};

/** Prebuilts that need one of several parameters; the manifest marks none of them required. */
const NEEDS_ONE_OF: Readonly<Record<string, readonly string[]>> = {
  "TLS-CERT": ["host", "file"],
  PROCESS: ["name", "pattern", "pid_file"],
};

/** A parameter init fills in from what it knows, with a comment saying where it came from. */
interface Derived {
  readonly value: string | number;
  readonly comment: string;
}

function derive(prebuilt: string, param: string, probe: StarterProbe | undefined): Derived | undefined {
  const port = probe !== undefined && probe.kind !== "exec" ? probe.port : undefined;
  if (prebuilt === "HTTP" && param === "url" && port !== undefined) {
    const path = probe!.kind === "http" ? probe!.path : "/";
    return { value: `http://127.0.0.1:${port}${path}`, comment: " the probe's endpoint, asked from inside the pod" };
  }
  if (prebuilt === "TCP" && param === "port" && port !== undefined) {
    return { value: port, comment: " the probe's port" };
  }
  if (prebuilt === "DNS" && param === "name") {
    return { value: "kubernetes.default.svc", comment: " in a pod, this name exists: a failure is the cluster's DNS; put the names your service calls here" };
  }
  return undefined;
}

/** The default choice: what the probe can check, the disk, and the memory limit. */
function defaultPrebuilts(probe: StarterProbe | undefined): string[] {
  return [
    ...(probe?.kind === "http" ? ["HTTP"] : []),
    ...(probe?.kind === "http" || probe?.kind === "tcp" ? ["TCP"] : []),
    "DISK",
    "CGROUP-MEMORY",
  ];
}

/**
 * A starter config: the probe, and one plugin per chosen prebuilt with the parameters it needs,
 * every line explained by a comment. Built as data, then printed by the same printers `convert`
 * uses, so both forms have their canonical layout and the DSL is exactly `convert` of the YAML.
 */
export function buildStarter(options: StarterOptions, library: Library): Starter {
  const errors: string[] = [];
  const chosen = choosePrebuilts(options, library, errors);
  const overrides = parseWith(options.with, chosen, errors);
  if (errors.length > 0) return { kind: "error", errors };

  const comments: { path: Path; text: string[] }[] = [];
  const comment = (path: Path, ...text: string[]) => comments.push({ path, text });
  const data: Record<string, unknown> = { version: 1, service: options.service };
  comment(
    ["version"],
    ` Hypotheses for ${options.service}, started by \`hypothecary init\`. Check and compile it with`,
    "   npx hypothecary validate THIS-FILE && npx hypothecary compile THIS-FILE -o runner.sh",
    " and make `sh runner.sh probe liveness` the container's liveness probe (docs/k8s.md:",
    " `hypothecary k8s` writes the patch). `sh runner.sh run` runs every hypothesis now.",
  );
  if (options.probe !== undefined) {
    data["probes"] = { liveness: probeData(options.probe) };
    comment(
      ["probes", "liveness"],
      " The real check. When it fails, the plugins below run detached and report to the container log.",
      " The readiness and startup probes take the same checks (exec, http, tcp).",
    );
  }

  const hasTcpChild = chosen.some((p) => p.name === "HTTP") && chosen.some((p) => p.name === "TCP");
  const plugins: { name: string; prebuilt: string }[] = [];
  const pluginData: Record<string, unknown>[] = [];
  chosen.forEach((prebuilt, i) => {
    const name = prebuilt.name.toLowerCase();
    const at: Path = ["plugins", i, "plugin"];
    const isChild = hasTcpChild && prebuilt.name === "TCP";
    const params: Record<string, unknown> = {};
    for (const spec of prebuilt.params) {
      const given = overrides.get(`${prebuilt.name}.${spec.name}`);
      const derived = given === undefined ? derive(prebuilt.name, spec.name, options.probe) : undefined;
      if (given !== undefined) params[spec.name] = typed(spec, given);
      else if (derived !== undefined) {
        params[spec.name] = derived.value;
        comment([...at, "with", spec.name], derived.comment);
      } else if (spec.required) {
        errors.push(missing(prebuilt, spec, options.probe));
      }
    }
    const oneOf = NEEDS_ONE_OF[prebuilt.name];
    if (oneOf !== undefined && !oneOf.some((param) => param in params)) {
      errors.push(
        `${prebuilt.name} needs one of ${oneOf.map((p) => `\`${p}\``).join(", ")}: add --with ${prebuilt.name}.${oneOf[0]}=VALUE`,
      );
    }
    const plugin: Record<string, unknown> = {
      name,
      type: "prebuilt",
      ...(name === prebuilt.name ? {} : { prebuilt: prebuilt.name }),
      hypothesis: HYPOTHESES[prebuilt.name] ?? `${prebuilt.name} fails: ${prebuilt.summary}`,
      ...(isChild ? {} : { parallel: true }),
      ...(Object.keys(params).length > 0 ? { with: params } : {}),
      ...(hasTcpChild && prebuilt.name === "HTTP" ? { conditionals: [{ response: "failure", child_name: "tcp" }] } : {}),
      trigger: isChild ? { trigger_timeout: "20s" } : { trigger_type: ["on_liveness_failure", "manual"], trigger_timeout: "20s" },
    };
    pluginData.push({ plugin });
    plugins.push({ name, prebuilt: prebuilt.name });
    comment(
      ["plugins", i],
      ...(i === 0
        ? [
            " Each plugin is a hypothesis about what is wrong when the probe fails. `hypothecary plugins`",
            " lists the prebuilts and their parameters; a shell plugin runs a command of yours instead.",
            "",
          ]
        : []),
      ...wrap(`${prebuilt.name}: ${prebuilt.summary}`),
      ...(isChild ? [" A child of http: it runs when http fails (see its conditionals), never on its own."] : []),
    );
  });
  if (errors.length > 0) return { kind: "error", errors };
  data["plugins"] = pluginData;
  const firstRoot = plugins.findIndex((p) => !(hasTcpChild && p.prebuilt === "TCP"));
  comment(
    ["plugins", firstRoot, "plugin", "trigger", "trigger_type"],
    " also: periodic, every 5m say, run by `sh runner.sh watch` or a CronJob",
  );

  const draft = new Document(data);
  for (const { path, text } of comments) {
    const target = commentTarget(draft, path);
    if (target === undefined) throw new Error(`internal error: init has no place for a comment at ${path.join(".")}`);
    target.commentBefore = [target.commentBefore, text.join("\n")].filter((t) => t !== undefined && t !== null).join("\n");
  }
  const bag = new DiagnosticBag();
  const file = new SourceFile("hypothecary.yaml", draft.toString({ lineWidth: 0 }));
  const document = readYamlDocument(file, bag);
  const checked = document && checkDocument(document, bag);
  if (checked === undefined || bag.hasErrors) {
    throw new Error(`internal error: init's draft does not fit the schema: ${bag.sorted().map((d) => d.message).join("; ")}`);
  }
  return { kind: "ok", yaml: printYaml(checked), hyp: printDsl(checked), plugins };
}

function probeData(probe: StarterProbe): Record<string, unknown> {
  switch (probe.kind) {
    case "exec":
      return { exec: probe.command, timeout: "2s" };
    case "http":
      return { http: { port: probe.port, path: probe.path }, timeout: "2s" };
    case "tcp":
      return { tcp: { port: probe.port }, timeout: "2s" };
  }
}

function choosePrebuilts(options: StarterOptions, library: Library, errors: string[]): PrebuiltDefinition[] {
  const names = options.prebuilts ?? defaultPrebuilts(options.probe);
  const known = [...library.prebuilts.keys()].sort(compareCodeUnits);
  const chosen: PrebuiltDefinition[] = [];
  for (const written of names) {
    const name = known.find((k) => k === written) ?? known.find((k) => k.toLowerCase() === written.toLowerCase());
    if (name === undefined) {
      const hint = didYouMean(written, known) ?? `the prebuilts are ${known.join(", ")}`;
      errors.push(`unknown prebuilt \`${written}\` in --prebuilts; ${hint} (\`hypothecary plugins\` describes them)`);
      continue;
    }
    const prebuilt = library.prebuilts.get(name)!;
    if (!chosen.includes(prebuilt)) chosen.push(prebuilt);
  }
  if (names.length === 0) errors.push("--prebuilts names no prebuilt; give a comma-separated list, e.g. --prebuilts HTTP,DISK");
  return chosen;
}

/** `PREBUILT.PARAM=VALUE` entries by `PREBUILT.PARAM` (canonical names); reports bad ones. */
function parseWith(entries: readonly string[], chosen: readonly PrebuiltDefinition[], errors: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of entries) {
    const equals = entry.indexOf("=");
    const key = equals < 0 ? entry : entry.slice(0, equals);
    const dot = key.lastIndexOf(".");
    if (equals < 0 || dot <= 0) {
      errors.push(`--with takes PREBUILT.PARAM=VALUE, e.g. --with TLS-CERT.host=shop.example.com, not \`${entry}\``);
      continue;
    }
    const prebuiltName = key.slice(0, dot);
    const param = key.slice(dot + 1);
    const prebuilt = chosen.find((p) => p.name.toLowerCase() === prebuiltName.toLowerCase());
    if (prebuilt === undefined) {
      errors.push(`--with ${entry}: ${prebuiltName} is not among the chosen prebuilts (${chosen.map((p) => p.name).join(", ")}); add it to --prebuilts`);
      continue;
    }
    const names = prebuilt.params.map((p) => p.name);
    if (!names.includes(param)) {
      const hint = didYouMean(param, names) ?? (names.length === 0 ? "it takes no parameters" : `it takes ${names.join(", ")}`);
      errors.push(`--with ${entry}: prebuilt ${prebuilt.name} has no parameter \`${param}\`; ${hint}`);
      continue;
    }
    values.set(`${prebuilt.name}.${param}`, entry.slice(equals + 1));
  }
  return values;
}

/** A `--with` value as YAML would read it: numbers for integers and ports, booleans, a list. */
function typed(spec: ParamSpec, value: string): unknown {
  if ((spec.type === "integer" || spec.type === "port") && /^[0-9]+$/.test(value)) return Number(value);
  if (spec.type === "boolean" && (value === "true" || value === "false")) return value === "true";
  if (spec.type === "list") return value === "" ? [] : [value];
  return value;
}

function missing(prebuilt: PrebuiltDefinition, spec: ParamSpec, probe: StarterProbe | undefined): string {
  const flags = [`--with ${prebuilt.name}.${spec.name}=VALUE`];
  if (probe === undefined || probe.kind === "exec") {
    if (prebuilt.name === "HTTP" && spec.name === "url") flags.unshift("--probe-http-port N (and --probe-path P)");
    if (prebuilt.name === "TCP" && spec.name === "port") flags.unshift("--probe-tcp-port N", "--probe-http-port N");
  }
  return `${prebuilt.name} needs \`${spec.name}\` (${spec.description}): add ${flags.join(" or ")}`;
}

/** A comment's text in lines of at most about 96 columns (each line a `#` comment). */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > 94) {
      lines.push(line);
      line = "";
    }
    line = line === "" ? ` ${word}` : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

