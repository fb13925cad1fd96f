import { z } from "zod";
import { Codes } from "../../diagnostics/codes.js";
import { PLUGIN_NAME_PATTERN } from "../../model/model.js";
import { SINK_MAX_RETRIES, SINK_MAX_TIMEOUT_MS, SINK_TYPES, type SinkType } from "../../model/sinks.js";
import { duration, environmentName, nonEmptyText, raise } from "./fields.js";

/**
 * One entry of `sinks:` (docs/spec-additions.md, "Sinks"). The mapping is strict over the keys
 * of every type; which keys a type takes, and which it needs, is checked after, so a key of
 * another type gets an error that names the type it belongs to.
 */

/** Keys every sink takes. */
export const COMMON_KEYS = ["type", "name", "url", "url_env", "url_file", "timeout", "retries", "headers"] as const;

/** Keys of one type (or a few) only. */
export const KEYS_OF_SINK: Readonly<Record<SinkType, readonly string[]>> = {
  splunk_hec: ["token_env", "token_file", "index", "source", "sourcetype", "host"],
  datadog: ["token_env", "token_file", "site", "source", "service", "tags", "host"],
  loki: ["token_env", "token_file", "tenant", "labels"],
  webhook: ["token_env", "token_file"],
  slack: [],
};

/** Types that cannot deliver without a token. */
export const TOKEN_REQUIRED: readonly SinkType[] = ["splunk_hec", "datadog"];

export const URL_KEYS = ["url", "url_env", "url_file"] as const;
export const TOKEN_KEYS = ["token_env", "token_file"] as const;

/** A value that goes into a request line or header: one line, no control characters. */
function oneLine(key: string) {
  return nonEmptyText(key).superRefine((text, ctx) => {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(text)) raise(ctx, Codes.InvalidValue, `\`${key}\` must be one line without control characters`);
  });
}

function httpUrl() {
  return oneLine("url").superRefine((url, ctx) => {
    if (!/^https?:\/\/[^\s/?#]+/i.test(url) || /\s/.test(url)) {
      raise(ctx, Codes.InvalidValue, `\`url\` must be an http:// or https:// URL, not \`${url}\``);
    }
  });
}

function absolutePath(key: string) {
  return oneLine(key).superRefine((path, ctx) => {
    if (!path.startsWith("/")) {
      raise(ctx, Codes.InvalidValue, `\`${key}\` must be an absolute path, e.g. \`/var/run/secrets/sink/token\``, {
        help: "the runner reads it when it delivers, from wherever the probe runs",
      });
    }
  });
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headers() {
  return z.record(z.string(), z.string()).superRefine((entries, ctx) => {
    for (const [name, value] of Object.entries(entries)) {
      if (!HEADER_NAME.test(name)) {
        raise(ctx, Codes.InvalidValue, `\`${name}\` is not an HTTP header name`, { path: [name], at: "key" });
      }
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
        raise(ctx, Codes.InvalidValue, `header \`${name}\` must be one line without control characters`, { path: [name] });
      }
    }
  });
}

function labels() {
  return z.record(z.string(), z.string()).superRefine((entries, ctx) => {
    for (const [name, value] of Object.entries(entries)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        raise(ctx, Codes.InvalidValue, `\`${name}\` is not a Loki label name (letters, digits and \`_\`, not first a digit)`, {
          path: [name],
          at: "key",
        });
      }
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(value)) {
        raise(ctx, Codes.InvalidValue, `label \`${name}\` must be one line without control characters`, { path: [name] });
      }
    }
  });
}

function tags() {
  return z.array(z.string()).superRefine((list, ctx) => {
    list.forEach((tag, index) => {
      if (tag.trim() === "" || tag.includes(",")) {
        raise(ctx, Codes.InvalidValue, `a Datadog tag is one \`key:value\` (or word) without commas, not \`${tag}\``, { path: [index] });
      }
    });
  });
}

function timeout() {
  return duration("timeout").superRefine((ms, ctx) => {
    if (ms === undefined) return;
    if (ms <= 0 || ms > SINK_MAX_TIMEOUT_MS) {
      raise(ctx, Codes.InvalidValue, `a sink's \`timeout\` must be above 0 and at most ${SINK_MAX_TIMEOUT_MS / 1000}s`, {
        help: "it bounds each delivery attempt; a probe's diagnostics run stays alive until the last one ends",
      });
    }
  });
}

