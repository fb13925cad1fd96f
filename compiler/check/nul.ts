import { Codes } from "../diagnostics/codes.js";
import type { DiagnosticBag } from "../diagnostics/diagnostic.js";
import type { ConfigModel, Located } from "../model/model.js";

/**
 * Every string the runner carries ends up in a shell word, and no shell string can hold a NUL
 * character. YAML can still produce one (`"\0"` in double quotes), so it is refused here.
 */
export function reportNulCharacters(config: ConfigModel, bag: DiagnosticBag): void {
  const check = (what: string, text: Located<string> | undefined) => {
    if (text === undefined || !text.value.includes("\u0000")) return;
    bag.error(Codes.NulCharacter, config.file, text.span, `${what} contains a NUL character, which the runner cannot carry`, {
      help: "remove the `\\0` escape",
    });
  };
  check("`service`", config.service);
  for (const destination of config.report?.to ?? []) {
    if (destination.value.kind === "file") check("the report file path", { value: destination.value.path, span: destination.span });
  }
  for (const probe of config.probes) {
    const texts =
      probe.check.kind === "exec"
        ? [probe.check.command]
        : probe.check.kind === "http"
          ? [probe.check.host, probe.check.path, ...probe.check.headers.flat()]
          : [probe.check.host];
    for (const text of texts) check(`the ${probe.kind} probe`, { value: text, span: probe.span });
  }
  for (const plugin of config.plugins) {
    check("`shell_command`", plugin.shellCommand);
    check("`path`", plugin.scriptPath);
    check("`hypothesis`", plugin.hypothesis);
    check("`prebuilt`", plugin.prebuilt);
    for (const param of plugin.params) {
      const values = Array.isArray(param.value.value) ? param.value.value : [param.value.value];
      for (const value of values) check(`parameter \`${param.key.value}\``, { value: String(value), span: param.value.span });
    }
  }
}
