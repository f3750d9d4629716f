/** @module Jinja's `{% autoescape %}` block for nunjucks (layer L3), which has no such tag. */
import { markSafe } from './nunjucks.js';

/** The parts of nunjucks's parser a tag uses (nunjucks documents them for custom tags). */
export interface TagParser {
  nextToken(): { value: string; lineno: number; colno: number };
  parseSignature(throwErrors: null, noParens: true): { children: Array<{ typename: string; value?: unknown }> };
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
  fail(message: string, lineno?: number, colno?: number): never;
}

export interface TagNodes {
  CallExtension: new (extension: object, method: string, args: unknown, contentArgs: unknown[]) => unknown;
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
 * compiler (LocatingCompiler) writes the block's outputs with it, so a macro defined elsewhere or an included template
 * keeps its own escaping, as in Jinja. At render time the block only hands its text on, marked safe.
 *
 * @example
 * env.addExtension('autoescape', new AutoescapeTag());
 * // {% autoescape false %}{{ trusted_html }}{% endautoescape %}
 */
export class AutoescapeTag {
  readonly tags = ['autoescape'];

  parse(parser: TagParser, nodes: TagNodes): unknown {
    const tag = parser.nextToken();
    const args = parser.parseSignature(null, true);
    if (args.children.length !== 1 || autoescapeSetting(args.children[0]) === null)
      parser.fail('autoescape takes true or false: {% autoescape false %}', tag.lineno, tag.colno);
    parser.advanceAfterBlockEnd(tag.value);
    const body = parser.parseUntilBlocks('endautoescape');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(_context: unknown, _enabled: boolean, body: () => string): unknown {
    return markSafe(body());
  }
}
