/**
 * What check needs from the outside world: the bytes of files the config names (scripts to
 * inline). The CLI reads the disk; tests hand in a map. Keeping it this small keeps check pure.
 */
export interface CompilerHost {
  /**
   * The bytes of `path` as written in the config, relative to the config's folder;
   * `undefined` when it cannot be read.
   */
  readRelative(path: string): Uint8Array | undefined;
}
