import type { CstNode, IToken } from "chevrotain";
import { CstParser } from "./chevrotain.js";
import { dslErrorMessages } from "./messages.js";
import * as T from "./tokens.js";

/**
 * The .hyp grammar. Newlines are only whitespace: every statement starts with a keyword, so a
 * runbook can be laid out as its author likes and the parser still knows where each part ends.
 *
 *   file      := statement*
 *   statement := version | service | import | probe | cooldown | report | sink | plugin | stray
 *   probe     := "probe" kind ( "exec" text ["timeout" duration] | ("http" | "tcp") setting* )
 *   report    := "report" setting*            sink := "sink" word setting*
 *   plugin    := "plugin" name ("shell" text | "script" text | "prebuilt" [name]) clause*
 *   clause    := "hypothesis" text | "parallel" | "on" trigger ("," trigger)* | "every" duration
 *              | "timeout" duration | "when" response "->" (name | "stop") | "with" word value ("," value)*
 *   setting   := key value ("," value)*       value := scalar | "[" values "]" | "{" key "=" value, … "}"
 *
 * `stray` takes a token no statement can start with, so one misplaced word costs one error
 * and the rest of the file is still read.
 */
class HypParser extends CstParser {
  constructor() {
    super([...T.ALL_TOKENS], {
      recoveryEnabled: true,
      errorMessageProvider: dslErrorMessages,
      maxLookahead: 2,
      // Every node's offsets, so spans need no walk over its tokens.
      nodeLocationTracking: "onlyOffset",
    });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.versionStatement) },
      { ALT: () => this.SUBRULE(this.serviceStatement) },
      { ALT: () => this.SUBRULE(this.importStatement) },
      { ALT: () => this.SUBRULE(this.probeStatement) },
      { ALT: () => this.SUBRULE(this.cooldownStatement) },
      { ALT: () => this.SUBRULE(this.reportStatement) },
      { ALT: () => this.SUBRULE(this.sinkStatement) },
      { ALT: () => this.SUBRULE(this.pluginStatement) },
      { ALT: () => this.SUBRULE(this.stray) },
    ]);
  });

  versionStatement = this.RULE("versionStatement", () => {
    this.CONSUME(T.Version);
    this.CONSUME(T.NumberLiteral);
  });

  serviceStatement = this.RULE("serviceStatement", () => {
    this.CONSUME(T.Service);
    this.SUBRULE(this.name);
  });

  importStatement = this.RULE("importStatement", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral);
  });

  probeStatement = this.RULE("probeStatement", () => {
    this.CONSUME(T.Probe);
    this.OR([{ ALT: () => this.CONSUME(T.Liveness) }, { ALT: () => this.CONSUME(T.Readiness) }, { ALT: () => this.CONSUME(T.Startup) }]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.Exec);
          this.CONSUME(T.StringLiteral);
          this.OPTION(() => {
            this.CONSUME(T.Timeout);
            this.CONSUME(T.Duration);
          });
        },
      },
      {
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(T.Http) }, { ALT: () => this.CONSUME(T.Tcp) }]);
          this.MANY(() => this.SUBRULE(this.setting));
        },
      },
    ]);
  });

  cooldownStatement = this.RULE("cooldownStatement", () => {
    this.CONSUME(T.Cooldown);
    this.CONSUME(T.Duration);
  });

  reportStatement = this.RULE("reportStatement", () => {
    this.CONSUME(T.Report);
    this.MANY(() => this.SUBRULE(this.setting));
  });

  sinkStatement = this.RULE("sinkStatement", () => {
    this.CONSUME(T.Sink);
    this.CONSUME(T.Word);
    this.MANY(() => this.SUBRULE(this.setting));
  });

  pluginStatement = this.RULE("pluginStatement", () => {
    this.CONSUME(T.Plugin);
    this.SUBRULE(this.name);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Shell);
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Script);
          this.CONSUME2(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Prebuilt);
          this.OPTION(() => this.SUBRULE2(this.name));
        },
      },
    ]);
    this.MANY(() => this.SUBRULE(this.clause));
  });

  clause = this.RULE("clause", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Hypothesis);
          this.CONSUME(T.StringLiteral);
        },
      },
      { ALT: () => this.CONSUME(T.Parallel) },
      {
        ALT: () => {
          this.CONSUME(T.On);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.trigger) });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Every);
          this.CONSUME(T.Duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Timeout);
          this.CONSUME2(T.Duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.When);
          this.SUBRULE(this.response);
          this.CONSUME(T.Arrow);
          this.OR2([{ ALT: () => this.CONSUME(T.Stop) }, { ALT: () => this.SUBRULE(this.name) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.With);
          this.SUBRULE(this.parameter);
        },
      },
    ]);
  });

  trigger = this.RULE("trigger", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Liveness) }, { ALT: () => this.CONSUME(T.Readiness) }, { ALT: () => this.CONSUME(T.Startup) }]);
          this.CONSUME(T.Failure);
        },
      },
      { ALT: () => this.CONSUME(T.Periodic) },
      { ALT: () => this.CONSUME(T.Manual) },
    ]);
  });

  /** `http_2xx`, `not_timeout`, `exit_3`, and the keywords that are also responses. */
  response = this.RULE("response", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Word) }, { ALT: () => this.CONSUME(T.Timeout) }, { ALT: () => this.CONSUME(T.Failure) }]);
  });

  name = this.RULE("name", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Duration) },
    ]);
  });

  setting = this.RULE("setting", () => {
    this.SUBRULE(this.key);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
  });

  /**
   * `with KEY value`: one parameter, so its name may be a keyword, `version` included; but not a
   * statement's, so a `with` the line ends on does not swallow the `plugin` after it.
   */
  parameter = this.RULE("parameter", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.OtherKeyword) },
      { ALT: () => this.CONSUME(T.Version) },
    ]);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
  });

  key = this.RULE("key", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Word) }, { ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.OtherKeyword) }]);
  });

  value = this.RULE("value", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.scalar) },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
          this.CONSUME(T.RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.MANY_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.entry) });
          this.CONSUME(T.RBrace);
        },
      },
    ]);
  });

  entry = this.RULE("entry", () => {
    this.SUBRULE(this.key);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.value);
  });

  scalar = this.RULE("scalar", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Duration) },
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(T.AnyKeyword) },
    ]);
  });

  /** A token no statement starts with: reported by the tree builder, skipped by the parser. */
  stray = this.RULE("stray", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Word) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.Duration) },
      { ALT: () => this.CONSUME(T.OtherKeyword) },
      { ALT: () => this.CONSUME(T.Arrow) },
      { ALT: () => this.CONSUME(T.Comma) },
      { ALT: () => this.CONSUME(T.Equals) },
      { ALT: () => this.CONSUME(T.LBracket) },
      { ALT: () => this.CONSUME(T.RBracket) },
      { ALT: () => this.CONSUME(T.LBrace) },
      { ALT: () => this.CONSUME(T.RBrace) },
    ]);
  });
}

/** One parser for the process: chevrotain's self-analysis is the costly part. */
export const hypParser = new HypParser();

export function parseTokens(tokens: IToken[]): CstNode {
  hypParser.input = tokens;
  return hypParser.file();
}
