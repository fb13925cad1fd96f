import { z } from "zod";
import { Codes } from "../diagnostics/codes.js";
import { didYouMean } from "../diagnostics/did-you-mean.js";
import type { ParamSpec, PrebuiltDefinition } from "../library/library.js";
import { formatSeconds, parseDuration } from "../model/duration.js";
import type { ParamValue } from "../model/model.js";

/**
 * A prebuilt's parameters, checked and normalised to the strings the runner passes as
 * `hyp_arg_<name>` (docs/architecture.md, "The prebuilt contract"): durations in seconds,
 * booleans `1` or empty, lists one entry per line, numbers in plain decimal.
 */
export type Normalised =
  | { readonly ok: true; readonly value: string }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly help?: string;
      /** For a list: the 0-based entry at fault, so the error can point at it. */
      readonly entry?: number;
    };

const TRUE_WORDS = ["true", "yes", "on", "1"];
const FALSE_WORDS = ["false", "no", "off", "0"];

/** Checks one value (the user's, or a manifest default) against its parameter's type. */
export function normaliseParam(spec: ParamSpec, value: ParamValue): Normalised {
  const name = `\`${spec.name}\``;
  if (spec.type === "list") {
    const items = (Array.isArray(value) ? value : [value]).map(String);
    for (const [index, item] of items.entries()) {
      // The runner hands a list over one entry per line: an entry cannot hold a line break.
      if (/[\r\n]/.test(item)) {
        return { ...bad(Codes.BadParameter, `entry ${index + 1} of ${name} spans several lines; each entry must be one line`), entry: index };
      }
      const choice = checkChoice(spec, item);
      if (choice) return { ...choice, entry: index };
    }
    return { ok: true, value: items.join("\n") };
  }
  if (Array.isArray(value)) return bad(Codes.BadParameter, `${name} takes one value, not a list`);
  const text = String(value);
  const choice = checkChoice(spec, text);
  if (choice) return choice;
  switch (spec.type) {
    case "string":
      return { ok: true, value: text };
    case "integer":
      if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        return bad(Codes.BadParameter, `${name} must be a whole number, not \`${text}\``);
      }
      return { ok: true, value: String(Number(text)) };
    case "port": {
      const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(port >= 1 && port <= 65535)) return bad(Codes.BadParameter, `${name} must be a port from 1 to 65535, not \`${text}\``);
      return { ok: true, value: String(port) };
    }
    case "duration": {
      const parsed = parseDuration(text);
      if (!parsed.ok) return bad(Codes.BadDuration, `invalid ${name}: ${parsed.message}`);
      return { ok: true, value: formatSeconds(parsed.ms) };
    }
    case "boolean": {
      const word = text.toLowerCase();
      if (TRUE_WORDS.includes(word)) return { ok: true, value: "1" };
      if (FALSE_WORDS.includes(word)) return { ok: true, value: "" };
      return bad(Codes.BadParameter, `${name} must be true or false, not \`${text}\``);
    }
  }
}

function checkChoice(spec: ParamSpec, text: string): Failure | undefined {
  if (spec.choices === undefined || spec.choices.includes(text)) return undefined;
  const message = `\`${spec.name}\` must be one of ${spec.choices.join(", ")}, not \`${text}\``;
  return bad(Codes.BadParameter, message, didYouMean(text, spec.choices));
}

type Failure = Extract<Normalised, { ok: false }>;

function bad(code: string, message: string, help?: string): Failure {
  return help === undefined ? { ok: false, code, message } : { ok: false, code, message, help };
}

export interface ParamIssue {
  readonly code: string;
  readonly help?: string;
}

/**
 * The zod schema of one prebuilt's `with:` mapping: strict (an unknown parameter is an error),
 * one field per manifest parameter, each normalising its value. Missing optional parameters
 * come out `undefined`; the caller applies the manifest default.
 */
export function paramSchema(prebuilt: PrebuiltDefinition) {
  // One schema per prebuilt, not per plugin: zod compiles each schema it builds, and building
  // it anew for each of 1,000 plugins was half of their compile time (npm run bench).
  let schema = paramSchemas.get(prebuilt);
  if (schema === undefined) {
    schema = buildParamSchema(prebuilt);
    paramSchemas.set(prebuilt, schema);
  }
  return schema;
}

const paramSchemas = new WeakMap<PrebuiltDefinition, ReturnType<typeof buildParamSchema>>();

function buildParamSchema(prebuilt: PrebuiltDefinition) {
  const shape: Record<string, z.ZodType<string | undefined, unknown>> = {};
  for (const spec of prebuilt.params) {
    const field = z.unknown().transform((value, ctx): string | undefined => {
      if (value === undefined) {
        if (spec.required) {
          ctx.addIssue({
            code: "custom",
            message: `prebuilt \`${prebuilt.name}\` needs the parameter \`${spec.name}\` (${spec.description})`,
            params: { hyp: { code: Codes.BadParameter, help: `add \`${spec.name}: …\` under \`with:\`` } satisfies ParamIssue },
          });
        }
        return undefined;
      }
      const result = normaliseParam(spec, value as ParamValue);
      if (result.ok) return result.value;
      const hyp: ParamIssue = result.help === undefined ? { code: result.code } : { code: result.code, help: result.help };
      // A list's entry at fault is the issue's path, where the user wrote it.
      const path = result.entry !== undefined && Array.isArray(value) ? [result.entry] : [];
      ctx.addIssue({ code: "custom", message: result.message, path, params: { hyp } });
      return undefined;
    });
    shape[spec.name] = spec.required ? field : field.optional();
  }
  return z.strictObject(shape);
}
