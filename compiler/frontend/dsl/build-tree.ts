import type { CstElement, CstNode, IToken } from "chevrotain";
import { Codes } from "../../diagnostics/codes.js";
import type { DiagnosticBag } from "../../diagnostics/diagnostic.js";
import { span, type SourceFile, type Span } from "../../source/source-file.js";
import { decodeString } from "./strings.js";
import { type DslList, type DslMap, type DslNode, type DslScalar, joinSpans } from "./dsl-tree.js";
import * as T from "./tokens.js";

/**
 * A syntax-error-free CST to the YAML's data model (see dsl-tree.ts). The statements may come in
 * any order and `probe`, `import`, `sink` and `plugin` repeat; a setting given twice in one place
 * is the DSL's duplicate key, reported where the second one is, like the YAML's.
 */
export function buildTree(cst: CstNode, file: SourceFile, bag: DiagnosticBag): DslMap {
  return new TreeBuilder(file, bag).file(cst);
}

const TRIGGER_OF: Readonly<Record<string, string>> = {
  liveness: "on_liveness_failure",
  readiness: "on_readiness_failure",
  startup: "on_startup_failure",
  periodic: "periodic",
  manual: "manual",
};

class TreeBuilder {
  constructor(
    private readonly file_: SourceFile,
    private readonly bag: DiagnosticBag,
  ) {}

  file(cst: CstNode): DslMap {
    const root = newMap(span(0, 0));
    let first = true;
    for (const statement of nodes(cst, "statement")) {
      const inner = onlyChild(statement);
      const where = spanOf(inner);
      if (first) root.span = where;
      else root.span = joinSpans(root.span, where);
      first = false;
      this.statement(root, inner);
    }
    return root;
  }

  private statement(root: DslMap, node: CstNode): void {
    const keyword = firstToken(node);
    switch (node.name) {
      case "versionStatement":
        this.set(root, "version", tokenSpan(keyword), this.scalar(token(node, "Number")));
        break;
      case "serviceStatement":
        this.set(root, "service", tokenSpan(keyword), this.name(only(node, "name")));
        break;
      case "importStatement":
        this.append(root, "imports", tokenSpan(keyword), this.scalar(token(node, "StringLiteral")));
        break;
      case "probeStatement":
        this.probe(root, node);
        break;
      case "cooldownStatement":
        this.set(this.child(root, "probes", tokenSpan(keyword)), "cooldown", tokenSpan(keyword), this.scalar(token(node, "Duration")));
        break;
      case "reportStatement":
        this.settings(this.child(root, "report", tokenSpan(keyword)), nodes(node, "setting"));
        break;
      case "sinkStatement": {
        const sink = newMap(spanOf(node));
        const type = token(node, "Word");
        this.set(sink, "type", tokenSpan(keyword), this.scalar(type));
        this.settings(sink, nodes(node, "setting"));
        this.append(root, "sinks", tokenSpan(keyword), sink);
        break;
      }
      case "pluginStatement":
        this.plugin(root, node);
        break;
      // A `stray` never reaches here: it is a syntax error.
    }
  }

  private probe(root: DslMap, node: CstNode): void {
    const keyword = firstToken(node);
    const kindToken = [...tokensOf(node, "Liveness"), ...tokensOf(node, "Readiness"), ...tokensOf(node, "Startup")][0]!;
    const probes = this.child(root, "probes", tokenSpan(keyword));
    const probe = newMap(spanOf(node));
    const head = joinSpans(tokenSpan(keyword), tokenSpan(kindToken));
    const exec = tokensOf(node, "Exec")[0];
    if (exec !== undefined) {
      this.set(probe, "exec", tokenSpan(exec), this.scalar(token(node, "StringLiteral")));
      const timeout = tokensOf(node, "Timeout")[0];
      if (timeout !== undefined) this.set(probe, "timeout", tokenSpan(timeout), this.scalar(token(node, "Duration")));
    } else {
      const check = [...tokensOf(node, "Http"), ...tokensOf(node, "Tcp")][0]!;
      const settings = newMap(spanOf(node));
      // `timeout` is the probe's, not the check's: `probe readiness http port 80 timeout 2s`.
      const own = nodes(node, "setting").filter((setting) => keyOf(setting).text !== "timeout");
      this.settings(settings, own);
      settings.span = own.length > 0 ? joinSpans(spanOf(own[0]!), spanOf(own[own.length - 1]!)) : tokenSpan(check);
      this.set(probe, check.image, tokenSpan(check), settings);
      this.settings(
        probe,
        nodes(node, "setting").filter((setting) => keyOf(setting).text === "timeout"),
      );
    }
    this.set(probes, kindToken.image, head, probe);
  }

