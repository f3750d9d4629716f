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

/** The parts of nunjucks's (undocumented) Parser that Flagon's parse() adjusts. */
interface NunjucksParser {
  extensions: unknown[];
  peekToken(): { type: string; value: string; lineno: number; colno: number };
  nextToken(): { type: string; value: string; lineno: number; colno: number };
  skipSymbol(name: string): boolean;
  parseCompare(): AstNode;
  parsePrimary(): AstNode;
  parseIs(): AstNode;
  parsePostfix(node: AstNode): AstNode & { args?: { children: AstNode[] } };
  parseFilterArgs(node: AstNode): AstNode[];
  fail(message: string, lineno?: number, colno?: number): never;
  parseAsRoot(): AstNode;
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
  compileLookupVal(node: AstNode, frame: unknown): void;
  compileCapture(node: AstNode, frame: unknown): void;
  compileConcat(node: AstNode, frame: unknown): void;
  compileCompare(node: AstNode, frame: unknown): void;
  fail(message: string, lineno?: number, colno?: number): never;
  compileMacro(node: AstNode, frame: unknown): void;
  _compileExpression(node: AstNode, frame: unknown): void;
  _tmpid(): string;
  getCode(): string;
}

/** The parts of nunjucks's AST node classes Flagon uses. */
interface NodeClasses {
  [typename: string]: unknown;
  Group: { prototype: AstNode };
  Node: { extend(name: string, props: { fields: string[] }): TagNodeClass };
  Symbol: new (lineno: number, colno: number, value: string) => AstNode;
  FunCall: new (lineno: number, colno: number, name: AstNode, args: AstNode) => AstNode;
  NodeList: new (lineno: number, colno: number, children: AstNode[]) => AstNode;
  Is: new (lineno: number, colno: number, left: AstNode, right: AstNode) => AstNode;
  Not: new (lineno: number, colno: number, target: AstNode) => AstNode;
}

/** Tokens that begin the one argument of a test written without parentheses (Jinja's `x is divisibleby 3`). */
const TEST_ARGUMENT_STARTS = new Set([
  'symbol',
  'string',
  'int',
  'float',
  'boolean',
  'none',
  'left-paren',
  'left-bracket',
  'left-curly',
]);

/** A node class made by {@link defineNode}: its constructor takes the line, the column and the fields in order. */
export type TagNodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => AstNode;

interface Internals {
  nodes: NodeClasses;
  compiler: { Compiler: new (name: string, throwOnUndefined: boolean) => NunjucksCompiler };
  parser: { Parser: new (tokens: unknown) => NunjucksParser };
  lexer: { lex(src: string, opts: object): unknown; TOKEN_LEFT_PAREN: string; TOKEN_SYMBOL: string };
  lib: { TemplateError: new (message: string, lineno?: number, colno?: number) => Error; escape(text: string): string };
  runtime: {
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
 */
export function defineNode(name: string, fields: string[]): TagNodeClass {
  if (internals.nodes[name] !== undefined) throw new Error(`nunjucks already has a node named ${name}`);
  const node = internals.nodes.Node.extend(name, { fields });
  // nunjucks's transformer rebuilds a node it changes (a `super()` lifted out of it) from its class by this name.
  internals.nodes[name] = node;
  return node;
}
/** nunjucks's compiler class, to extend. */
export const { Compiler } = internals.compiler;
/** Parses template source into nunjucks's AST (syntax errors carry 1-based `lineno`/`colno`). */
export function parse(src: string, extensions: unknown[], opts: object): AstNode {
  const parser: NunjucksParser = new internals.parser.Parser(internals.lexer.lex(src, opts));
  parser.extensions = extensions;
  const parseFilterArgs = parser.parseFilterArgs.bind(parser);
  // `users|first(…).name` made nunjucks read `.name` as the filter's call and crash ("Cannot read properties of
  // undefined (reading 'children')", no line); Jinja calls it a syntax error, and so does this, at the `.`.
  parser.parseFilterArgs = (node) => {
    if (parser.peekToken().type !== internals.lexer.TOKEN_LEFT_PAREN) return parseFilterArgs(node);
    const call = parser.parsePostfix(node);
    if (call.args === undefined) {
      parser.fail(
        "a filter's arguments cannot be followed by `.name` or `[…]`: put the filter in parentheses, as in `(users|first).name`",
        call.lineno,
        call.colno,
      );
    }
    return call.args.children;
  };
  parser.parseIs = () => parseIs(parser);
  return parser.parseAsRoot();
}

/**
 * Jinja's `x is test`, `x is not test`, and a test's single argument without parentheses (`loop.index is divisibleby
 * 3`, `x is in [1, 2]`, `x is sameas false`), which nunjucks read as a syntax error; `is divisibleby(3)` as before.
 */
function parseIs(parser: NunjucksParser): AstNode {
  const { nodes } = internals;
  const left = parser.parseCompare();
  if (!parser.skipSymbol('is')) return left;
  const negated = parser.skipSymbol('not');
  let test: AstNode;
  const name = parser.peekToken();
  if (name?.type === internals.lexer.TOKEN_SYMBOL) {
    parser.nextToken();
    test = new nodes.Symbol(name.lineno, name.colno, name.value);
    // `divisibleby(3)` is a call; `in [1, 2]` is a test and its argument, not an index.
    if (parser.peekToken()?.type === internals.lexer.TOKEN_LEFT_PAREN) test = parser.parsePostfix(test);
    const next = parser.peekToken();
    const argumentFollows =
      test.typename === 'Symbol' &&
      next !== null &&
      TEST_ARGUMENT_STARTS.has(next.type) &&
      !(next.type === 'symbol' && ['else', 'or', 'and'].includes(next.value));
    if (argumentFollows) {
      const argument = parser.parsePrimary();
      test = new nodes.FunCall(name.lineno, name.colno, test, new nodes.NodeList(name.lineno, name.colno, [argument]));
    }
  } else {
    test = parser.parseCompare();
  }
  const is = new nodes.Is(left.lineno ?? 0, left.colno ?? 0, left, test);
  return negated ? new nodes.Not(is.lineno ?? 0, is.colno ?? 0, is) : is;
}
/** nunjucks's AST pass that rewrites async filters; not on nunjucks's index, it sits beside the compiler (no exports map). */
export const { transform } = createRequire(import.meta.url)('nunjucks/src/transformer.js') as {
  transform(ast: AstNode, asyncFilters: string[], name: string): AstNode;
};
/** The error nunjucks throws and wraps others in (`name` is always 'Template render error'). */
export const NunjucksTemplateError = internals.lib.TemplateError;
/** Marks text as safe HTML for nunjucks's autoescaping. */
export const markSafe = (text: string): unknown => internals.runtime.markSafe(text);
/** `text`, marked safe when `from` is (nunjucks's own filters keep safeness this way). */
export const copySafeness = (from: unknown, text: string): unknown => internals.runtime.copySafeness(from, text);
/** Whether `value` is text marked safe (nunjucks's SafeString, Jinja's Markup). */
export const isMarkedSafe = (value: unknown): boolean => value instanceof internals.runtime.SafeString;
/** `&`, `<`, `>`, `"`, `'` (and `\\`) as HTML entities: nunjucks's autoescaping. */
export const escapeHtml = (text: string): string => internals.lib.escape(text);
