/** @module Jinja's `{% with %}` block for nunjucks (layer L3), which has no such tag: parsed here, compiled as a scope. */
import type { TagParser } from './autoescape-tag.js';
import { type AstNode, type CompileFrame, defineNode } from './nunjucks.js';

const WithNode = defineNode('With', ['args', 'body']);

/** The with blocks' compile-time scopes: a `{% set %}` inside one never writes past it. */
const withScopes = new WeakSet<CompileFrame>();

/**
 * `{% with messages = get_flashed_messages() %}…{% endwith %}`: Jinja's block that names values for its body only
 * (Flask's docs show message flashing with it). It is a scope, as in Jinja: the values are computed first, around
 * the block (`{% with a = 1, b = a %}` reads the outer `a`), a name shadows the same name around the block, and a
 * `{% set %}` inside stays inside. Included templates, call blocks and macros defined inside see the names; macros
 * defined elsewhere do not. The compiler writes it (LocatingCompiler's `compileWith`), so blocks inside it are found.
 *
 * @example
 * env.addExtension('with', new WithTag());
 * // {% with total = items | length %}{{ total }} items{% endwith %}
 */
export class WithTag {
  readonly tags = ['with'];

  parse(parser: TagParser): unknown {
    const tag = parser.nextToken();
    const args = parser.parseSignature(null, true);
    // `{% with %}` alone is a scope with no names: a `{% set %}` inside stays inside.
    const named = args.children.every((arg) => arg.typename === 'KeywordArgs');
    if (!named) parser.fail('with takes names and values: {% with total = items | length %}', tag.lineno, tag.colno);
    parser.advanceAfterBlockEnd(tag.value);
    const body = parser.parseUntilBlocks('endwith');
    parser.advanceAfterBlockEnd();
    return new WithNode(tag.lineno, tag.colno, args, body);
  }
}

/** What {@link compileWith} writes with: nunjucks's compiler (LocatingCompiler). */
export interface ScopeWriter {
  _tmpid(): string;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _compileExpression(node: AstNode, frame: unknown): void;
  compile(node: AstNode, frame?: unknown): void;
}

interface Pair {
  key: AstNode & { value: string };
  value: AstNode;
}

/**
 * Writes a `With` node as nunjucks writes a loop's scope: each value into a variable, then a frame holding the names
 * (isolated, so a `{% set %}` in it stays in it) for the body, popped after it.
 *
 * @example
 * compileWith(compiler, node, frame); // from LocatingCompiler.compileWith
 */
export function compileWith(writer: ScopeWriter, node: AstNode & { args: AstNode }, frame: CompileFrame): void {
  const pairs = (node.args as unknown as { children: Array<{ children: Pair[] }> }).children.flatMap(
    (keywords) => keywords.children,
  );
  const names = pairs.map((pair): [string, string] => {
    const id = writer._tmpid();
    writer._emit(`var ${id} = `);
    writer._compileExpression(pair.value, frame);
    writer._emitLine(';');
    return [pair.key.value, id];
  });
  compileScope(writer, names, node.body!, frame);
}

/**
 * Writes `body` in a scope of its own, as Jinja's `{% with %}` and `{% autoescape %}` blocks are: `names` (a name and
 * the variable holding its value) are set in it, and a `{% set %}` in it stays in it.
 *
 * @example
 * compileScope(compiler, [], node.body, frame); // {% autoescape %}: a scope without names
 */
export function compileScope(
  writer: ScopeWriter,
  names: ReadonlyArray<readonly [name: string, id: string]>,
  body: AstNode,
  frame: CompileFrame,
): void {
  const scope = frame.push(true);
  withScopes.add(scope);
  writer._emitLine('frame = frame.push(true);');
  for (const [name, id] of names) {
    scope.set(name, id);
    writer._emitLine(`frame.set(${JSON.stringify(name)}, ${id});`);
  }
  writer.compile(body, scope);
  writer._emitLine('frame = frame.pop();');
}

/**
 * Whether `frame` is inside a with or autoescape block: a macro defined there closes over the block's names.
 *
 * @example
 * if (insideScope(frame)) compileMacroWithFrame(node, frame);
 */
export function insideScope(frame: CompileFrame | undefined): boolean {
  for (let scope = frame; scope; scope = scope.parent) if (withScopes.has(scope)) return true;
  return false;
}

/**
 * Whether a `{% set name %}` in `frame` would write to a variable of a scope outside a with block (nunjucks's
 * compiler reuses whichever variable holds the name): the set then needs a variable of its own.
 *
 * @example
 * if (setReachesPastWith(frame, 'total')) frame.set('total', compiler._tmpid());
 */
export function setReachesPastWith(frame: CompileFrame, name: string): boolean {
  for (let scope: CompileFrame | undefined = frame; scope; scope = scope.parent) {
    if (scope.variables[name] !== undefined) return false;
    if (withScopes.has(scope)) return frame.lookup(name) != null;
  }
  return false;
}

/**
 * The compile-time scope a macro defined inside a with or autoescape block is written on: the block's names, but not
 * those the macro gives itself (its parameters, what it sets), which nunjucks would otherwise take from the block
 * (`{% with a = 1 %}{% macro m(a=5) %}` read the with's `a`, and a set inside wrote it).
 */
export function macroView(node: AstNode, frame: CompileFrame): CompileFrame {
  const view = frame.push(true);
  const own = new Set(parameterNames(node));
  collectSetNames(node.body, own);
  // `null` is a name known here without a variable: nunjucks then looks it up at run time, in the macro's own frame.
  for (const name of own) (view.variables as Record<string, string | null>)[name] = null;
  return view;
}

/**
 * The names of a macro's (or call block's) parameters, those with defaults included.
 *
 * @example
 * parameterNames(macroNode); // ['name', 'type'] for {% macro input(name, type='text') %}
 */
export function parameterNames(node: AstNode): string[] {
  return (node.args?.children ?? []).flatMap((param) =>
    param.typename === 'Symbol'
      ? [String(param.value)]
      : ((param as { children?: Array<{ key?: { value?: unknown } }> }).children ?? []).map((pair) =>
          String(pair.key?.value),
        ),
  );
}

function collectSetNames(node: unknown, into: Set<string>): void {
  if (typeof node !== 'object' || node === null) return;
  const { typename, targets, fields } = node as {
    typename?: string;
    targets?: Array<{ value?: unknown }>;
    fields?: string[];
  };
  if (typename === 'Set')
    for (const target of targets ?? []) if (typeof target.value === 'string') into.add(target.value);
  for (const field of fields ?? []) {
    const child = (node as Record<string, unknown>)[field];
    if (Array.isArray(child)) for (const item of child) collectSetNames(item, into);
    else collectSetNames(child, into);
  }
}
