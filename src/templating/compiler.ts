/** @module Template compilation (layer L3): nunjucks's compiler, plus a map from the generated code back to template lines. */
import { type AstNode, type CompileFrame, defineNode, nodeClasses, transform } from './nunjucks.js';
import { parse } from './parser.js';
import { autoescapeSetting } from './autoescape-tag.js';
import { templateOperators } from './runtime.js';
import { isPythonMethod } from './python-methods.js';
import { compileScope, compileWith, insideScope, macroView, parameterNames, setReachesPastWith } from './with-tag.js';
import { type CompiledTemplate, makeRunnable, type Marker, type TemplatePosition } from './compiled-templates.js';
import { ExpressionCompiler, UnpackedValue } from './expression-compiler.js';

/** Whether a template node, or one inside it, names `name` (a variable, or an attribute as in `loop.previtem`). */
function mentions(node: unknown, name: string): boolean {
  if (typeof node !== 'object' || node === null) return false;
  if ((node as { value?: unknown }).value === name) return true;
  for (const field of (node as { fields?: string[] }).fields ?? []) {
    const child = (node as Record<string, unknown>)[field];
    if (Array.isArray(child) ? child.some((item) => mentions(item, name)) : mentions(child, name)) return true;
  }
  return false;
}

/** A recursive loop being written: its `for` node, the variable holding its function, and its depth's variable. */
interface RecursiveLoop {
  loop: AstNode;
  self: string;
  depth: string;
}
/** The parameters of a recursive loop's function. */
const RECURSIVE_ITEMS = '__flagon_loop_items';
const RECURSIVE_DEPTH = '__flagon_loop_depth';

/**
 * A macro's (or call block's) parameters are names, with defaults after `=`: nunjucks also took a string literal or
 * `**name` there and wrote it into the code as it was.
 */
function refuseOddParameters(
  compiler: { fail(message: string, lineno?: number, colno?: number): never },
  node: AstNode,
): void {
  const params = node.args?.children ?? [];
  params.forEach((param, index) => {
    const pairs = (param as { children?: Array<{ key?: AstNode }> }).children ?? [];
    const defaults = param.typename === 'KeywordArgs' && index === params.length - 1;
    const names = param.typename === 'Symbol' ? [param as AstNode] : defaults ? pairs.map((pair) => pair.key) : [];
    // As Jinja: only a body that uses `caller` needs it to have a default.
    if (param.typename === 'Symbol' && param.value === 'caller' && mentions(node.body, 'caller'))
      compiler.fail('"caller" argument must be omitted or be given a default (caller=none)', node.lineno, node.colno);
    if (names.length === 0 || names.some((name) => name?.typename !== 'Symbol')) {
      const at = param as AstNode;
      compiler.fail(
        "a macro's parameters are names, with defaults after = ({% macro field(name, type='text') %})",
        at.lineno,
        at.colno,
      );
    }
  });
}

/** A loop's `{% else %}` body and the loop's names (compileLoopElse); only the compiler makes it. */
const LoopElse = defineNode('LoopElse', ['body', 'names']);

// Nodes that only name or hold a value: code after them belongs to the tag or call around them (the frame of an
// include's render is the {% include %} tag, not the quoted name in it).
const CANNOT_THROW = new Set([
  'Literal',
  'Symbol',
  'TemplateData',
  'NodeList',
  'KeywordArgs',
  'Pair',
  'Dict',
  'Array',
  'Group',
]);

/**
 * The compiler nunjucks uses, recording as it writes code which template node each stretch of code comes from, and
 * in which function (top level, block, macro); with Jinja's statements (loops, sets, macros, blocks, includes) over
 * the expressions of {@link ExpressionCompiler}, and Flagon's runtime ({@link templateOperators}) in the code.
 */
class LocatingCompiler extends ExpressionCompiler {
  readonly markers: Marker[] = [];
  #jsLine = 0;
  #jsColumn = 0;
  #fn = 'top-level template code';
  #extendsAt: TemplatePosition | null = null;

