import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel } from "../model/model.js";

/**
 * Keys the schema accepts (so their shape is checked today) but this version cannot act on.
 * Compiling them into a runner that silently ignores them would lie to the user.
 */
const WHAT_INSTEAD: Readonly<Record<string, { readonly message: string; readonly help: string }>> = {
  sinks: {
    message: "sinks are not implemented in this version yet",
    help: "remove `sinks:`; the report still goes to `report.to` (the container log by default)",
  },
};

export function reportUnsupported(config: ConfigModel, bag: DiagnosticBag): void {
  for (const key of config.unsupported) {
    const words = WHAT_INSTEAD[key.value] ?? {
      message: `\`${key.value}\` is not implemented in this version yet`,
      help: `remove \`${key.value}:\``,
    };
    bag.error(Codes.UnsupportedFeature, config.file, key.span, words.message, { help: words.help });
  }
}
