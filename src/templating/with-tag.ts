/** @module Jinja's `{% with %}` block for nunjucks (layer L3), which has no such tag. */
import type { TagNodes, TagParser } from './autoescape-tag.js';
import { markSafe } from './nunjucks.js';

/** The render-time context nunjucks passes to an extension's method: `ctx` holds this render's variables. */
interface TagContext {
  ctx: Record<string, unknown>;
}

/**
 * `{% with messages = get_flashed_messages() %}…{% endwith %}`: Jinja's block that names values for its body only
 * (Flask's docs show message flashing with it). The names are set in the render's variables while the body renders,
 * so included templates and macros called inside see them too, and are put back afterwards, even when the body
 * throws. A `{% set %}` or loop variable of the same name around the block wins inside it, as nunjucks looks there
 * first.
 *
 * @example
 * env.addExtension('with', new WithTag());
 * // {% with total = items | length %}{{ total }} items{% endwith %}
 */
export class WithTag {
  readonly tags = ['with'];

  parse(parser: TagParser, nodes: TagNodes): unknown {
    const tag = parser.nextToken();
    const args = parser.parseSignature(null, true);
    const named = args.children.every((arg) => arg.typename === 'KeywordArgs');
    if (!named) parser.fail('with takes names and values: {% with total = items | length %}', tag.lineno, tag.colno);
    parser.advanceAfterBlockEnd(tag.value);
    const body = parser.parseUntilBlocks('endwith');
    parser.advanceAfterBlockEnd();
    return new nodes.CallExtension(this, 'run', args, [body]);
  }

  run(context: TagContext, ...rest: unknown[]): unknown {
    const body = rest.pop() as () => string;
    const values = (rest[0] ?? {}) as Record<string, unknown>;
    const ctx = context.ctx;
    const saved: Array<[string, boolean, unknown]> = [];
    for (const [name, value] of Object.entries(values)) {
      if (name === '__keywords') continue;
      saved.push([name, Object.hasOwn(ctx, name), ctx[name]]);
      ctx[name] = value;
    }
    try {
      return markSafe(body()); // already escaped as it rendered
    } finally {
      for (const [name, had, value] of saved.reverse())
        if (had) ctx[name] = value;
        else delete ctx[name];
    }
  }
}