  /** Inside `{% autoescape %}`: the setting its outputs are written with (see AutoescapeTag), else `null`. */
  #autoescape: boolean | null = null;

  /** Writing a string literal (template text included): the rewrites below must not touch what a template says. */
  #literal = false;

  override compileLiteral(node: AstNode, frame: unknown): void {
    this.#literal = true;
    try {
      super.compileLiteral(node, frame);
    } finally {
      this.#literal = false;
    }
  }

  override _emit(text: string): void {
    this.#releasePop(false);
    const code = this.#literal ? text : this.#rewrite(text);
    super._emit(code);
    const lastBreak = code.lastIndexOf('\n');
    if (lastBreak === -1) {
      this.#jsColumn += code.length;
      return;
    }
    for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) this.#jsLine += 1;
    this.#jsColumn = code.length - lastBreak - 1;
  }

  override _emitLine(code: string): void {
    // A macro or call block written with autoescape off returns plain text, as Jinja's: escaped where it is output
    // with autoescape on (nunjucks marks every macro's result safe).
    if (this.#autoescape === false && code.startsWith('return new runtime.SafeString(')) {
      code = code.replace('return new runtime.SafeString(', 'return String(');
    }
    // A macro's last line before its return gives the caller its frame back: `frame = callerFrame`, not the pop of
    // the frame the macro pushed, which (kept from where a call block is defined) is not the caller's.
    this.#releasePop(code.startsWith('return new runtime.SafeString(') || code.startsWith('return String('));
    if (code === 'frame = frame.pop();') {
      this.#heldPop = true;
      return;
    }
    if (this.#setting) code = code.replace(SET_LINE, 'flagon.set(frame, $1, $2);');
    if (MACRO_LINE.test(code)) {
      code = code.replace('runtime.makeMacro(', 'flagon.makeMacro(');
      // A call block (or a macro inside a macro or a with block) runs in the scope it is written in, as Jinja's
      // closures do: the frame where it is defined, kept here, where nunjucks took the frame current at the call
      // (the called macro's, which hid the caller's own names but its positional parameters).
      if (this.#definedIn !== null) super._emitLine(`var ${this.#definedIn} = frame;`);
    } else if (code === 'frame = frame.push(true);' && this.#definedIn !== null) {
      code = `frame = ${this.#definedIn}.push(true);`;
      this.#definedIn = null;
    }
    if (code === 'kwargs = kwargs || {};' && this.#macroExtras !== null) {
      // Jinja's varargs and kwargs, for a macro whose body names them.
      const extras = this._tmpid();
      super._emitLine(code);
      code = `var ${extras} = flagon.macroExtras(kwargs, ${JSON.stringify(this.#macroExtras)}); frame.set("varargs", ${extras}[0]); frame.set("kwargs", ${extras}[1]);`;
      this.#macroExtras = null;
    }
    if (this.#withoutContext)
      code = code.replace(
        'template.render(context.getVariables(), frame, ',
        'template.render(flagon.globalsOf(context.getVariables()), new runtime.Frame(), ',
      );
    if (code.startsWith('cb(null, ')) this.#mark(this.#last(), true);
    // The parent's root runs where the child's root ends: that frame stands for the {% extends %} tag.
    else if (code.startsWith('parentTemplate.rootRenderFunc(')) this.#mark(this.#extendsAt ?? this.#last(), false);
    super._emitLine(code);
  }

  override _emitFuncBegin(node: AstNode, name: string): void {
    this.#fn = name === 'root' ? 'top-level template code' : `block '${name.slice(2)}'`;
    super._emitFuncBegin(node, name);
    this.#mark(this.#position(node), false);
  }

  override _compileMacro(node: AstNode, frame: unknown): string {
    const outer = this.#fn;
    const recursiveLoop = this.#recursing !== null && node.body?.children?.[0] === this.#recursing.loop;
    this.#fn = recursiveLoop
      ? 'recursive loop'
      : node.name?.value === undefined
        ? 'call block'
        : `macro '${node.name.value}'`;
    try {
      // A macro defined inside a with or autoescape block, a loop or another macro, closes over the names there, as
      // Jinja's does: nunjucks writes it as a call block, on the frame it is defined in, rather than on a frame of its
      // own (where an inner macro did not see the outer one's arguments).
      refuseOddParameters(this, node);
      const inScope =
        frame === undefined && (this.#macroDepth > 0 || this.#loops.length > 0 || insideScope(this.#macroFrame));
      const defined = inScope ? macroView(node, this.#macroFrame!) : frame;
      this.#definedIn = defined === undefined ? null : this._tmpid();
      this.#macroDepth++;
      this.#loopControls.push(null);
      const body = node.body;
      this.#macroExtras = mentions(body, 'varargs') || mentions(body, 'kwargs') ? parameterNames(node) : null;
      return super._compileMacro(node, defined);
    } finally {
      this.#macroDepth--;
      this.#loopControls.pop();
      this.#fn = outer;
    }
  }

  /** The declared parameters of the macro being started whose body names `varargs` or `kwargs` (else null). */
  #macroExtras: string[] | null = null;

  /** A `frame = frame.pop();` not written yet: the next line tells whether it ends a macro (#releasePop). */
  #heldPop = false;

  #releasePop(endsMacro: boolean): void {
    if (!this.#heldPop) return;
    this.#heldPop = false;
    super._emitLine(endsMacro ? 'frame = callerFrame;' : 'frame = frame.pop();');
  }

  /** The variable keeping the frame a call block or scoped macro being started is defined in (else null). */
  #definedIn: string | null = null;

  /** How many macro or call-block bodies the code being written is inside. */
  #macroDepth = 0;

  /** The frame a `{% macro %}` being written is defined in (nunjucks's compileMacro does not hand it on). */
  #macroFrame: CompileFrame | undefined;

  override compileMacro(node: AstNode, frame: CompileFrame): void {
    const outer = this.#macroFrame;
    this.#macroFrame = frame;
    try {
      super.compileMacro(node, frame);
    } finally {
      this.#macroFrame = outer;
    }
  }

  /** nunjucks's code with Flagon's runtime: the block's autoescape, member lookups, a one-name loop's iterable. */
  #rewrite(text: string): string {
    let code = this.#autoescape === null ? text : text.replaceAll('env.opts.autoescape', String(this.#autoescape));
    // Filters that escape (join, replace, xmlattr) ask `this.env.opts.autoescape`: inside the block, the block's.
    if (this.#autoescape !== null && code.includes('.call(context, ')) {
      code = code.replace(
        /(env\.getFilter\("[^"]*"\)\.call\()context, /g,
        `$1flagon.escaping(context, ${this.#autoescape}), `,
      );
    }
    // Member lookups take Python's dict methods (flagon.member); a one-name loop walks a dict's keys (flagon.iterate).
    code = code
      .replaceAll('runtime.memberLookup(', 'flagon.member(')
      .replaceAll('runtime.inOperator(', 'flagon.contains(');
    if (this.#oneNameLoop && code.includes('runtime.fromIterator(')) {
      code = code.replace('runtime.fromIterator(', 'flagon.iterate(');
      this.#oneNameLoop = false;
    }
    return code;
  }

  /** Set from a one-name `{% for %}` until its iterable is converted (the first fromIterator it writes). */
  #oneNameLoop = false;

  override compileFor(node: AstNode, frame: unknown): void {
    // Jinja's loop filter, `{% for x in items if x.ok %}`, reads in nunjucks as `items if x.ok` with no else: a loop
    // over nothing, silently. Say so, with the ways to write it.
    this.#refuseLoopFilter(node);
    this.#oneNameLoop = node.name?.typename !== 'Array';
    const loop = node as AstNode & { else_?: AstNode | null };
    const otherwise = loop.else_;
    if (otherwise) loop.else_ = new LoopElse(otherwise.lineno ?? 0, otherwise.colno ?? 0, otherwise, node.name);
    // `loop(…)` in this loop's body is a recursive call only if this is the recursive loop's own `for`.
    this.#loops.push(this.#recursing?.loop === node ? this.#recursing : null);
    this.#loopControls.push({ scopes: 0, closersAt: this.#closers.length });
    try {
      super.compileFor(node, frame);
    } finally {
      this.#loops.pop();
      this.#loopControls.pop();
      loop.else_ = otherwise;
    }
  }

  #refuseLoopFilter(loop: AstNode): void {
    const iterable = (loop as { arr?: AstNode & { else_?: unknown } }).arr;
    if (iterable?.typename === 'InlineIf' && !iterable.else_) {
      this.fail(
        '{% for x in items if … %} (a loop filter) is not read here: filter first (items|selectattr(…)) or put {% if %} inside the loop',
        loop.lineno,
        loop.colno,
      );
    }
  }

  /** The loops being written, innermost last: a recursive loop's call names, `null` for a plain loop. */
  readonly #loops: Array<RecursiveLoop | null> = [];
  /** The recursive loop whose `for` is about to be written (compileRecursiveLoop sets it). */
  #recursing: RecursiveLoop | null = null;

  /**
   * Jinja's `{% for item in tree recursive %}…{{ loop(item.children) }}…{% endfor %}`: the loop is written as a
   * function of its items and depth (a call block, so it sees the names where it stands), called with the iterable
   * and depth 1; `loop(children)` in its body calls it again one level deeper, and `loop.depth`/`loop.depth0` tell the
   * level.
   */
  compileRecursiveLoop(
    node: AstNode & { loop: AstNode & { arr: AstNode; body: AstNode; else_?: AstNode } },
    frame: CompileFrame,
  ): void {
    const { lineno = 0, colno = 0 } = node;
    const { Symbol: Name, NodeList, For, Macro } = nodeClasses;
    const outer = node.loop;
    // The filter would apply once, to the top level, with the loop's names unset: refused as on any loop.
    this.#refuseLoopFilter(outer);
    const inner = new For(
      lineno,
      colno,
      new Name(lineno, colno, RECURSIVE_ITEMS),
      outer.name!,
      outer.body,
      outer.else_,
    );
    const self = this._tmpid();
    this._emitLine(`var ${self} = {};`);
    const args = new NodeList(lineno, colno, [
      new Name(lineno, colno, RECURSIVE_ITEMS),
      new Name(lineno, colno, RECURSIVE_DEPTH),
    ]);
    const macro = new Macro(lineno, colno, new Name(lineno, colno, 'loop'), args, new NodeList(lineno, colno, [inner]));
    const outerRecursing = this.#recursing;
    this.#recursing = { loop: inner, self, depth: `l_${RECURSIVE_DEPTH}` };
    let fn: string;
    try {
      fn = this._compileMacro(macro, frame);
    } finally {
      this.#recursing = outerRecursing;
    }
    this._emitLine(`${self}.fn = ${fn};`);
    this._emit(`${this.buffer} += runtime.suppressValue(${fn}(`);
    this._compileExpression(outer.arr, frame);
    this._emitLine(', 1), env.opts.autoescape);');
  }

  /**
   * A loop's `{% else %}`, which runs when the loop ran no time: the loop's names are the names outside it there
   * (`{% for item in [] %}{% else %}{{ item }}` prints the outer `item`, as in Jinja), where nunjucks gave them the
   * loop's own variables, never set.
   */
  compileLoopElse(node: AstNode & { names: AstNode }, frame: CompileFrame): void {
    const view = frame.push();
    const names = node.names.typename === 'Array' ? (node.names.children ?? []) : [node.names];
    // `null`: a name known here without a variable, looked up at run time (past the loop's frame, where it was not set).
    for (const name of names) (view.variables as Record<string, string | null>)[String(name.value)] = null;
    // The else runs after its loop, inside the loop around it (if any): a loop control there is the outer loop's,
    // with the inner loop's frame still to close.
    const inner = this.#loopControls.pop();
    this.#nestScope(1);
    try {
      this.compile(node.body!, view);
    } finally {
      this.#nestScope(-1);
      this.#loopControls.push(inner!);
    }
  }

  /**
   * For each loop being written, innermost last: how many scopes (with, autoescape) its body has opened where a
   * `{% break %}` or `{% continue %}` is being written, and where its body's entry in #closers is; `null` where code
   * runs in a function of its own (a macro, a call, set or filter block), which a loop control cannot leave.
   */
  readonly #loopControls: Array<{ scopes: number; closersAt: number } | null> = [];

  /**
   * The callbacks nunjucks had open (`_scopeClosers`) where each region of code being written began, outermost first:
   * an include, an import, a block or super() writes the code after it, up to the end of its region, as a callback.
   */
  readonly #closers: string[] = [];

  override _withScopedSyntax(write: () => void): void {
    this.#closers.push(this._scopeClosers);
    try {
      super._withScopedSyntax(write);
    } finally {
      this.#closers.pop();
    }
  }

  /** A scope opened (+1) or closed (-1) in the loop being written. */
  #nestScope(by: 1 | -1): void {
    const loop = this.#loopControls.at(-1);
    if (loop) loop.scopes += by;
  }

  /** Code in a function of its own (a macro, a call, set or filter block): no loop control reaches past it. */
  #outsideLoops<T>(write: () => T): T {
    this.#loopControls.push(null);
    try {
      return write();
    } finally {
      this.#loopControls.pop();
    }
  }

  /** `{% break %}` / `{% continue %}` (see LoopControlTag): the scopes opened in the loop closed, then JavaScript's. */
  compileLoopControl(node: AstNode & { kind: string }): void {
    const loop = this.#loopControls.at(-1);
    if (!loop)
      this.fail(
        `{% ${node.kind} %} belongs in a {% for %} loop's body (not in a macro, a call, set or filter block)`,
        node.lineno,
        node.colno,
      );
    // The loop's body region is #closers[closersAt]'s successor: any callback opened since is out of the loop's reach.
    if (this._scopeClosers !== '' || this.#closers.slice(loop.closersAt + 1).some((closers) => closers !== ''))
      this.fail(
        `{% ${node.kind} %} after an {% include %}, {% import %}, {% block %} or super() in the same loop is not supported: put the ${node.kind} before it, or that tag in a macro`,
        node.lineno,
        node.colno,
      );
    this._emitLine(`${loop.scopes > 0 ? `frame = frame${'.pop()'.repeat(loop.scopes)}; ` : ''}${node.kind};`);
  }

  /**
   * nunjucks's loop variables, and Jinja's that nunjucks does not have: `loop.cycle(…)`, and where the loop's body
   * uses them, `loop.previtem`, `loop.nextitem` and `loop.changed(…)`.
   */
  override _emitLoopBindings(node: AstNode, arr: string, i: string, len: string): void {
    super._emitLoopBindings(node, arr, i, len);
    // The loop object lives as long as the loop's frame: set once, not per item (frame.set splits its name each time).
    this._emitLine(`if (${i} === 0) frame.set("loop.cycle", flagon.cycle);`);
    const list = `runtime.isArray(${arr})`;
    if (mentions(node.body, 'previtem'))
      this._emitLine(`frame.set("loop.previtem", ${i} > 0 && ${list} ? ${arr}[${i} - 1] : undefined);`);
    if (mentions(node.body, 'nextitem'))
      this._emitLine(`frame.set("loop.nextitem", ${i} < ${len} - 1 && ${list} ? ${arr}[${i} + 1] : undefined);`);
    if (mentions(node.body, 'changed')) this._emitLine(`if (${i} === 0) frame.set("loop.changed", flagon.changed());`);
    if (mentions(node.body, 'depth') || mentions(node.body, 'depth0')) {
      // A plain loop is at depth 1; a recursive one at the depth its function was called with.
      const depth = this.#loops.at(-1)?.depth ?? '1';
      this._emitLine(`if (${i} === 0) { frame.set("loop.depth", ${depth}); frame.set("loop.depth0", ${depth} - 1); }`);
    }
  }

  /** `{% autoescape %}`: its body written with its setting (see AutoescapeTag), in a scope of its own as in Jinja. */
  compileAutoescape(node: AstNode, frame: CompileFrame): void {
    const outer = this.#autoescape;
    this.#autoescape = autoescapeSetting(node.args?.children[0]);
    this.#nestScope(1);
    try {
      compileScope(this, [], node.body!, frame);
    } finally {
      this.#autoescape = outer;
      this.#nestScope(-1);
    }
  }

  /** `{% do expr %}` (see DoTag): the expression as a statement, its value dropped. */
  compileDo(node: AstNode & { expr: AstNode }, frame: CompileFrame): void {
    this._emit('(');
    this._compileExpression(node.expr, frame);
    this._emitLine(');');
  }

  /** `{% with %}`: a scope of its own (see WithTag). */
  compileWith(node: AstNode & { args: AstNode }, frame: CompileFrame): void {
    this.#nestScope(1);
    try {
      compileWith(this, node, frame);
    } finally {
      this.#nestScope(-1);
    }
  }

  /** A `{% set %}` inside a with block stays in it: it gets a variable of its own where it would write one outside. */
  override compileSet(node: AstNode, frame: CompileFrame): void {
    const targets = node.targets ?? [];
    const named = (target: AstNode) => target.typename === 'Symbol' || target.typename === 'LookupVal';
    if (!targets.every(named))
      this.fail('{% set %} sets names, or a namespace attribute: {% set ns.found = true %}', node.lineno, node.colno);
    if (targets.length > 1) {
      this.#compileUnpackingSet(node, frame);
      return;
    }
    if (targets.some((target) => target.typename === 'LookupVal')) {
      this.#compileNamespaceSet(node, frame);
      return;
    }
    for (const { value: name } of targets)
      if (name !== undefined && setReachesPastWith(frame, name)) {
        const id = this._tmpid();
        this._emitLine(`var ${id};`);
        frame.set(name, id);
      }
    const outer = this.#setting; // a set block's body may hold sets of its own
    this.#setting = true;
    try {
      super.compileSet(node, frame);
    } finally {
      this.#setting = outer;
    }
  }

  /**
   * `{% set a, b = pair %}` unpacks as Python does (`flagon.unpack`: exactly as many values as names, else Python's
   * error), then sets each name as a one-name set would. nunjucks gave every name the whole value.
   */
  #compileUnpackingSet(node: AstNode, frame: CompileFrame): void {
    const targets = node.targets!;
    const values = this._tmpid();
    this._emit(`var ${values} = flagon.unpack(`);
    if (node.value) this._compileExpression(node.value as AstNode, frame);
    else this.compile(node.body!, frame);
    this._emitLine(`, ${targets.length});`);
    targets.forEach((target, index) => {
      const value = new UnpackedValue(node.lineno ?? 0, node.colno ?? 0, values, index);
      this.compileSet(new nodeClasses.Set(node.lineno ?? 0, node.colno ?? 0, [target], value), frame);
    });
  }

  /** Writing a `{% set %}`: its run-time set is Flagon's (`flagon.set`, which stops at isolated scopes). */
  #setting = false;

  /**
   * Jinja's `{% set ns.found = true %}` on a `namespace()`: the one way a loop's set reaches past the loop. nunjucks
   * parsed it and then crashed writing it.
   */
  #compileNamespaceSet(node: AstNode, frame: CompileFrame): void {
    const [target, ...more] = node.targets ?? [];
    if (more.length > 0 || target?.typename !== 'LookupVal' || target.val?.typename !== 'Literal') {
      this.fail(
        '{% set %} of an attribute takes one namespace attribute: {% set ns.found = true %}',
        node.lineno,
        node.colno,
      );
    }
    this._emit('flagon.setAttribute(');
    this._compileExpression(target.target!, frame);
    this._emit(`, ${JSON.stringify(String(target.val.value))}, `);
    if (node.value) this._compileExpression(node.value as AstNode, frame);
    else this.compile(node.body!, frame);
    this._emitLine(');');
  }

  /** `{% set s %}…{% endset %}` holds what its body wrote, already escaped: Jinja marks it safe, not to escape twice. */
  override compileCapture(node: AstNode, frame: unknown): void {
    this._emit('flagon.captured(env.opts.autoescape, ');
    this.#outsideLoops(() => super.compileCapture(node, frame));
    this._emit(')');
  }

  /** The name being called by the FunCall being written: `d.items()` takes the dict's method, not a key `items`; `s.split(',')` str's. */
  #callee: AstNode | undefined;

  override compileFunCall(node: AstNode, frame: unknown): void {
    const recursive = this.#loops.at(-1);
    if (recursive && node.name?.typename === 'Symbol' && node.name.value === 'loop') {
      // `loop(children)` in a recursive loop: the loop again, one level deeper.
      if (node.args?.children.length !== 1)
        this.fail('loop() takes one argument, the items to loop over: loop(item.children)', node.lineno, node.colno);
      this._emit(`${recursive.self}.fn(`);
      for (const argument of node.args?.children ?? []) {
        this._compileExpression(argument as AstNode, frame);
        this._emit(', ');
      }
      this._emit(`${recursive.depth} + 1)`);
      return;
    }
    const outer = this.#callee;
    this.#callee = node.name;
    try {
      super.compileFunCall(node, frame);
    } finally {
      this.#callee = outer;
    }
  }

  override compileLookupVal(node: AstNode, frame: unknown): void {
    if (node !== this.#callee || node.val?.typename !== 'Literal' || !isPythonMethod(node.val.value)) {
      super.compileLookupVal(node, frame);
      return;
    }
    this._emit('flagon.method((');
    this._compileExpression(node.target!, frame);
    this._emit(`), ${JSON.stringify(node.val.value)})`);
  }

  /**
   * `{% include … without context %}`: the template sees the globals only, as in Jinja: the environment's (`True`,
   * `namespace`, `app.templateGlobal`'s) and Flask's (`url_for`, `request`, `session`, `g`, `config`…, which Flagon
   * passes in the render's context); `with context`, the default, passes the render's names and the local ones.
   */
  override compileInclude(node: AstNode & { withoutContext?: boolean }, frame: unknown): void {
    this.#withoutContext = node.withoutContext === true;
    try {
      super.compileInclude(node, frame);
    } finally {
      this.#withoutContext = false;
    }
  }

  /** Writing an include without context (compileInclude). */
  #withoutContext = false;

  override compileExtends(node: AstNode, frame: unknown): void {
    this.#extendsAt = this.#position(node);
    // A template extends one parent: a second {% extends %} that runs is Jinja's error, not a silent switch.
    this._emitLine('flagon.extendOnce(parentTemplate);');
    super.compileExtends(node, frame);
  }

  /**
   * Jinja's `self`: `{{ self.title() }}` renders the block `title` again (as the child template filled it), the way
   * Flask's layouts repeat a page's title in the heading. A name `self` the template sets or is given wins.
   */
  override compileSymbol(node: AstNode, frame: CompileFrame): void {
    if (node.value === 'self' && !frame.lookup('self')) {
      this._emit('(runtime.contextOrFrameLookup(context, frame, "self") ?? flagon.selfBlocks(env, context, runtime))');
      return;
    }
    super.compileSymbol(node, frame);
  }

  /** A `required` block that no child template filled is Jinja's error where the block stands. */
  override compileBlock(node: AstNode & { required?: boolean }, frame: unknown): void {
    const name = String(node.name?.value);
    // At a template's top level a block is written only when the template extends nothing (as nunjucks's own).
    const written = this.inBlock ? '' : 'parentTemplate || ';
    if (node.required)
      this._emitLine(
        `flagon.requireBlock(${written}context.getBlock(${JSON.stringify(name)}) !== b_${name}, ${JSON.stringify(name)});`,
      );
    super.compileBlock(node, frame);
  }

  override compile(node: AstNode, frame?: unknown): void {
    if (typeof node.lineno === 'number' && !CANNOT_THROW.has(node.typename)) this.#mark(this.#position(node), false);
    super.compile(node, frame);
  }

  #position(node: AstNode): TemplatePosition {
    // A call's own position is its "("; people read a call at the name before it (`user.greet` in `user.greet()`).
    let at: AstNode = node;
    if (node.typename === 'FunCall' && node.name) for (at = node.name; at.target; at = at.target);
    return { line: (at.lineno ?? 0) + 1, column: (at.colno ?? 0) + 1, fn: this.#fn };
  }

  #last(): TemplatePosition {
    return this.markers.at(-1)?.at ?? { line: 1, column: 1, fn: this.#fn };
  }

  #mark(at: TemplatePosition, end: boolean): void {
    this.markers.push({ jsLine: this.#jsLine, jsColumn: this.#jsColumn, at: { ...at, fn: this.#fn }, end });
  }
}

/** What compiling needs from the environment: its async filters, extensions and lexer options. */
export interface CompileEnvironment {
  asyncFilters: string[];
  extensionsList: Array<{ preprocess?: (source: string, name: string) => string }>;
  opts: {
    throwOnUndefined?: boolean;
    keepTrailingNewline?: boolean;
    trimBlocks?: boolean;
    lstripBlocks?: boolean;
    newlineSequence?: string;
  };
}

/** The line nunjucks's compileSet writes to set a name in the run-time scope (looking past isolated scopes). */
const SET_LINE = /^frame\.set\(("\w+"), (t_\d+), true\);$/;

/** The line nunjucks's _compileMacro starts a macro with. */
const MACRO_LINE = /^var macro_t_\d+ = runtime\.makeMacro\($/;

/** A line break, as Jinja reads them: `\r\n`, `\r` or `\n`. */
const LINE_BREAK = /\r\n?/g;

/**
 * Compiles a template the way nunjucks's `Template` would, but keeps a map from the generated code to template lines,
 * and names the code with a `flagon-template:` URL so that stack frames in it can be told apart. Syntax errors are
 * thrown as nunjucks reports them (1-based `lineno`/`colno`).
 *
 * @example
 * const template = compileTemplate('{{ user.name }}', 'card.html', '/app/templates/card.html', env);
 * new nunjucks.Template({ type: 'code', obj: template.props }, env, template.file);
 */
export function compileTemplate(
  source: string,
  name: string,
  file: string | null,
  env: CompileEnvironment,
): CompiledTemplate {
  // Jinja's newline_sequence ('\n': a template saved with Windows line ends writes `\n`) and, unless asked otherwise,
  // keep_trailing_newline=False, which Flask keeps: one newline at the end of the source is not output.
  const preprocessed = env.extensionsList.reduce(
    (text, extension) => extension.preprocess?.(text, name) ?? text,
    env.opts.keepTrailingNewline
      ? source.replace(LINE_BREAK, '\n')
      : source.replace(LINE_BREAK, '\n').replace(/\n$/, ''),
  );
  const compiler = new LocatingCompiler(name, env.opts.throwOnUndefined ?? false);
  const ast = parse(preprocessed, env.extensionsList, env.opts);
  compiler.compile(transform(ast, env.asyncFilters, name));
  return makeRunnable(compiler.getCode(), name, file, compiler.markers, templateOperators);
}