  private plugin(root: DslMap, node: CstNode): void {
    const keyword = firstToken(node);
    const plugin = newMap(spanOf(node));
    const names = nodes(node, "name");
    this.set(plugin, "name", spanOf(names[0]!), this.name(names[0]!));
    const kind = [...tokensOf(node, "Shell"), ...tokensOf(node, "Script"), ...tokensOf(node, "Prebuilt")][0]!;
    this.set(plugin, "type", tokenSpan(kind), scalarOf(kind.image, kind.image, tokenSpan(kind)));
    const literal = tokensOf(node, "StringLiteral")[0];
    if (kind.tokenType === T.Shell) this.set(plugin, "shell_command", tokenSpan(kind), this.scalar(literal!));
    if (kind.tokenType === T.Script) this.set(plugin, "path", tokenSpan(kind), this.scalar(literal!));
    if (kind.tokenType === T.Prebuilt && names[1] !== undefined) this.set(plugin, "prebuilt", tokenSpan(kind), this.name(names[1]));
    for (const clause of nodes(node, "clause")) this.clause(plugin, clause);
    const item = newMap(spanOf(node));
    this.set(item, "plugin", tokenSpan(keyword), plugin);
    this.append(root, "plugins", tokenSpan(keyword), item);
  }

  private clause(plugin: DslMap, node: CstNode): void {
    const keyword = firstToken(node);
    const at = tokenSpan(keyword);
    switch (keyword.tokenType) {
      case T.Hypothesis:
        this.set(plugin, "hypothesis", at, this.scalar(token(node, "StringLiteral")));
        break;
      case T.Parallel:
        this.set(plugin, "parallel", at, scalarOf(true, "parallel", at));
        break;
      case T.On: {
        const triggers = nodes(node, "trigger").map((trigger) => {
          const words = ownTokens(trigger);
          return scalarOf(TRIGGER_OF[words[0]!.image]!, words.map((w) => w.image).join(" "), spanOf(trigger));
        });
        const list: DslList = { kind: "list", items: triggers, span: joinSpans(triggers[0]!.span, triggers[triggers.length - 1]!.span) };
        this.set(this.child(plugin, "trigger", at), "trigger_type", at, list);
        break;
      }
      case T.Every:
        this.set(this.child(plugin, "trigger", at), "trigger_interval", at, this.scalar(token(node, "Duration")));
        break;
      case T.Timeout:
        this.set(this.child(plugin, "trigger", at), "trigger_timeout", at, this.scalar(token(node, "Duration")));
        break;
      case T.When: {
        const conditional = newMap(spanOf(node));
        const response = firstToken(only(node, "response"));
        this.set(conditional, "response", at, scalarOf(response.image, response.image, tokenSpan(response)));
        const stop = tokensOf(node, "Stop")[0];
        const arrow = token(node, "Arrow");
        this.set(conditional, "child_name", tokenSpan(arrow), stop ? scalarOf(null, "stop", tokenSpan(stop)) : this.name(only(node, "name")));
        this.append(plugin, "conditionals", at, conditional);
        break;
      }
      case T.With: {
        const parameter = only(node, "parameter");
        const name = firstToken(parameter);
        const key = isString(name) ? decodeString(name.image).value : name.image;
        this.set(this.child(plugin, "with", at), key, tokenSpan(name), this.values(nodes(parameter, "value")));
        break;
      }
    }
  }

  private settings(into: DslMap, settings: readonly CstNode[]): void {
    for (const setting of settings) {
      const key = keyOf(setting);
      this.set(into, key.text, key.span, this.values(nodes(setting, "value")));
    }
  }

  /** `a` is one value, `a, b` a list of them. */
  private values(cst: readonly CstNode[]): DslNode {
    const values = cst.map((value) => this.value(value));
    if (values.length === 1) return values[0]!;
    return { kind: "list", items: values, span: joinSpans(values[0]!.span, values[values.length - 1]!.span) };
  }

  private value(node: CstNode): DslNode {
    const scalar = nodes(node, "scalar")[0];
    if (scalar !== undefined) {
      const tok = firstToken(scalar);
      if (tok.tokenType === T.Word && (tok.image === "true" || tok.image === "false")) {
        return scalarOf(tok.image === "true", tok.image, tokenSpan(tok));
      }
      return this.scalar(tok);
    }
    const whole = spanOf(node);
    if (tokensOf(node, "LBracket").length > 0) {
      return { kind: "list", items: nodes(node, "value").map((item) => this.value(item)), span: whole };
    }
    const map = newMap(whole);
    for (const entry of nodes(node, "entry")) {
      const key = keyOf(entry);
      this.set(map, key.text, key.span, this.value(only(entry, "value")));
    }
    return map;
  }

