import { PARAM_TYPES, type Fragment, type ParamSpec, type ParamType, type PrebuiltDefinition } from "./library.js";

/**
 * Manifest headers are the leading `#` lines of a file, up to the first line that is not a
 * comment. Runtime fragments and stdlib helpers:
 *
 *     # hypothecary runtime: scheduler
 *     # requires: core proc
 *
 * Prebuilt plugins:
 *
 *     # hypothecary prebuilt: HTTP
 *     # summary: Requests a URL and checks its status.
 *     # reports: the status and latency; on failure the stage that failed.
 *     # function: hyp_prebuilt_http
 *     # requires: lib/net
 *     # param url: string, required -- the URL to request
 *     # param status: string = 2xx -- accepted statuses: 2xx, 200, 200-299, lists with commas
 *     # param method: string = GET, one of GET|HEAD|POST -- the request method
 *
 * The header is dropped from the runner; the body keeps its own comments.
 */
export class ManifestError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    /** What is wrong, without the location. */
    readonly reason: string,
  ) {
    super(`${path}:${line}: ${reason}`);
  }
}

interface Header {
  readonly fields: Map<string, { value: string; line: number }[]>;
  readonly body: string;
}

function splitHeader(path: string, text: string): Header {
  const lines = text.split("\n");
  const fields = new Map<string, { value: string; line: number }[]>();
  let i = 0;
  if (lines[0]?.startsWith("#!")) i++;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith("#")) break;
    // `# param NAME: …` names its field before the colon, so the generic `key: value` pattern
    // would file it under `param NAME` (and skip names with `_`): match it first.
    const param = /^#\s*param\s+(\S.*?)\s*$/.exec(line);
    const match = param ? [line, "param", param[1]!] : /^#\s*([a-z][a-z ]*[a-z]):\s*(.*?)\s*$/.exec(line);
    if (!match) continue; // prose in the header
    const key = match[1]!;
    const list = fields.get(key) ?? [];
    list.push({ value: match[2]!, line: i + 1 });
    fields.set(key, list);
  }
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const body = lines.slice(i).join("\n").replace(/\s*$/, "\n");
  if (body.trim() === "") throw new ManifestError(path, 1, "the file has a header but no shell code");
  return { fields, body };
}

function single(path: string, header: Header, key: string): string {
  const values = header.fields.get(key);
  if (!values || values.length === 0) throw new ManifestError(path, 1, `the manifest header lacks \`# ${key}: …\``);
  if (values.length > 1) throw new ManifestError(path, values[1]!.line, `\`# ${key}:\` appears twice`);
  return values[0]!.value;
}

function requiresOf(header: Header): string[] {
  return (header.fields.get("requires") ?? []).flatMap((r) => r.value.split(/\s+/).filter(Boolean));
}

export function parseFragment(name: string, path: string, text: string): Fragment {
  const header = splitHeader(path, text);
  const declared = single(path, header, "hypothecary runtime");
  if (declared !== name) {
    throw new ManifestError(path, 1, `the header names the fragment \`${declared}\`, but its file makes it \`${name}\``);
  }
  return { name, path, requires: requiresOf(header), body: header.body };
}

const PARAM_LINE =
  /^([a-z][a-z0-9_]*):\s*([a-z]+)\s*(?:,\s*(required)|=\s*(\S+))?\s*(?:,\s*one of\s+(\S+))?\s*--\s*(.+)$/;

export function parsePrebuilt(path: string, text: string): PrebuiltDefinition {
  const header = splitHeader(path, text);
  const name = single(path, header, "hypothecary prebuilt");
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new ManifestError(path, 1, `prebuilt name \`${name}\` is not [A-Za-z0-9_.-]+`);
  const functionName = single(path, header, "function");
  if (!/^hyp_prebuilt_[a-z0-9_]+$/.test(functionName)) {
    throw new ManifestError(path, 1, `function \`${functionName}\` must be named hyp_prebuilt_<lowercase>`);
  }
  if (!new RegExp(`^${functionName}\\(\\)`, "m").test(header.body)) {
    throw new ManifestError(path, 1, `the body does not define \`${functionName}()\``);
  }
  const params: ParamSpec[] = [];
  for (const { value, line } of header.fields.get("param") ?? []) {
    const m = PARAM_LINE.exec(value);
    if (!m) {
      throw new ManifestError(path, line, "expected `# param NAME: TYPE[, required | = DEFAULT][, one of A|B] -- description`");
    }
    const type = m[2]!;
    if (!(PARAM_TYPES as readonly string[]).includes(type)) {
      throw new ManifestError(path, line, `unknown parameter type \`${type}\` (expected one of ${PARAM_TYPES.join(", ")})`);
    }
    if (params.some((p) => p.name === m[1])) throw new ManifestError(path, line, `parameter \`${m[1]}\` is declared twice`);
    const required = m[3] === "required";
    if (!required && m[4] === undefined) {
      throw new ManifestError(path, line, `parameter \`${m[1]}\` needs \`, required\` or \`= DEFAULT\``);
    }
    params.push({
      name: m[1]!,
      type: type as ParamType,
      required,
      default: required ? undefined : m[4] === '""' ? "" : m[4],
      choices: m[5]?.split("|"),
      description: m[6]!,
    });
  }
  return {
    name,
    path,
    summary: single(path, header, "summary"),
    reports: single(path, header, "reports"),
    functionName,
    params,
    requires: requiresOf(header),
    body: header.body,
  };
}
