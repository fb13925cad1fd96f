import { z } from "zod";
import { Codes } from "../../diagnostics/codes.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { parseDuration } from "../../model/duration.js";
import {
  PLUGIN_NAME_PATTERN,
  TERMINAL_CHILD_NAMES,
  TRIGGER_TYPES,
  type Destination,
  type TriggerType,
} from "../../model/model.js";
import { checkResponse } from "../../model/response.js";

/**
 * Field schemas whose problems need our own words and codes (durations, names, responses,
 * trigger types, destinations). They raise zod `custom` issues carrying `IssueParams`; the
 * issue mapper (`issues.ts`) turns those into diagnostics as they are, and words zod's own
 * issues (wrong type, missing key, unknown key) generically.
 */
export interface IssueParams {
  readonly code: string;
  readonly help?: string;
  /** Point at the key rather than at its value (e.g. a key that does not belong there). */
  readonly at?: "key" | "value";
  /** For a missing key: its name, so a misspelling of it elsewhere can explain it. */
  readonly missingKey?: string;
}

type Context = z.core.$RefinementCtx;

export function raise(
  ctx: Context,
  code: string,
  message: string,
  options: {
    readonly help?: string | undefined;
    readonly path?: readonly PropertyKey[];
    readonly at?: "key" | "value";
    readonly missingKey?: string;
  } = {},
): void {
  const hyp: IssueParams = {
    code,
    ...(options.help === undefined ? {} : { help: options.help }),
    ...(options.at === undefined ? {} : { at: options.at }),
    ...(options.missingKey === undefined ? {} : { missingKey: options.missingKey }),
  };
  ctx.addIssue({ code: "custom", message, path: [...(options.path ?? [])], params: { hyp } });
}

/** A JS value in words, for fields that take more than one kind of value. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text \`${value}\``;
  return `\`${String(value)}\``;
}

export function nonEmptyText(key: string) {
  return z.string().superRefine((text, ctx) => {
    if (text.trim() === "") raise(ctx, Codes.InvalidValue, `\`${key}\` is empty`);
  });
}

export function pluginName() {
  return z.string().superRefine((name, ctx) => {
    if (PLUGIN_NAME_PATTERN.test(name)) return;
    if (name === "") {
      raise(ctx, Codes.BadName, "a plugin name cannot be empty");
      return;
    }
    raise(ctx, Codes.BadName, `plugin name \`${name}\` may only use ASCII letters, digits, \`_\`, \`.\` and \`-\``, {
      help: suggestName(name),
    });
  });
}

/** `child_name`: a plugin name, or a word (or YAML null) that ends the branch: output `null`. */
export function childName() {
  return z
    .string()
    .nullable()
    .transform((name, ctx): string | null => {
      if (name === null || (TERMINAL_CHILD_NAMES as readonly string[]).includes(name)) return null;
      if (name === "") {
        raise(ctx, Codes.BadName, "`child_name` is empty", { help: "write `skip-to-end` to end the branch" });
      } else if (!PLUGIN_NAME_PATTERN.test(name)) {
        raise(ctx, Codes.BadName, `\`${name}\` is not a plugin name: names use only ASCII letters, digits, \`_\`, \`.\` and \`-\``, {
          help: suggestName(name),
        });
      }
      return name;
    });
}

/** Spaces and punctuation become `-`; a name with other letters (`é`) is the user's to rename. */
function suggestName(name: string): string | undefined {
  if (/[^\x20-\x7E]/.test(name)) return undefined;
  const cleaned = name.trim().replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "");
  return cleaned === "" ? undefined : `did you mean \`${cleaned}\`?`;
}

export function response() {
  return z.string().superRefine((text, ctx) => {
    const result = checkResponse(text);
    if (result.ok) return;
    raise(ctx, Codes.BadResponse, result.message, { help: result.help });
  });
}

/** A number of seconds or a duration string; output in milliseconds. */
export function duration(key: string) {
  return z.unknown().transform((value, ctx): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== "number" && typeof value !== "string") {
      raise(ctx, Codes.WrongType, `\`${key}\` must be a number of seconds or a duration like \`30s\`, not ${describeValue(value)}`);
      return undefined;
    }
    const result = parseDuration(value);
    if (result.ok) return result.ms;
    raise(ctx, Codes.BadDuration, `invalid \`${key}\`: ${result.message}`);
    return undefined;
  });
}

