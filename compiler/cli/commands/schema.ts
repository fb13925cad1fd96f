import { renderJsonSchema } from "../../schema/json-schema.js";
import { SCHEMA_FILE } from "../../schema/modeline.js";
import { type CliIo, ExitCode } from "../io.js";
import { loadLibrary } from "../load-library.js";
import { writeOutput } from "../write-output.js";

export interface SchemaOptions {
  readonly output?: string;
  readonly check?: boolean;
}

/**
 * `schema [-o FILE] [--check]`: the JSON Schema of the YAML config (draft-07), with the stdlib's
 * prebuilts and their parameters; the package ships it as schema/hypothecary.schema.json.
 */
export function schemaCommand(io: CliIo, options: SchemaOptions): number {
  if (options.check && !options.output) {
    io.stderr.write(`hypothecary: schema --check needs -o FILE, e.g. -o ${SCHEMA_FILE}\n`);
    return ExitCode.usage;
  }
  const text = renderJsonSchema([...loadLibrary().prebuilts.values()]);
  return writeOutput(io, text, { ...options, redo: `hypothecary schema -o ${options.output ?? ""}` });
}
