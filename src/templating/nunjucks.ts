/** @module The binding to nunjucks (layer L3): the one file that imports it, with types for the undocumented parts Flagon uses. */
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';

/** The parts of a nunjucks AST node Flagon reads. */
export interface AstNode {
  typename: string;
  cond?: AstNode;
  extName?: string;
  args?: { children: Array<{ typename: string; value?: unknown }> };
  left?: AstNode;
  right?: AstNode;
  lineno?: number;
  colno?: number;
  name?: AstNode & { value?: string };
  target?: AstNode;
  val?: AstNode & { value?: unknown };
  body?: AstNode;
  value?: unknown;
  expr?: AstNode;
  ops?: Array<{ type: string; expr: AstNode }>;
  children?: AstNode[];
  targets?: Array<AstNode & { value?: string }>;
}

/** A compile-time scope of nunjucks's compiler (its runtime `Frame` class): which JavaScript variable holds a name. */
export interface CompileFrame {
  variables: Record<string, string | undefined>;
  parent: CompileFrame | undefined;
  set(name: string, id: string): void;
  lookup(name: string): string | null | undefined;
  push(isolateWrites?: boolean): CompileFrame;
}

/** A token of nunjucks's lexer. */
export interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

/** The parts of nunjucks's (undocumented) lexer that Flagon's parse() adjusts: it hands out tokens one at a time. */
export interface Tokenizer {
  readonly str: string;
  index: number;
  /** Where the lexer stands (0-based line and column). */
  readonly lineno: number;
  readonly colno: number;
  /** Inside `{{ }}` or `{% %}`, where the text is code. */
  in_code: boolean;
  /** The delimiters it reads. */
  readonly tags: Readonly<
    Record<'BLOCK_START' | 'BLOCK_END' | 'VARIABLE_START' | 'VARIABLE_END' | 'COMMENT_START' | 'COMMENT_END', string>
  >;
  nextToken(): Token | null;
  forwardN(count: number): void;
  backN(count: number): void;
  /** Where trim_blocks last dropped a line break (parser.ts's blockWhitespace), for a raw block to take it back. */
  trimmedAt?: number;
  /** Reads a string literal from its opening `quote` to past its closing one. */
  _parseString(quote: string): string;
}

/** The parts of nunjucks's (undocumented) Parser that Flagon's parse() adjusts. */
export interface NunjucksParser {
  extensions: unknown[];
  readonly tokens: Tokenizer;
  peekToken(): Token;
  nextToken(): Token;
  skipSymbol(name: string): boolean;
  parseCompare(): AstNode;
  parsePrimary(): AstNode;
  parseIs(): AstNode;
  parseMul(): AstNode;
  parsePow(): AstNode;
  parseFilter(node: AstNode): AstNode;
  /** A call's arguments; `null` only when `tolerant` and there are none (no parenthesis). */
  parseSignature(tolerant?: boolean, noParens?: boolean): AstNode;
  parseExpression(): AstNode;
  skip(type: string): boolean;
  skipValue(type: string, value: string): boolean;
  parseUntilBlocks(...names: string[]): AstNode;
  parsePostfix(node: AstNode): AstNode & { args?: { children: AstNode[] } };
  parseFilterArgs(node: AstNode): AstNode[];
  fail(message: string, lineno?: number, colno?: number): never;
  parseAsRoot(): AstNode;
  parseSet(): AstNode;
  parseFilterStatement(): AstNode;
  parseFor(): AstNode;
  parseInclude(): AstNode;
  parseBlock(): AstNode;
  parseAggregate(): AstNode | null;
  parseRaw(name?: string): AstNode;
  /** Set after a `-%}`: the next text loses its leading whitespace. */
  dropLeadingWhitespace: boolean;
  advanceAfterBlockEnd(name?: string): Token;
  parseWithContext(): boolean | null;
  parseFilterName(): AstNode;
}

