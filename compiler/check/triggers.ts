import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";
import { span } from "../source/source-file.js";

/**
 * Only roots are triggered; a child runs when a parent's conditional leads to it. A
 * `trigger_type` on a child is therefore ignored, which the user should hear about.
 */
export function warnTriggersOnChildren(config: ConfigModel, parents: readonly (readonly number[])[], bag: DiagnosticBag): void {
  config.plugins.forEach((plugin, index) => {
    const types = plugin.trigger?.types;
    const parent = parents[index]![0];
    if (types === undefined || types.length === 0 || parent === undefined) return;
    const where = span(types[0]!.span.start, types[types.length - 1]!.span.end);
    const parentName = config.plugins[parent]!.name.value;
    bag.warning(
      Codes.TriggerOnChild,
      config.file,
      where,
      `\`${plugin.name.value}\` is a child of \`${parentName}\`, so its \`trigger_type\` is ignored`,
      { help: "children run when a parent's conditional matches; remove `trigger_type` here" },
    );
  });
}
