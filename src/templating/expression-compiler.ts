/** @module Template expressions (layer L3): how Flagon's compiler writes Python's operators, truth test and literals. */
import { type AstNode, Compiler, defineNode, groupNodePrototype } from './nunjucks.js';

/**
 * One value of a `{% set a, b = pair %}`: item `index` of the unpacked values in the variable `source`. Only the
 * compiler makes it (a LookupVal, so nunjucks takes it where an expression goes).
 */
export const UnpackedValue = defineNode('UnpackedValue', ['source', 'index'], 'LookupVal');

/** nunjucks's comparison operators, as it writes them in JavaScript. */
const COMPARE_OPERATORS: Record<string, string> = {
  '==': '==',
  '===': '===',
  '!=': '!=',
  '!==': '!==',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

/**
 * `target` under Jinja's truth test: a node the compiler takes as an expression (a Group, by its prototype) that
 * {@link ExpressionCompiler} compiles as `flagon.truthy(target)`. No line of its own: its target has one.
 */
function truthyOf(target: AstNode): AstNode {
  return Object.create(groupNodePrototype, { typename: { value: 'Truthy' }, target: { value: target } }) as AstNode;
}

/**
 * nunjucks's compiler with Jinja's expressions: Python's slices, `%`, `+` and `*` on lists and text, tuples, `==` by
 * value and chained comparisons, the truth test of conditions (`flagon.truthy`: an empty list or dict is false),
 * `or`/`and` giving an operand, `~`, number keys and `*items`/`**options` in calls. LocatingCompiler (compiler.ts)
 * adds the statements and the map back to template lines.
 *
 * @example
 * class LocatingCompiler extends ExpressionCompiler { … }
 */
export class ExpressionCompiler extends Compiler {
  /** `text[1:3]`, `items[:5]`, `s[::-1]`: Python's slice (`flagon.slice`), which nunjucks cannot parse. */
  compileSlice(
    node: AstNode & { start: AstNode | null; stop: AstNode | null; step: AstNode | null },
    frame: unknown,
  ): void {
    this._emit('flagon.slice(');
    this.compile(node.target!, frame);
    for (const part of [node.start, node.stop, node.step]) {
      this._emit(', ');
      if (part === null) this._emit('null');
      else this.compile(part, frame);
    }
    this._emit(')');
  }

  /**
   * The callee's name that nunjucks writes between double quotes into a call's code (for the error when it is
   * undefined): a string literal's text with its backslashes and line breaks escaped. nunjucks escaped only the quotes,
   * so `{{ 'a\nb'.split() }}` compiled into code that would not parse.
   */
  override _getNodeName(node: AstNode): string {
    // `f|attr('g')(1)`: the call's name is the filter's, `f|attr`.
    const filtered = node.typename === 'Filter' ? node.args?.children[0] : undefined;
    if (filtered !== undefined) return `${this._getNodeName(filtered)}|${String(node.name?.value)}`;
    if (node.typename !== 'Literal') return super._getNodeName(node);
    return String(node.value)
      .replace(/\\/g, '\\\\')
      .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }

  /** `a % b`: Python's, string formatting included (`flagon.mod`); nunjucks wrote JavaScript's `%` (`NaN` for text). */
  override compileMod(node: AstNode, frame: unknown): void {
    this.#compileOperator('mod', node, frame);
  }

  /** `a + b`: Python's list concatenation (`featured + recent`), where JavaScript made text of two lists. */
  override compileAdd(node: AstNode, frame: unknown): void {
    this.#compileOperator('add', node, frame);
  }

  /** `a * b`: Python's repetition (`'-' * 20`, `[0] * 3`), where JavaScript made NaN. */
  override compileMul(node: AstNode, frame: unknown): void {
    this.#compileOperator('multiply', node, frame);
  }

  /** A binary operator written as a call to Flagon's run-time operator (`flagon.add(a, b)`). */
  #compileOperator(name: string, node: AstNode, frame: unknown): void {
    this._emit(`flagon.${name}(`);
    this.compile(node.left!, frame);
    this._emit(', ');
    this.compile(node.right!, frame);
    this._emit(')');
  }

  /**
   * `(a, b)`: Jinja's tuple, a list here, where nunjucks wrote JavaScript's comma operator (the last value). One
   * expression in parentheses stays a grouping.
   */
  override compileGroup(node: AstNode & { tuple?: boolean }, frame: unknown): void {
    if ((node.children?.length ?? 0) <= 1 && !node.tuple) {
      super.compileGroup(node, frame);
      return;
    }
    this._emit('flagon.tuple(');
    node.children!.forEach((child, index) => {
      if (index > 0) this._emit(', ');
      this.compile(child, frame);
    });
    this._emit(')');
  }

  /**
   * `a == b`, `a < b`…: text marked safe compares as the text it holds (as Jinja's Markup, a str), where nunjucks
   * compared two String objects by identity; lists and dicts are equal by value.
   */
  override compileCompare(node: AstNode, frame: unknown): void {
    const ops = node.ops ?? [];
    if (ops.length > 1) {
      // `a < b < c` is Python's chain, `a < b and b < c` with `b` read once (JavaScript's compares `true` with `c`).
      this._emit('flagon.chain(');
      this.compile(node.expr!, frame);
      for (const op of ops) {
        this._emit(`, ${JSON.stringify(COMPARE_OPERATORS[op.type])}, function () { return `);
        this.compile(op.expr, frame);
        this._emit('; }');
      }
      this._emit(')');
      return;
    }
    const op = ops[0];
    if (op?.type === '==' || op?.type === '!=') {
      // Lists and dicts compare by value, as Python's (`(1, 2) == (1, 2)`); see flagon.equals.
      this._emit(op.type === '==' ? 'flagon.equals(' : '!flagon.equals(');
      this.compile(node.expr!, frame);
      this._emit(', ');
      this.compile(op.expr, frame);
      this._emit(')');
      return;
    }
    this._emit('flagon.plain(');
    this.compile(node.expr!, frame);
    this._emit(')');
    for (const { type, expr } of ops) {
      this._emit(` ${COMPARE_OPERATORS[type]} flagon.plain(`);
      this.compile(expr, frame);
      this._emit(')');
    }
  }

  override compileIf(node: AstNode, frame: unknown, async?: boolean): void {
    const cond = node.cond!;
    node.cond = truthyOf(cond);
    try {
      super.compileIf(node, frame, async);
    } finally {
      node.cond = cond;
    }
  }

  override compileInlineIf(node: AstNode, frame: unknown): void {
    const cond = node.cond!;
    node.cond = truthyOf(cond);
    try {
      super.compileInlineIf(node, frame);
    } finally {
      node.cond = cond;
    }
  }

  compileNot(node: AstNode, frame: unknown): void {
    this._emit('!');
    this.compile(truthyOf(node.target!), frame);
  }

  /** Python's `or` and `and` give one of their operands; the right one is evaluated only when it is the answer. */
  compileOr(node: AstNode, frame: unknown): void {
    this.#operator('or', node, frame);
  }

  compileAnd(node: AstNode, frame: unknown): void {
    this.#operator('and', node, frame);
  }

  compileTruthy(node: AstNode, frame: unknown): void {
    this._emit('flagon.truthy(');
    this.compile(node.target!, frame);
    this._emit(')');
  }

  #operator(name: 'or' | 'and', node: AstNode, frame: unknown): void {
    this._emit(`flagon.${name}(`);
    this.compile(node.left!, frame);
    this._emit(', function () { return ');
    this.compile(node.right!, frame);
    this._emit('; })');
  }

  compileUnpackedValue(node: AstNode & { source: string; index: number }): void {
    this._emit(`${node.source}[${node.index}]`);
  }

  /**
   * `a ~ b`: Jinja's concatenation (`flagon.concat`): undefined and none add nothing, and under autoescaping a safe
   * part keeps its HTML while the other is escaped. nunjucks's `a + "" + b` wrote `undefined` and escaped both.
   */
  override compileConcat(node: AstNode, frame: unknown): void {
    this._emit('flagon.concat(env.opts.autoescape, ');
    this.compile(node.left!, frame);
    this._emit(', ');
    this.compile(node.right!, frame);
    this._emit(')');
  }

  /**
   * A dict literal's key: text, or a bare name read as text. A number key (`{1: 'one'}`, Jinja's int) is refused with
   * the fix: a template dict is a JavaScript record, whose keys are text, so `1` and `'1'` would be one key.
   */
  override compilePair(node: AstNode & { key: AstNode }, frame: unknown): void {
    const { key } = node;
    if (key.typename !== 'Symbol' && !(key.typename === 'Literal' && typeof key.value === 'string')) {
      this.fail(
        "a dict's keys are text here ({'1': 'one'}): a template dict is a JavaScript record; build other dicts in the view",
        key.lineno,
        key.colno,
      );
    }
    super.compilePair(node, frame);
  }

  /** `*items` in a call: the list's items as positional arguments (a JavaScript spread in the argument list). */
  compileSplat(node: AstNode & { value: AstNode }, frame: unknown): void {
    this._emit('...flagon.sequence(');
    this.compile(node.value, frame);
    this._emit(')');
  }

  /** `**options` in a call: the dict's entries as keyword arguments (a spread in the keyword arguments' object). */
  compileKeywordSplat(node: AstNode & { value: AstNode }, frame: unknown): void {
    this._emit('...flagon.keywords(');
    this.compile(node.value, frame);
    this._emit(')');
  }
}
