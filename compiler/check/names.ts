import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import { TERMINAL_CHILD_NAMES, type ConfigModel } from "../model/model.js";

/**
 * Plugin names are how conditionals point at plugins, so each must be unique and none may be
 * a word that `child_name` reads as "end of branch". Returns each name's first plugin
 * (0-based), which is what a reference to a duplicated name resolves to.
 */
export function indexPluginNames(config: ConfigModel, bag: DiagnosticBag): ReadonlyMap<string, number> {
  const byName = new Map<string, number>();
  config.plugins.forEach((plugin, index) => {
    const name = plugin.name;
    if ((TERMINAL_CHILD_NAMES as readonly string[]).includes(name.value)) {
      bag.error(Codes.ReservedName, config.file, name.span, `\`${name.value}\` cannot name a plugin: in \`child_name\` it ends a branch`, {
        help: "choose another name",
      });
    }
    const first = byName.get(name.value);
    if (first === undefined) {
      byName.set(name.value, index);
      return;
    }
    bag.error(Codes.DuplicateName, config.file, name.span, `duplicate plugin name \`${name.value}\``, {
      notes: [{ message: "first used here", file: config.file, span: config.plugins[first]!.name.span }],
      help: "conditionals name their children, so every plugin needs a name of its own",
    });
  });
  return byName;
}