  private name(node: CstNode): DslScalar {
    const tok = firstToken(node);
    const text = isString(tok) ? decodeString(tok.image).value : tok.image;
    return scalarOf(text, text, tokenSpan(tok));
  }

  /** A token as a value: strings decoded, numbers as numbers, everything else as written. */
  private scalar(tok: IToken): DslScalar {
    const at = tokenSpan(tok);
    if (isString(tok)) {
      const text = decodeString(tok.image).value;
      return scalarOf(text, text, at);
    }
    if (tok.tokenType === T.NumberLiteral) return scalarOf(Number(tok.image), tok.image, at);
    return scalarOf(tok.image, tok.image, at);
  }

  private set(map: DslMap, key: string, keySpan: Span, node: DslNode): void {
    const earlier = map.entries.get(key);
    if (earlier !== undefined) {
      this.bag.error(Codes.DuplicateKey, this.file_, keySpan, `\`${this.file_.text.slice(keySpan.start, keySpan.end)}\` is given twice here`, {
        notes: [{ message: "first given here", file: this.file_, span: earlier.keySpan }],
        help: "keep one of them",
      });
      return;
    }
    map.entries.set(key, { keySpan, node });
  }

  private append(map: DslMap, key: string, keySpan: Span, item: DslNode): void {
    const entry = map.entries.get(key);
    if (entry === undefined) {
      map.entries.set(key, { keySpan, node: { kind: "list", items: [item], span: item.span } });
      return;
    }
    const list = entry.node as DslList;
    list.items.push(item);
    list.span = joinSpans(list.span, item.span);
  }

  /** The mapping under `key`, made on first use (`probes`, `report`, `trigger`, `with`). */
  private child(map: DslMap, key: string, keySpan: Span): DslMap {
    const entry = map.entries.get(key);
    if (entry !== undefined) return entry.node as DslMap;
    const child = newMap(keySpan);
    map.entries.set(key, { keySpan, node: child });
    return child;
  }
}

function isString(tok: IToken): boolean {
  return T.tokenMatcher(tok, T.StringLiteral);
}

function newMap(where: Span): DslMap {
  return { kind: "map", entries: new Map(), span: where };
}

function scalarOf(value: DslScalar["value"], text: string, where: Span): DslScalar {
  return { kind: "scalar", value, text, span: where };
}

function keyOf(setting: CstNode): { readonly text: string; readonly span: Span } {
  const tok = firstToken(only(setting, "key"));
  const text = isString(tok) ? decodeString(tok.image).value : tok.image;
  return { text, span: tokenSpan(tok) };
}

// ---- CST access. chevrotain groups a node's children by name; these read them back.

function isToken(element: CstElement): element is IToken {
  return "image" in element;
}

function nodes(node: CstNode, name: string): CstNode[] {
  return ((node.children[name] ?? []) as CstElement[]).filter((child): child is CstNode => !isToken(child));
}

function only(node: CstNode, name: string): CstNode {
  return nodes(node, name)[0]!;
}

function onlyChild(node: CstNode): CstNode {
  const [name] = Object.keys(node.children);
  return only(node, name!);
}

function tokensOf(node: CstNode, name: string): IToken[] {
  return ((node.children[name] ?? []) as CstElement[]).filter(isToken);
}

/** The first token of `name` among the node's own children (a category matches its members). */
function token(node: CstNode, name: string): IToken {
  return tokensOf(node, name)[0]!;
}

/** Every token under `node`, in source order. */
export function tokensIn(node: CstNode): IToken[] {
  const out: IToken[] = [];
  for (const children of Object.values(node.children)) {
    for (const child of children as CstElement[]) {
      if (isToken(child)) out.push(child);
      else out.push(...tokensIn(child));
    }
  }
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** The node's own tokens (not its sub-rules'), in source order. */
function ownTokens(node: CstNode): IToken[] {
  const out: IToken[] = [];
  for (const children of Object.values(node.children)) {
    for (const child of children as CstElement[]) if (isToken(child)) out.push(child);
  }
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** A statement's or clause's keyword, or the token of a one-token rule: its first own token. */
function firstToken(node: CstNode): IToken {
  let first: IToken | undefined;
  for (const children of Object.values(node.children)) {
    const child = (children as CstElement[])[0]!;
    if (isToken(child) && (first === undefined || child.startOffset < first.startOffset)) first = child;
  }
  return first!;
}

export function tokenSpan(tok: IToken): Span {
  return span(tok.startOffset, (tok.endOffset ?? tok.startOffset) + 1);
}

function spanOf(node: CstNode): Span {
  const location = node.location!;
  return span(location.startOffset, (location.endOffset ?? location.startOffset) + 1);
}
