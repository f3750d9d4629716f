/** @module Parsing `{% for %}` (layer L3): Jinja's recursive loops and names in parentheses, which nunjucks cannot read. */
import { type AstNode, defineNode, nodeClasses, type NunjucksParser } from './nunjucks.js';

/** `{% for item in tree recursive %}`: the For node inside, compiled by LocatingCompiler.compileRecursiveLoop. */
const RecursiveLoopNode = defineNode('RecursiveLoop', ['loop']);

/**
 * A `{% for %}` (nunjucks's parser reads the rest, given as `parseNunjucksFor`), with Jinja's `(key, value)` names in
 * parentheses, and Jinja's recursive loop: `recursive` after the iterable (`{% for item in tree recursive %}`), where
 * `loop(item.children)` renders the loop again for the children, which nunjucks called a syntax error.
 */
export function parseFor(parser: NunjucksParser, parseNunjucksFor: () => AstNode): AstNode {
  const { parseExpression, parsePrimary } = parser;
  let recursive = false;
  let grouped: { names: AstNode[]; tuple: boolean } | null = null;
  // The loop's names are the first primary parseFor reads: `(key, value)` in parentheses is read here.
  parser.parsePrimary = () => {
    parser.parsePrimary = parsePrimary;
    if (parser.peekToken().type !== 'left-paren') return parsePrimary.call(parser);
    grouped = parseGroupedNames(parser, () => parsePrimary.call(parser));
    return grouped.names[0]!;
  };
  // The loop's iterable is the first expression parseFor reads; `recursive` follows it.
  parser.parseExpression = () => {
    parser.parseExpression = parseExpression;
    const iterable = parseExpression.call(parser);
    recursive = parser.skipSymbol('recursive');
    return iterable;
  };
  try {
    const loop = parseNunjucksFor();
    const group = grouped as { names: AstNode[]; tuple: boolean } | null;
    const names = loop.name?.typename === 'Array' ? (loop.name.children ?? []) : [loop.name];
    // `(a, b), c` and `a, (b, c)` unpack items inside items, which Flagon's loops do not.
    if ((group !== null && names.length > 1) || names.some((name) => name?.typename !== 'Symbol'))
      parser.fail(
        'a loop unpacks each item into names, {% for key, value in pairs %}; nested parentheses are not supported',
        loop.lineno,
        loop.colno,
      );
    if (group?.tuple && group.names.length === 1)
      parser.fail(
        "a loop's names in parentheses are two or more, (key, value): write {% for item in … %} and item[0]",
        loop.lineno,
        loop.colno,
      );
    if (group?.tuple)
      loop.name = new nodeClasses.Array(loop.lineno ?? 0, loop.colno ?? 0, group.names) as typeof loop.name;
    if ([...names, ...(group?.names ?? [])].some((name) => name?.value === 'loop'))
      parser.fail("a loop's variable cannot be named `loop` (Jinja's loop object): rename it", loop.lineno, loop.colno);
    return recursive ? new RecursiveLoopNode(loop.lineno ?? 0, loop.colno ?? 0, loop) : loop;
  } finally {
    parser.parseExpression = parseExpression;
    parser.parsePrimary = parsePrimary;
  }
}

/** `(key, value)`, a loop's names in parentheses, each read by `readName`; `tuple` unless one name without a comma. */
function parseGroupedNames(parser: NunjucksParser, readName: () => AstNode): { names: AstNode[]; tuple: boolean } {
  const open = parser.nextToken();
  const names = [readName()];
  let tuple = false;
  while (parser.skip('comma')) {
    tuple = true;
    if (parser.peekToken().type === 'right-paren') break;
    names.push(readName());
  }
  if (!parser.skip('right-paren')) parser.fail("expected ')' after the loop's names", open.lineno, open.colno);
  if (names.some((name) => name.typename !== 'Symbol'))
    parser.fail('a loop unpacks each item into names, {% for (key, value) in pairs %}', open.lineno, open.colno);
  return { names, tuple };
}
