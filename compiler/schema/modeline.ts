/**
 * The first line of a YAML config that points editors at the JSON Schema (yaml-language-server:
 * VS Code's YAML extension, Neovim, Helix, JetBrains...). `hypothecary schema` writes the schema;
 * the package ships it as SCHEMA_FILE. One place for the words, so `init`, the examples and
 * `convert` agree.
 */

/** The schema's path inside the package (and the repository). */
export const SCHEMA_FILE = "schema/hypothecary.schema.json";

/** Where a project that installed hypothecary with npm finds the schema, from its own root. */
export const INSTALLED_SCHEMA_FILE = `node_modules/hypothecary/${SCHEMA_FILE}`;

const PREFIX = "# yaml-language-server: $schema=";

/** The modeline for a schema at `schemaRef` (a path relative to the config's folder, or a URL). */
export function modeline(schemaRef: string = INSTALLED_SCHEMA_FILE): string {
  return `${PREFIX}${schemaRef}`;
}

/** The line every file in examples/ starts with. */
export const EXAMPLES_MODELINE = modeline(`../${SCHEMA_FILE}`);

/**
 * Whether a comment's text (after `#`) is a yaml-language-server modeline. Such a line means
 * something to YAML editors only; `convert` leaves it out of a .hyp file.
 */
export function isModelineComment(text: string): boolean {
  return /^\s*yaml-language-server\s*:/.test(text);
}