/** The parts of nunjucks's (undocumented) Compiler that Flagon's compiler builds on. */
export interface NunjucksCompiler {
  _emit(code: string): void;
  _emitLine(code: string): void;
  _emitFuncBegin(node: AstNode, name: string): void;
  _compileMacro(node: AstNode, frame: unknown): string;
  compile(node: AstNode, frame?: unknown): void;
  compileExtends(node: AstNode, frame: unknown): void;
  compileIf(node: AstNode, frame: unknown, async?: boolean): void;
  compileCallExtension(node: AstNode, frame: unknown, async?: boolean): void;
  _emitLoopBindings(node: AstNode, arr: string, i: string, len: string): void;
  compileFor(node: AstNode, frame: unknown): void;
  compileLiteral(node: AstNode, frame: unknown): void;
  compileInlineIf(node: AstNode, frame: unknown): void;
  compileSet(node: AstNode, frame: unknown): void;
  compileFunCall(node: AstNode, frame: unknown): void;
  /** The callee's name nunjucks writes into a call's code, for the error when it is undefined. */
  _getNodeName(node: AstNode): string;
  compileInclude(node: AstNode, frame: unknown): void;
  compileBlock(node: AstNode, frame: unknown): void;
  compileSymbol(node: AstNode, frame: unknown): void;
  compilePair(node: AstNode, frame: unknown): void;
  compileLookupVal(node: AstNode, frame: unknown): void;
  compileCapture(node: AstNode, frame: unknown): void;
  compileConcat(node: AstNode, frame: unknown): void;
  compileCompare(node: AstNode, frame: unknown): void;
  compileMod(node: AstNode, frame: unknown): void;
  compileAdd(node: AstNode, frame: unknown): void;
  compileMul(node: AstNode, frame: unknown): void;
  compileGroup(node: AstNode, frame: unknown): void;
  compileArray(node: AstNode, frame: unknown): void;
  fail(message: string, lineno?: number, colno?: number): never;
  compileMacro(node: AstNode, frame: unknown): void;
  _compileExpression(node: AstNode, frame: unknown): void;
  _tmpid(): string;
  /** The callbacks open in the code being written (`})` each), closed at the end of its region. */
  _scopeClosers: string;
  _withScopedSyntax(write: () => void): void;
  getCode(): string;
  /** The variable the code being written outputs to. */
  readonly buffer: string;
  /** Writing a block's body (not a template's top level). */
  readonly inBlock: boolean;
}

/** The parts of nunjucks's AST node classes Flagon uses. */
export interface NodeClasses {
  [typename: string]: unknown;
  Group: { prototype: AstNode } & (new (lineno: number, colno: number, children: AstNode[]) => AstNode);
  Set: new (lineno: number, colno: number, targets: AstNode[], value?: AstNode | null) => AstNode;
  Capture: new (lineno: number, colno: number, body: AstNode) => AstNode;
  Filter: new (lineno: number, colno: number, name: AstNode, args: AstNode) => AstNode;
  Output: new (lineno: number, colno: number, children: AstNode[]) => AstNode;
  TemplateData: new (lineno: number, colno: number, value: string) => AstNode;
  For: new (
    lineno: number,
    colno: number,
    arr: AstNode,
    name: AstNode,
    body: AstNode,
    else_?: AstNode | null,
  ) => AstNode;
  Macro: new (lineno: number, colno: number, name: AstNode, args: AstNode, body: AstNode) => AstNode;
  Include: new (lineno: number, colno: number) => AstNode;
  Block: new (lineno: number, colno: number) => AstNode;
  Pair: new (lineno: number, colno: number, key: AstNode, value: AstNode) => AstNode;
  KeywordArgs: new (lineno: number, colno: number) => AstNode;
  Node: { extend(name: string, props: { fields: string[] }): TagNodeClass };
  Symbol: new (lineno: number, colno: number, value: string) => AstNode;
  Array: new (lineno: number, colno: number, children: AstNode[]) => AstNode;
  FunCall: new (lineno: number, colno: number, name: AstNode, args: AstNode) => AstNode;
  NodeList: new (lineno: number, colno: number, children: AstNode[]) => AstNode;
  Is: new (lineno: number, colno: number, left: AstNode, right: AstNode) => AstNode;
  Not: new (lineno: number, colno: number, target: AstNode) => AstNode;
  LookupVal: new (lineno: number, colno: number, target: AstNode, val: AstNode) => AstNode;
  Literal: new (lineno: number, colno: number, value: unknown) => AstNode;
}

/** A node class made by {@link defineNode}: its constructor takes the line, the column and the fields in order. */
export type TagNodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => AstNode;

