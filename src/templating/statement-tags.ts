/** @module Jinja's statement tags for nunjucks (layer L3): `{% do %}`, and the loop controls `{% break %}` and `{% continue %}`. */
import type { TagParser } from './autoescape-tag.js';
import { defineNode } from './nunjucks.js';

const DoNode = defineNode('Do', ['expr']);
const LoopControlNode = defineNode('LoopControl', ['kind']);

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

/**
 * `{% break %}` and `{% continue %}` in a `{% for %}` loop: Jinja's loop controls (the `jinja2.ext.loopcontrols`
 * extension). The compiler (LocatingCompiler's `compileLoopControl`) checks where they stand.
 *
 * @example
 * env.addExtension('loopcontrols', new LoopControlTag());
 * // {% for user in users %}{% if loop.index > 10 %}{% break %}{% endif %}{{ user.name }}{% endfor %}
 */
export class LoopControlTag {
  readonly tags = ['break', 'continue'];

  parse(parser: TagParser): unknown {
    const tag = parser.nextToken();
    parser.advanceAfterBlockEnd(tag.value);
    return new LoopControlNode(tag.lineno, tag.colno, tag.value);
  }
}
