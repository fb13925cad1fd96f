/**
 * The diagnostic catalogue. Codes never change meaning once released; add new ones at the end
 * of their group.
 */
export const Codes = {
  // HYP01xx: the file itself
  YamlSyntax: "HYP0101",
  DuplicateKey: "HYP0102",
  NotText: "HYP0103",
  /** A .hyp file that does not follow the DSL's grammar. */
  DslSyntax: "HYP0104",
  /** A .hyp string literal with no closing quote or an unknown escape. */
  DslBadString: "HYP0105",
  // HYP02xx: shape of the config
  UnknownKey: "HYP0201",
  WrongType: "HYP0202",
  MissingKey: "HYP0203",
  InvalidValue: "HYP0204",
  BadDuration: "HYP0205",
  BadName: "HYP0206",
  BadTriggerType: "HYP0207",
  BadResponse: "HYP0208",
  KeyNotForType: "HYP0209",
  /** Retired: was "accepted but not implemented yet" (`sinks:`, now implemented). Not reused. */
  UnsupportedFeature: "HYP0210",
  /** Text the runner must carry holds a NUL character, which no shell string can represent. */
  NulCharacter: "HYP0211",
  // HYP03xx: the graph of plugins
  DuplicateName: "HYP0301",
  UnknownChild: "HYP0302",
  Cycle: "HYP0303",
  ReservedName: "HYP0304",
  NoPlugins: "HYP0305",
  TriggerOnChild: "HYP0306",
  // HYP04xx: prebuilts and scripts
  UnknownPrebuilt: "HYP0401",
  BadParameter: "HYP0402",
  ScriptNotFound: "HYP0403",
  ScriptNotText: "HYP0404",
  /** An `imports:` entry that names no readable pack. */
  PackNotFound: "HYP0405",
  /** A pack file whose manifest header is wrong, or that clashes with another prebuilt. */
  BadPackPlugin: "HYP0406",
} as const;
