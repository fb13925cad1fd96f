import type { z } from "zod";
import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../diagnostics/did-you-mean.js";
import type { Library, PrebuiltDefinition } from "../library/library.js";
import type { PluginAction, PluginModel } from "../model/model.js";
import type { SourceFile } from "../source/source-file.js";
import { normaliseParam, paramSchema, type ParamIssue } from "./params.js";

type PrebuiltAction = Extract<PluginAction, { kind: "prebuilt" }>;

/**
 * A `type: prebuilt` plugin: finds its prebuilt (named by `prebuilt:`, else by the plugin's
 * name, as in the seed's `name: AWS-STS`) and checks its `with:` parameters against the
 * prebuilt's manifest. Every parameter comes out present, in manifest order, defaults applied.
 */
export function checkPrebuilt(plugin: PluginModel, library: Library, file: SourceFile, bag: DiagnosticBag): PrebuiltAction | undefined {
  const named = plugin.prebuilt ?? plugin.name;
  const prebuilt = library.prebuilts.get(named.value);
  if (prebuilt === undefined) {
    const known = [...library.prebuilts.keys()];
    const help =
      didYouMean(named.value, known) ??
      (plugin.prebuilt === undefined
        ? "without `prebuilt: NAME` a plugin runs the prebuilt of its own name; `hypothecary plugins` lists them"
        : "`hypothecary plugins` lists the prebuilts");
    bag.error(Codes.UnknownPrebuilt, file, named.span, `unknown prebuilt \`${named.value}\``, { help });
    return undefined;
  }

  const input = Object.fromEntries(plugin.params.map((param) => [param.key.value, param.value.value]));
  const result = paramSchema(prebuilt).safeParse(input);
  if (!result.success) {
    reportParamIssues(result.error.issues, plugin, prebuilt, file, bag);
    return undefined;
  }
  const args = prebuilt.params.map((spec) => ({ name: spec.name, value: result.data[spec.name] ?? defaultOf(prebuilt, spec.name) }));
  return { kind: "prebuilt", prebuilt: prebuilt.name, args };
}

function reportParamIssues(
  issues: readonly z.core.$ZodIssue[],
  plugin: PluginModel,
  prebuilt: PrebuiltDefinition,
  file: SourceFile,
  bag: DiagnosticBag,
): void {
  const names = prebuilt.params.map((spec) => spec.name);
  const paramNamed = (key: PropertyKey) => plugin.params.find((param) => param.key.value === key);
  // `urll:` for `url:` is one mistake: its "did you mean" stands in for "needs `url`".
  const misspelt = new Set(
    issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : [])).map((key) => closest(key, names)),
  );
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const param = paramNamed(key);
        const takes = names.length === 0 ? "it takes no parameters" : `it takes ${names.join(", ")}`;
        const message = `prebuilt \`${prebuilt.name}\` has no parameter \`${key}\``;
        bag.error(Codes.BadParameter, file, param?.key.span ?? plugin.name.span, message, { help: didYouMean(key, names) ?? takes });
      }
      continue;
    }
    const hyp = issue.code === "custom" ? (issue.params as { hyp?: ParamIssue } | undefined)?.hyp : undefined;
    const param = paramNamed(issue.path[0] ?? "");
    if (param === undefined && misspelt.has(String(issue.path[0]))) continue;
    // A missing parameter has no value to point at: show the `with:` mapping, or the plugin's name.
    const entry = issue.path[1];
    const where = (typeof entry === "number" ? param?.entrySpans?.[entry] : undefined) ?? param?.value.span ?? plugin.paramsSpan ?? plugin.name.span;
    bag.error(hyp?.code ?? Codes.BadParameter, file, where, issue.message, hyp?.help === undefined ? {} : { help: hyp.help });
  }
}

/**
 * A manifest default, normalised like a user's value; `""` is "not set", for any type (a
 * duration with no default, say). A default that does not fit its own type is a bug in the
 * prebuilt, not in the user's config: fail loudly so its tests catch it.
 */
function defaultOf(prebuilt: PrebuiltDefinition, name: string): string {
  const spec = prebuilt.params.find((p) => p.name === name)!;
  if (spec.default === undefined || spec.default === "") return "";
  const result = normaliseParam(spec, spec.default);
  if (!result.ok) throw new Error(`${prebuilt.path}: the default of parameter \`${name}\` is invalid: ${result.message}`);
  return result.value;
}
