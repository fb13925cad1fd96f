/**
 * What check needs from the outside world: the bytes of files the config names (scripts to
 * inline) and the plugin packs it imports. The CLI reads the disk; tests hand in a map. Keeping
 * it this small keeps check pure.
 */
export interface CompilerHost {
  /**
   * The bytes of `path` as written in the config, relative to the config's folder;
   * `undefined` when it cannot be read.
   */
  readRelative(path: string): Uint8Array | undefined;
  /**
   * The plugin pack an `imports:` entry names: a folder relative to the config's folder, or an
   * installed npm package. A string says why it cannot be read.
   */
  readPack(spec: string): PluginPack | string;
}

/** A folder of prebuilt plugins (`*.sh`) and the helpers they share (`lib/*.sh`). */
export interface PluginPack {
  /** Where diagnostics show the pack's files: relative to the working directory, `/`-separated. */
  readonly displayPath: string;
  /** Its files, `/`-separated paths inside the pack (`heartbeat.sh`, `lib/clock.sh`), sorted. */
  readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
}
