/** @module Jinja's `{% autoescape %}` block for nunjucks (layer L3), which has no such tag. */
import { defineNode } from './nunjucks.js';

const AutoescapeNode = defineNode('Autoescape', ['args', 'body']);

/** The parts of nunjucks's parser a tag uses (nunjucks documents them for custom tags). */
export interface TagParser {
  nextToken(): { value: string; lineno: number; colno: number };
  parseSignature(throwErrors: null, noParens: true): { children: Array<{ typename: string; value?: unknown }> };
  parseExpression(): unknown;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
  fail(message: string, lineno?: number, colno?: number): never;
}

const SPELLINGS: Record<string, boolean> = { true: true, True: true, false: false, False: false };

/** The setting an `{% autoescape %}` tag's argument names: Jinja's `true`/`false` (or `True`/`False`), else `null`. */
export function autoescapeSetting(arg: { typename: string; value?: unknown } | undefined): boolean | null {
  if (arg?.typename === 'Literal' && typeof arg.value === 'boolean') return arg.value;
  if (arg?.typename === 'Symbol' && typeof arg.value === 'string') return SPELLINGS[arg.value] ?? null;
  return null;
}

/**
 * `{% autoescape false %}…{% endautoescape %}` (or `true`): Jinja's block that turns autoescaping off or on for the
 * output written in it, whatever the template's own setting. The setting is fixed when the template compiles: the
 * compiler (LocatingCompiler's `compileAutoescape`) writes the block's outputs with it, so a macro defined elsewhere,
 * an included template or a `{% block %}` inside keeps the template's own escaping, as in Jinja.
 *
 * @example
 * env.addExtension('autoescape', new AutoescapeTag());
 * // {% autoescape false %}{{ trusted_html }}{% endautoescape %}
 */
export class AutoescapeTag {
  readonly tags = ['autoescape'];

  parse(parser: TagParser): unknown {
    const tag = parser.nextToken();
    const args = parser.parseSignature(null, true);
    if (args.children.length !== 1 || autoescapeSetting(args.children[0]) === null)
      parser.fail('autoescape takes true or false: {% autoescape false %}', tag.lineno, tag.colno);
    parser.advanceAfterBlockEnd(tag.value);
    const body = parser.parseUntilBlocks('endautoescape');
    parser.advanceAfterBlockEnd();
    return new AutoescapeNode(tag.lineno, tag.colno, args, body);
  }
}