function retries() {
  return z.number().superRefine((n, ctx) => {
    if (!Number.isInteger(n) || n < 0 || n > SINK_MAX_RETRIES) {
      raise(ctx, Codes.InvalidValue, `\`retries\` must be a whole number from 0 to ${SINK_MAX_RETRIES}, not \`${String(n)}\``);
    }
  });
}

export const sinkSchema = z
  .strictObject({
    type: z.enum(SINK_TYPES),
    name: z.string().superRefine((name, ctx) => {
      if (!PLUGIN_NAME_PATTERN.test(name)) {
        raise(ctx, Codes.BadName, `sink name \`${name}\` may only use letters, digits, \`_\`, \`.\` and \`-\``);
      }
    }).optional(),
    url: httpUrl().optional(),
    url_env: environmentName("url_env").optional(),
    url_file: absolutePath("url_file").optional(),
    token_env: environmentName("token_env").optional(),
    token_file: absolutePath("token_file").optional(),
    timeout: timeout().optional(),
    retries: retries().optional(),
    headers: headers().optional(),
    index: oneLine("index").optional(),
    source: oneLine("source").optional(),
    sourcetype: oneLine("sourcetype").optional(),
    host: oneLine("host").optional(),
    site: oneLine("site")
      .superRefine((site, ctx) => {
        if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(site)) {
          raise(ctx, Codes.InvalidValue, `\`site\` must be a Datadog site such as \`datadoghq.eu\`, not \`${site}\``);
        }
      })
      .optional(),
    service: oneLine("service").optional(),
    tags: tags().optional(),
    tenant: oneLine("tenant").optional(),
    labels: labels().optional(),
  })
  // Runs even when a field failed, so a bad `url` does not hide a `token_env` on a Slack sink.
  .superRefine(checkSinkKeys, { when: () => true });

function checkSinkKeys(sink: unknown, ctx: z.core.$RefinementCtx): void {
  if (typeof sink !== "object" || sink === null || Array.isArray(sink)) return;
  const fields = sink as Record<string, unknown>;
  const type = fields["type"];
  if (typeof type !== "string" || !(SINK_TYPES as readonly string[]).includes(type)) return;
  const own = type as SinkType;
  const allowed = new Set<string>([...COMMON_KEYS, ...KEYS_OF_SINK[own]]);
  for (const key of Object.keys(fields)) {
    if (allowed.has(key) || fields[key] === undefined) continue;
    const owners = SINK_TYPES.filter((other) => KEYS_OF_SINK[other].includes(key));
    if (owners.length === 0) continue; // an unknown key: the strict mapping reports it
    raise(ctx, Codes.KeyNotForType, `\`${key}\` does not apply to a \`${own}\` sink`, {
      path: [key],
      at: "key",
      help:
        own === "slack" && key.startsWith("token_")
          ? "a Slack webhook's secret is its URL: give it with `url_env` or `url_file`"
          : `\`${key}\` belongs to ${owners.map((o) => `\`type: ${o}\``).join(", ")}`,
    });
  }

  const urls = URL_KEYS.filter((key) => fields[key] !== undefined);
  for (const extra of urls.slice(1)) {
    raise(ctx, Codes.InvalidValue, `a sink has one URL, but this one has \`${urls[0]!}\` and \`${extra}\``, { path: [extra], at: "key" });
  }
  if (urls.length === 0 && own !== "datadog") {
    raise(ctx, Codes.MissingKey, `a \`${own}\` sink needs \`url\`, \`url_env\` or \`url_file\``, {
      missingKey: "url",
      ...(own === "slack" ? { help: "the webhook URL is a secret: prefer `url_env` or `url_file`" } : {}),
    });
  }
  if (own === "datadog" && urls.length > 0 && fields["site"] !== undefined) {
    raise(ctx, Codes.InvalidValue, "`site` and a URL both say where to send: the URL would win", {
      path: ["site"],
      at: "key",
      help: "keep `site` for Datadog's intake, or the URL for a proxy or a test peer",
    });
  }

  const tokens = TOKEN_KEYS.filter((key) => fields[key] !== undefined);
  for (const extra of tokens.slice(1)) {
    raise(ctx, Codes.InvalidValue, `a sink has one token, but this one has \`${tokens[0]!}\` and \`${extra}\``, { path: [extra], at: "key" });
  }
  if (tokens.length === 0 && TOKEN_REQUIRED.includes(own)) {
    raise(ctx, Codes.MissingKey, `a \`${own}\` sink needs \`token_env\` or \`token_file\``, {
      missingKey: "token_env",
      help: "name the environment variable or the file that holds the token; the token itself never goes into the config",
    });
  }
}

export type SinkData = z.output<typeof sinkSchema>;