/** One word or a list of words, each checked by `parse`; always a list afterwards. */
function oneOrMany<T>(key: string, what: string, parse: (word: string, ctx: Context, path: readonly PropertyKey[]) => T | undefined) {
  return z.unknown().transform((value, ctx): T[] | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "string") {
      const parsed = parse(value, ctx, []);
      return parsed === undefined ? undefined : [parsed];
    }
    if (!Array.isArray(value)) {
      raise(ctx, Codes.WrongType, `\`${key}\` must be ${what} or a list of them, not ${describeValue(value)}`);
      return undefined;
    }
    if (value.length === 0) {
      raise(ctx, Codes.InvalidValue, `\`${key}\` is an empty list`, { help: `leave \`${key}\` out to get the default` });
      return undefined;
    }
    const out: T[] = [];
    value.forEach((item: unknown, index) => {
      if (typeof item !== "string") {
        raise(ctx, Codes.WrongType, `each entry of \`${key}\` must be ${what}, not ${describeValue(item)}`, { path: [index] });
        return;
      }
      const parsed = parse(item, ctx, [index]);
      if (parsed !== undefined) out.push(parsed);
    });
    return out;
  });
}

export function triggerTypes() {
  return oneOrMany<TriggerType>("trigger_type", "a trigger type", (word, ctx, path) => {
    if ((TRIGGER_TYPES as readonly string[]).includes(word)) return word as TriggerType;
    raise(ctx, Codes.BadTriggerType, `unknown trigger type \`${word}\``, {
      path,
      help: didYouMean(word, TRIGGER_TYPES) ?? `the trigger types are ${TRIGGER_TYPES.join(", ")}`,
    });
    return undefined;
  });
}

const FIXED_DESTINATIONS = ["container-log", "stdout", "stderr"] as const;

export function destinations() {
  return oneOrMany<Destination>("to", "a destination", (word, ctx, path) => {
    if ((FIXED_DESTINATIONS as readonly string[]).includes(word)) return { kind: word as (typeof FIXED_DESTINATIONS)[number] };
    if (word.startsWith("file:")) {
      const file = word.slice("file:".length);
      if (file.trim() !== "") return { kind: "file", path: file };
      raise(ctx, Codes.InvalidValue, "`file:` needs a path, e.g. `file:/var/log/hypothecary.log`", { path });
      return undefined;
    }
    raise(ctx, Codes.InvalidValue, `unknown report destination \`${word}\``, {
      path,
      help: didYouMean(word, [...FIXED_DESTINATIONS, "file:"]) ?? "the destinations are container-log, stdout, stderr and file:PATH",
    });
    return undefined;
  });
}

export function port() {
  return z.number().superRefine((value, ctx) => {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      raise(ctx, Codes.InvalidValue, `port \`${String(value)}\` is out of range: ports go from 1 to 65535`);
    }
  });
}

/** An environment variable's name, as `token_env` holds: the secret itself never enters the runner. */
export function environmentName(key: string) {
  return z.string().superRefine((name, ctx) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      raise(ctx, Codes.InvalidValue, `\`${key}\` must name an environment variable (letters, digits and \`_\`), not \`${name}\``);
    }
  });
}

export type ScalarValue = string | number | boolean;
export type RawParamValue = ScalarValue | ScalarValue[];

/**
 * `with:`: each parameter a scalar or a list of scalars. Which parameters a prebuilt takes, and
 * of which types, is checked later against its manifest (check/params.ts).
 */
export function params() {
  return z.record(z.string(), z.unknown()).transform((entries, ctx): Record<string, RawParamValue> => {
    const out: Record<string, RawParamValue> = {};
    for (const [key, value] of Object.entries(entries)) {
      const name = `parameter \`${key}\``;
      if (isScalar(value)) {
        out[key] = value;
      } else if (value === null || value === undefined) {
        raise(ctx, Codes.WrongType, `${name} has no value`, { path: [key] });
      } else if (Array.isArray(value)) {
        value.forEach((item: unknown, index) => {
          if (!isScalar(item)) {
            raise(ctx, Codes.WrongType, `each entry of ${name} must be a single value, not ${describeValue(item)}`, { path: [key, index] });
          }
        });
        out[key] = value.filter(isScalar);
      } else {
        raise(ctx, Codes.WrongType, `${name} must be a value or a list of values, not ${describeValue(value)}`, { path: [key] });
      }
    }
    return out;
  });
}

function isScalar(value: unknown): value is ScalarValue {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
