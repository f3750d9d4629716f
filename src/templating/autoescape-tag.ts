/** @module Jinja's `{% autoescape %}` block for nunjucks (layer L3), which has no such tag. */
import { markSafe } from './nunjucks.js';

/** The parts of nunjucks's parser an extension uses (nunjucks documents them for custom tags). */
interface TagParser {
  nextToken(): { value: string };
  parseSignature(throwErrors: null, noParens: true): unknown;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
}

interface TagNodes {
  CallExtension: new (extension: object, method: string, args: unknown, contentArgs: unknown[]) => unknown;
}

/** The render-time context nunjucks passes to an extension's method: its environment's options are live. */
interface TagContext {
  env: { opts: { autoescape?: boolean } };
}

/**
 * `{% autoescape false %}…{% endautoescape %}` (or `true`): Jinja's block that turns autoescaping off or on for its
 * body, whatever the template's own setting. nunjucks reads `env.opts.autoescape` at each output, and renders a body
 * synchronously, so the block sets it for the body's render and puts it back; the body's text comes out as it was
 * rendered (safe), not escaped again.
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
    parser.advanceAfterBlockEnd(tag.value);
    const body = parser.parseUntilBlocks('endautoescape');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(context: TagContext, enabled: unknown, body: () => string): unknown {
    const opts = context.env.opts;
    const before = opts.autoescape;
    opts.autoescape = Boolean(enabled);
    try {
      return markSafe(body());
    } finally {
      opts.autoescape = before;
    }
  }
}
