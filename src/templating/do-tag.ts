/** @module Jinja's `{% do %}` statement for nunjucks (layer L3): an expression run for what it does, not output. */
import type { TagParser } from './autoescape-tag.js';
import { defineNode } from './nunjucks.js';

const DoNode = defineNode('Do', ['expr']);

/**
 * `{% do items.append(x) %}`: Jinja's expression statement (the `jinja2.ext.do` extension, which Flask projects add
 * for templates like Bootstrap-Flask's): the expression is evaluated and its value dropped. The compiler
 * (LocatingCompiler's `compileDo`) writes it as a statement.
 *
 * @example
 * env.addExtension('do', new DoTag());
 * // {% set classes = [] %}{% if active %}{% do classes.append('active') %}{% endif %}
 */
export class DoTag {
  readonly tags = ['do'];

  parse(parser: TagParser): unknown {
    const tag = parser.nextToken();
    const expr = parser.parseExpression();
    parser.advanceAfterBlockEnd(tag.value);
    return new DoNode(tag.lineno, tag.colno, expr);
  }
}
