import { z } from "zod";
import { Codes } from "../../diagnostics/codes.js";
import { PLUGIN_TYPES, REPORT_FORMATS, type PluginType } from "../../model/model.js";
import {
  childName,
  destinations,
  duration,
  nonEmptyText,
  params,
  pluginName,
  port,
  raise,
  response,
  triggerTypes,
} from "./fields.js";
import { sinkSchema } from "./sinks.js";
import { redactPatterns } from "./redact-pattern.js";

/**
 * The accepted YAML, exactly as SPEC.md "Inputs" writes it. Every mapping is strict, so a
 * misspelt key is an error with a suggestion rather than a setting silently ignored.
 */

/** Keys that belong to one plugin type only; any other type rejects them. */
export const KEYS_OF_TYPE: Readonly<Record<PluginType, readonly string[]>> = {
  prebuilt: ["prebuilt", "with"],
  shell: ["shell_command"],
  script: ["path"],
};

/** What a type cannot do without. */
export const REQUIRED_OF_TYPE: Readonly<Record<PluginType, readonly string[]>> = {
  prebuilt: [],
  shell: ["shell_command"],
  script: ["path"],
};

const stringMap = z.record(z.string(), z.string());

const conditionalSchema = z.strictObject({
  response: response(),
  child_name: childName(),
});

const triggerSchema = z.strictObject({
  trigger_type: triggerTypes().optional(),
  trigger_interval: duration("trigger_interval").optional(),
  trigger_timeout: duration("trigger_timeout").optional(),
});

const pluginSchema = z
  .strictObject({
    name: pluginName(),
    type: z.enum(PLUGIN_TYPES),
    prebuilt: nonEmptyText("prebuilt").optional(),
    with: params().optional(),
    shell_command: nonEmptyText("shell_command").optional(),
    path: nonEmptyText("path").optional(),
    parallel: z.boolean().optional(),
    hypothesis: nonEmptyText("hypothesis").optional(),
    conditionals: z.array(conditionalSchema).optional(),
    trigger: triggerSchema.optional(),
  })
  // Runs even when a field failed, so a bad `name` does not hide a `shell_command` on a prebuilt.
  .superRefine(checkKeysFitType, { when: () => true });

function checkKeysFitType(plugin: unknown, ctx: z.core.$RefinementCtx): void {
  if (typeof plugin !== "object" || plugin === null || Array.isArray(plugin)) return;
  const fields = plugin as Record<string, unknown>;
  const type = fields["type"];
  if (typeof type !== "string" || !(PLUGIN_TYPES as readonly string[]).includes(type)) return;
  const own = type as PluginType;
  for (const other of PLUGIN_TYPES) {
    if (other === own) continue;
    for (const key of KEYS_OF_TYPE[other]) {
      if (fields[key] === undefined) continue;
      raise(ctx, Codes.KeyNotForType, `\`${key}\` does not apply to a \`${own}\` plugin`, {
        path: [key],
        at: "key",
        help: `\`${key}\` belongs to \`type: ${other}\``,
      });
    }
  }
  for (const key of REQUIRED_OF_TYPE[own]) {
    if (fields[key] === undefined) raise(ctx, Codes.MissingKey, `a \`${own}\` plugin needs \`${key}\``, { missingKey: key });
  }
}

const pluginItemSchema = z.strictObject({ plugin: pluginSchema });

const reportSchema = z.strictObject({
  format: z.enum(REPORT_FORMATS).optional(),
  to: destinations().optional(),
  /** Extended regular expressions hidden in plugin output, besides the built-in secrets (redact-pattern.ts). */
  redact: redactPatterns().optional(),
});

const PROBE_CHECKS = ["exec", "http", "tcp"] as const;

const probeSchema = z
  .strictObject({
    exec: nonEmptyText("exec").optional(),
    http: z
      .strictObject({
        port: port(),
        path: z.string().superRefine((path, ctx) => {
          if (!path.startsWith("/")) raise(ctx, Codes.InvalidValue, `\`path\` must start with \`/\`, e.g. \`/healthz\``);
        }),
        scheme: z.enum(["http", "https"]).optional(),
        host: nonEmptyText("host").optional(),
        headers: stringMap.optional(),
      })
      .optional(),
    tcp: z.strictObject({ port: port(), host: nonEmptyText("host").optional() }).optional(),
    timeout: duration("timeout").optional(),
  })
  .superRefine(checkOneProbeCheck, { when: () => true });

function checkOneProbeCheck(probe: unknown, ctx: z.core.$RefinementCtx): void {
  if (typeof probe !== "object" || probe === null || Array.isArray(probe)) return;
  const fields = probe as Record<string, unknown>;
  const present = PROBE_CHECKS.filter((key) => fields[key] !== undefined);
  if (present.length === 0) {
    raise(ctx, Codes.MissingKey, "a probe needs one of `exec`, `http` or `tcp`");
  }
  for (const extra of present.slice(1)) {
    raise(ctx, Codes.InvalidValue, `a probe runs one check, but this one has \`${present[0]!}\` and \`${extra}\``, {
      path: [extra],
      at: "key",
    });
  }
}

const probesSchema = z.strictObject({
  liveness: probeSchema.optional(),
  readiness: probeSchema.optional(),
  startup: probeSchema.optional(),
  /** Probe-triggered diagnostics start at most once per this long. */
  cooldown: duration("cooldown").optional(),
});

export const configSchema = z.strictObject({
  version: z.literal(1).optional(),
  service: nonEmptyText("service").optional(),
  probes: probesSchema.optional(),
  report: reportSchema.optional(),
  sinks: z.array(sinkSchema).optional(),
  /** Plugin packs: folders (relative to the config) or npm packages of prebuilts with manifests. */
  imports: z.array(nonEmptyText("imports")).optional(),
  // `plugins:` with nothing after it is "no plugins", which check reports in its own words.
  plugins: z.array(pluginItemSchema).nullable().optional(),
});

export type ConfigData = z.output<typeof configSchema>;
export type PluginData = z.output<typeof pluginSchema>;