interface Internals {
  nodes: NodeClasses;
  compiler: { Compiler: new (name: string, throwOnUndefined: boolean) => NunjucksCompiler };
  parser: { Parser: new (tokens: unknown) => NunjucksParser };
  lexer: { lex(src: string, opts: object): unknown; TOKEN_LEFT_PAREN: string; TOKEN_SYMBOL: string };
  lib: { TemplateError: new (message: string, lineno?: number, colno?: number) => Error; escape(text: string): string };
  runtime: {
    makeMacro(
      argNames: string[],
      kwargNames: string[],
      fn: (...args: unknown[]) => unknown,
    ): (...args: unknown[]) => unknown;
    markSafe(value: string): unknown;
    copySafeness(from: unknown, text: string): unknown;
    SafeString: new (text: string) => object;
  };
}
const internals = nunjucks as unknown as Internals;

export const { Environment, FileSystemLoader, Template } = nunjucks;
export type { ConfigureOptions } from 'nunjucks';
/** The prototype of nunjucks's Group node: a node made from it passes the compiler's type checks for expressions. */
export const groupNodePrototype = internals.nodes.Group.prototype;
/**
 * A node class for a tag Flagon's compiler writes itself (`compile<name>`), where a nunjucks extension's
 * CallExtension would hide what is inside from nunjucks's own passes: its `fields` are walked as nunjucks walks its
 * own nodes, so a `{% block %}` inside the tag is found.
 *
 * @example
 * const WithNode = defineNode('With', ['args', 'body']); // compiled by LocatingCompiler.compileWith
 * const SliceNode = defineNode('Slice', ['target', 'start', 'stop', 'step'], 'LookupVal'); // an expression
 */
export function defineNode(name: string, fields: string[], base: 'Node' | 'LookupVal' = 'Node'): TagNodeClass {
  if (internals.nodes[name] !== undefined) throw new Error(`nunjucks already has a node named ${name}`);
  // An expression node extends one nunjucks accepts as an expression (its compiler checks node classes).
  const parent = internals.nodes[base] as { extend(name: string, props: { fields: string[] }): TagNodeClass };
  const node = parent.extend(name, { fields });
  // nunjucks's transformer rebuilds a node it changes (a `super()` lifted out of it) from its class by this name.
  internals.nodes[name] = node;
  return node;
}
/** nunjucks's compiler class, to extend. */
export const { Compiler } = internals.compiler;
/** Parses template source into nunjucks's AST (syntax errors carry 1-based `lineno`/`colno`). */
/** nunjucks's AST pass that rewrites async filters; not on nunjucks's index, it sits beside the compiler (no exports map). */
export const { transform } = createRequire(import.meta.url)('nunjucks/src/transformer.js') as {
  transform(ast: AstNode, asyncFilters: string[], name: string): AstNode;
};
/** The error nunjucks throws and wraps others in (`name` is always 'Template render error'). */
export const NunjucksTemplateError = internals.lib.TemplateError;
/** Marks text as safe HTML for nunjucks's autoescaping. */
export const markSafe = (text: string): unknown => internals.runtime.markSafe(text);
/** nunjucks's macro maker: binds a call's positional and keyword arguments to the macro's parameters. */
export const makeMacro = internals.runtime.makeMacro;
/** `text`, marked safe when `from` is (nunjucks's own filters keep safeness this way). */
export const copySafeness = (from: unknown, text: string): unknown => internals.runtime.copySafeness(from, text);
/** Whether `value` is text marked safe (nunjucks's SafeString, Jinja's Markup). */
export const isMarkedSafe = (value: unknown): boolean => value instanceof internals.runtime.SafeString;
/** `&`, `<`, `>`, `"`, `'` (and `\\`) as HTML entities: nunjucks's autoescaping. */
export const escapeHtml = (text: string): string => internals.lib.escape(text);
/** nunjucks's AST node classes, for Flagon's parser (parser.ts) to build nodes with. */
export const nodeClasses: NodeClasses = internals.nodes;
/** A nunjucks parser over `src`'s tokens, for Flagon's parser (parser.ts) to adjust and run. */
export function createParser(src: string, opts: object): NunjucksParser {
  return new internals.parser.Parser(internals.lexer.lex(src, opts));
}
