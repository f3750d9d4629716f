/** @module What compiled templates call (layer L3): Jinja's operators, loop.cycle and Python's dict methods, which nunjucks lacks. */
import { MultiDict } from '../http/multidict.js';
import { escapeUnlessSafe, isPlainObject, plainText, printable, pythonEquals, sequence } from './jinja-signature.js';
import { splitKeywords } from './keywords.js';
import { copySafeness, isMarkedSafe, makeMacro, markSafe, NunjucksTemplateError } from './nunjucks.js';
import { contains } from './jinja-tests.js';
import { SAFE_TEXT } from './jinja-text.js';
import { percentFormat } from './python-format.js';
import { isTuple, makeTuple, tupleOf } from './python-tuple.js';
import { isTruthy } from './truthiness.js';
import { dictMethod, pythonMethod } from './python-methods.js';
import { dateAttribute } from './python-datetime.js';

/**
 * A call `obj.name(…)` where `name` is one of Python's methods: the dict's, list's or str's method (see
 * {@link pythonMethod}), even when a dict has a key of that name (`{'items': 3}.items()`, as in Python); else the
 * member as {@link member} finds it.
 */
function method(obj: unknown, name: string): unknown {
  return pythonMethod(obj, name) ?? member(obj, name);
}

/**
 * nunjucks's `a.b` (its runtime's memberLookup: a method comes back bound to its object), and for a plain object
 * without such a property Python's dict methods, so `{% for k, v in d.items() %}` works as in Jinja.
 */
function member(obj: unknown, name: string | number): unknown {
  if (obj === undefined || obj === null) return undefined;
  // Safe text is a String object without the string's indexes: `s[0]` reads the text.
  if (isMarkedSafe(obj)) return member(String(obj), name);
  // Python's negative index counts from the end: `items[-1]` is the last.
  if (typeof name === 'number' && name < 0 && (Array.isArray(obj) || typeof obj === 'string')) {
    return obj[obj.length + name];
  }
  const target = obj as Record<string, unknown>;
  const value = target[name];
  if (typeof value === 'function') return bound(value as (...args: unknown[]) => unknown, obj);
  if (value === undefined) return obj instanceof Date ? dateAttribute(obj, name) : dictMethod(obj, name);
  return value;
}

/**
 * A function read as `a.b`, bound to `a` as a method; one with properties of its own (`helpers.format`, whose
 * `helpers.format.date` a template reads next) keeps them, through a Proxy.
 */
function bound(fn: (...args: unknown[]) => unknown, self: unknown): (...args: unknown[]) => unknown {
  if (Object.keys(fn).length === 0) return (...args) => fn.apply(self, args);
  return new Proxy(fn, { apply: (target, _this, args) => Reflect.apply(target, self, args) });
}

/**
 * What a one-name `{% for x in … %}` walks: a dict's keys (a plain object, a Map, a MultiDict), as Python iterates a
 * dict; an iterable as an array; anything else as it is (nunjucks's fromIterator).
 */
function iterate(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  if (isPlainObject(value)) return Object.keys(value);
  if (value instanceof Map || value instanceof MultiDict) return [...value.keys()];
  if (Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  return value;
}

/** Python's slice of `length` items: the indices `[start:stop:step]` takes, negative ones counted from the end. */
function sliceIndices(length: number, start: unknown, stop: unknown, step: unknown): number[] {
  const by = step === null || step === undefined ? 1 : Math.trunc(Number(step));
  if (by === 0 || Number.isNaN(by)) throw new NunjucksTemplateError('a slice step cannot be zero');
  const [lower, upper] = by > 0 ? [0, length] : [-1, length - 1];
  const bound = (value: unknown, fallback: number): number => {
    if (value === null || value === undefined) return fallback;
    const index = Math.trunc(Number(value));
    return index < 0 ? Math.max(index + length, lower) : Math.min(index, upper);
  };
  const [from, to] = [bound(start, by > 0 ? lower : upper), bound(stop, by > 0 ? upper : lower)];
  const indices: number[] = [];
  for (let index = from; by > 0 ? index < to : index > to; index += by) indices.push(index);
  return indices;
}

/**
 * Jinja's `value[start:stop:step]`: a list's items or a text's characters (safe text stays safe); nothing for
 * undefined or none.
 */
function slice(value: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' || isMarkedSafe(value);
  const items: readonly unknown[] = text
    ? [...String(value)]
    : Array.isArray(value)
      ? value
      : Array.from(value as Iterable<unknown>);
  const picked = sliceIndices(items.length, start, stop, step).map((index) => items[index]);
  if (text) return copySafeness(value, picked.join(''));
  // A tuple's slice is a tuple: `'%s-%s' % pair[:2]` spreads it.
  return isTuple(value) ? tupleOf(picked) : picked;
}

/**
 * Jinja's `namespace()`: an object whose attributes `{% set ns.name = … %}` may set from inside a loop or a block,
 * where a plain `{% set %}` stays inside.
 *
 * @example
 * // {% set ns = namespace(found=false) %}{% for x in items %}{% if x.ok %}{% set ns.found = true %}{% endif %}{% endfor %}
 */
export class Namespace {
  [name: string]: unknown;
}

/** `namespace(found=false)` or `namespace({'a': 1}, b=2)`: a {@link Namespace} holding the values given. */
export function namespace(...args: unknown[]): Namespace {
  const { positional, keywords } = splitKeywords(args);
  const made = new Namespace();
  for (const values of [...positional, keywords ?? {}]) {
    if (typeof values !== 'object' || values === null)
      throw new NunjucksTemplateError('namespace() takes a dict and keywords');
    for (const [name, value] of Object.entries(values)) made[name] = value;
  }
  return made;
}

/**
 * Jinja's `cycler(…)`: `current` is the item `next()` gives next (the first, before any call and after `reset()`),
 * where nunjucks's gave the last one given.
 *
 * @example
 * // {% set row = cycler('odd', 'even') %}{% for user in users %}<tr class="{{ row.next() }}">…{% endfor %}
 */
export class Cycler {
  readonly #items: readonly unknown[];
  #position = 0;

  constructor(...items: unknown[]) {
    if (items.length === 0) throw new NunjucksTemplateError('cycler() needs at least one item');
    this.#items = items;
  }

  get current(): unknown {
    return this.#items[this.#position];
  }

  next(): unknown {
    const item = this.current;
    this.#position = (this.#position + 1) % this.#items.length;
    return item;
  }

  reset(): void {
    this.#position = 0;
  }
}

/**
 * Jinja's `a == b`: lists, dicts and dates by value as in Python (`(1, 2) == (1, 2)`), safe text as its text, and
 * anything else with JavaScript's loose `==`, as nunjucks wrote it (so `'1' == 1` stays true in Flagon's templates).
 */
function equals(a: unknown, b: unknown): boolean {
  const [left, right] = [plainText(a), plainText(b)];
  // biome-ignore lint/suspicious/noDoubleEquals: nunjucks's `==` is JavaScript's loose equality
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return left == right;
  return pythonEquals(left, right);
}

type Operand = string | number;
/** The comparisons templates write, as nunjucks writes them in JavaScript (`==` is loose, as nunjucks's). */
const COMPARISONS: Record<string, (a: unknown, b: unknown) => boolean> = {
  '==': equals,
  '===': (a, b) => a === b,
  '!=': (a, b) => !equals(a, b),
  '!==': (a, b) => a !== b,
  '<': (a, b) => (a as Operand) < (b as Operand),
  '>': (a, b) => (a as Operand) > (b as Operand),
  '<=': (a, b) => (a as Operand) <= (b as Operand),
  '>=': (a, b) => (a as Operand) >= (b as Operand),
};

/** `{% set ns.name = value %}`: only on a namespace, as in Jinja (a template does not change the app's objects). */
function setAttribute(target: unknown, name: string, value: unknown): void {
  if (name === '__proto__') throw new NunjucksTemplateError("a namespace has no attribute '__proto__' to set");
  if (!(target instanceof Namespace)) {
    throw new NunjucksTemplateError(
      `cannot set '${name}' on something that is not a namespace: make it one with {% set ns = namespace(${name}=…) %}`,
    );
  }
  target[name] = value;
}

/** nunjucks's run-time scope (its `Frame`): the names set in it, the scope around it, and whether sets stop at it. */
interface Frame {
  variables: Record<string, unknown>;
  parent: Frame | undefined;
  isolateWrites?: boolean;
}

/**
 * `{% set name = value %}`: the nearest scope that has the name takes the value, but no scope past one that isolates
 * its writes (a with or autoescape block, a block, a macro, an included template); else the current scope. nunjucks's
 * own set looks past every scope but the first, so a set in a loop inside a with block reached the template.
 */
function set(frame: Frame, name: string, value: unknown): void {
  for (let scope: Frame | undefined = frame; scope; scope = scope.parent) {
    if (scope.variables[name] !== undefined) {
      scope.variables[name] = value;
      return;
    }
    if (scope.isolateWrites) break;
  }
  frame.variables[name] = value;
}

/**
 * `{% set a, b = value %}`: the value's items, as many as there are names, or Python's error for a value that has
 * more, fewer, or none (a number).
 */
function unpack(value: unknown, count: number): unknown[] {
  let items: unknown[];
  try {
    items = sequence(value);
  } catch {
    throw new NunjucksTemplateError(`cannot unpack non-iterable ${typeof value} object`);
  }
  if (items.length < count)
    throw new NunjucksTemplateError(`not enough values to unpack (expected ${count}, got ${items.length})`);
  if (items.length > count) throw new NunjucksTemplateError(`too many values to unpack (expected ${count})`);
  return items;
}

/**
 * Jinja's `a + b`: two lists (or two tuples) joined, as in Python; text and safe text joined as Markup joins them (the
 * plain part escaped); anything else as JavaScript adds (numbers, text).
 */
function add(left: unknown, right: unknown): unknown {
  if (Array.isArray(left) && Array.isArray(right)) {
    const joined = left.concat(right);
    return isTuple(left) && isTuple(right) ? tupleOf(joined) : joined;
  }
  if ((isMarkedSafe(left) || isMarkedSafe(right)) && isText(left) && isText(right)) {
    return markSafe(escapeUnlessSafe(left) + escapeUnlessSafe(right));
  }
  return (left as number) + (right as number);
}

const isText = (value: unknown): boolean => typeof value === 'string' || isMarkedSafe(value);

/** Jinja's `a * b`: text or a list times a whole number repeats it (`'-' * 20`), as in Python; else a product. */
function multiply(left: unknown, right: unknown): unknown {
  const [times, repeated] = Number.isInteger(right) ? [right as number, left] : [left as number, right];
  if (Number.isInteger(times)) {
    const count = Math.max(0, times);
    if (typeof repeated === 'string') return repeated.repeat(count);
    if (isMarkedSafe(repeated)) return markSafe(String(repeated).repeat(count));
    if (Array.isArray(repeated)) {
      const list: unknown[] = [];
      for (let round = 0; round < count; round++) for (const item of repeated) list.push(item);
      return list;
    }
  }
  return (left as number) * (right as number);
}

/** Where a macro call's extra positional arguments travel to the macro's `varargs` (in its keyword arguments). */
const VARARGS = Symbol('varargs');

/**
 * nunjucks's macro, keeping what it dropped: positional arguments past the macro's parameters, for Jinja's
 * `varargs` (macroExtras reads them back).
 */
function collectingMacro(
  argNames: string[],
  kwargNames: string[],
  fn: (...args: unknown[]) => unknown,
): (...args: unknown[]) => unknown {
  const macro = makeMacro(argNames, kwargNames, fn);
  const fixed = argNames.length + kwargNames.length;
  return function (this: unknown, ...args: unknown[]): unknown {
    const last = args.at(-1) as { __keywords?: true } | undefined;
    const keywords = typeof last === 'object' && last !== null && last.__keywords === true ? last : null;
    const positional = keywords ? args.slice(0, -1) : args;
    if (positional.length <= fixed) return macro.apply(this, args);
    const extra = { ...keywords, __keywords: true, [VARARGS]: positional.slice(fixed) };
    return macro.apply(this, [...positional.slice(0, fixed), extra]);
  };
}

/**
 * A macro's `varargs` (positional arguments past its parameters) and `kwargs` (keyword arguments it has no parameter
 * for), as Jinja gives them to a macro whose body names them.
 */
function macroExtras(keywords: Record<string | symbol, unknown>, declared: string[]): [unknown[], object] {
  const rest = Object.fromEntries(
    Object.entries(keywords).filter(([name]) => name !== '__keywords' && name !== 'caller' && !declared.includes(name)),
  );
  return [tupleOf((keywords[VARARGS] as unknown[] | undefined) ?? []), rest];
}

/** The names Flask's templates have as globals, which Flagon's App passes in each render's context (app/templates.ts). */
const FLASK_GLOBALS = [
  'config',
  'request',
  'session',
  'g',
  'url_for',
  'urlFor',
  'get_flashed_messages',
  'getFlashedMessages',
  'csrf_token',
  'csrfToken',
];

/** The part of nunjucks's render context `self` needs: a block's function, as the most derived template has it. */
interface BlockContext {
  readonly blocks: Record<string, unknown>;
  getBlock(
    name: string,
  ): (
    env: unknown,
    context: BlockContext,
    frame: unknown,
    runtime: unknown,
    done: (error: unknown, output?: string) => void,
  ) => void;
}

/**
 * What compiled templates call, as `flagon.…`: Jinja's truth test, `or` and `and` (Python's operators return one of
 * their operands, chosen by {@link isTruthy}; the right one is a function, evaluated only when needed), `loop.cycle`,
 * member lookup with Python's dict methods, and the one-name loop over a dict's keys.
 *
 * @example
 * templateOperators.or([], () => 'none'); // 'none'
 */
export const templateOperators = Object.freeze({
  member,
  method,
  set,
  setAttribute,
  slice,
  makeMacro: collectingMacro,
  /** `f(*items)`: the items of a list (or any iterable, or a dict's keys), as Python spreads them. */
  sequence,
  /** `f(**options)`: a dict's entries as keyword arguments (a Map's too); anything else is Python's TypeError. */
  keywords(value: unknown): Record<string, unknown> {
    if (value instanceof Map) return Object.fromEntries(value);
    if (isPlainObject(value)) return value;
    throw new NunjucksTemplateError(
      `argument after ** must be a mapping, not ${value === null ? 'none' : typeof value}`,
    );
  },
  macroExtras,
  /**
   * Jinja's `self`, in a template: `self.title()` renders the block `title` as the most derived template defines
   * it, marked safe (it is template output).
   */
  selfBlocks(env: unknown, context: BlockContext, runtime: unknown): object {
    // Printed as Jinja prints it; any name that is not a block is undefined (no prototype: no `constructor`).
    const reference = Object.assign(Object.create(null) as object, { toString: () => '<TemplateReference>' });
    const Frame = (runtime as { Frame: new () => unknown }).Frame;
    return new Proxy(reference, {
      get(target, name) {
        if (typeof name !== 'string' || !Object.hasOwn(context.blocks, name)) return Reflect.get(target, name);
        return () => {
          let rendered = '';
          // A block sees the template's names, not the loop or macro that calls self.name() (as in Jinja).
          context.getBlock(name)(env, context, new Frame(), runtime, (error, output) => {
            if (error) throw error;
            rendered = output ?? '';
          });
          return markSafe(rendered);
        };
      },
    });
  },
  /**
   * What an include without context sees of the render's names: the helpers Flask makes Jinja globals (`url_for`,
   * `request`, `session`, `g`, `config`, flashed messages, `csrf_token`), under Flask's names and Flagon's.
   */
  globalsOf(variables: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(FLASK_GLOBALS.filter((name) => name in variables).map((name) => [name, variables[name]]));
  },
  /** Before a second `{% extends %}` runs: Jinja's error (nunjucks switched to the last parent without a word). */
  extendOnce(parent: unknown): void {
    if (parent) throw new NunjucksTemplateError('extended multiple times');
  },
  /** Where a `required` block stands: `filled` when a child template gave it a body, else Jinja's error. */
  requireBlock(filled: boolean, name: string): void {
    if (!filled) throw new NunjucksTemplateError(`Required block '${name}' not found`);
  },
  add,
  multiply,
  tuple: makeTuple,
  unpack,
  iterate,
  /** What a `{% set s %}…{% endset %}` body wrote: already escaped under autoescape, so marked safe (Jinja's Markup). */
  captured: (autoescape: unknown, text: string): unknown => (autoescape ? markSafe(text) : text),
  /** Jinja's `left ~ right`: none and undefined add nothing; under autoescape a safe part keeps its HTML. */
  concat: (autoescape: unknown, left: unknown, right: unknown): unknown =>
    autoescape && (isMarkedSafe(left) || isMarkedSafe(right))
      ? markSafe(escapeUnlessSafe(left) + escapeUnlessSafe(right))
      : printable(left) + printable(right),
  /**
   * Jinja's `a % b`: text formatted as Python's `'%.2f' % price` or `'%s-%s' % (a, b)`, numbers as Python's modulo
   * (the sign of the divisor: `-7 % 3` is 2).
   */
  mod(left: unknown, right: unknown): unknown {
    if (typeof left === 'string' || isMarkedSafe(left)) return percentFormat(left, right, SAFE_TEXT);
    const [a, b] = [left as number, right as number];
    const rest = a % b;
    return rest !== 0 && rest < 0 !== b < 0 ? rest + b : rest;
  },
  truthy: isTruthy,
  /** The render context as a filter inside `{% autoescape %}` sees it: the block's setting as `env.opts.autoescape`. */
  escaping(context: { env: { opts: object } }, autoescape: boolean): object {
    const opts = { ...context.env.opts, autoescape };
    return Object.create(context, { env: { value: Object.create(context.env, { opts: { value: opts } }) } }) as object;
  },
  /** Python's chained comparison: `chain(a, '<', () => b, '<', () => c)`, each operand read once, as needed. */
  chain(left: unknown, ...steps: unknown[]): boolean {
    let current = plainText(left);
    for (let index = 0; index < steps.length; index += 2) {
      const right = plainText((steps[index + 1] as () => unknown)());
      if (!COMPARISONS[steps[index] as string]!(current, right)) return false;
      current = right;
    }
    return true;
  },
  /** A comparison's operand: safe text as its text, so `a < b` compares two set blocks' text. */
  plain: plainText,
  equals,
  /** Jinja's `a in b` (see {@link contains}), safe text included. */
  contains: (value: unknown, container: unknown): boolean => contains(value, container),
  or: (left: unknown, right: () => unknown): unknown => (isTruthy(left) ? left : right()),
  and: (left: unknown, right: () => unknown): unknown => (isTruthy(left) ? right() : left),
  /**
   * Jinja's `loop.changed(value)`, one per run of a loop: true on the first call, then whenever the values differ
   * from the previous call's (`{% if loop.changed(post.day) %}<h2>{{ post.day }}</h2>{% endif %}`).
   */
  changed(): (...values: unknown[]) => boolean {
    let last: unknown[] | null = null;
    return (...values) => {
      const plainTexts = values.map(plainText);
      const same = last !== null && pythonEquals(last, plainTexts);
      last = plainTexts;
      return !same;
    };
  },
  /** Jinja's `loop.cycle('odd', 'even')`: one function for every loop, called on the loop (member lookups bind it). */
  cycle(this: { index0: number }, ...values: unknown[]): unknown {
    return values.length === 0 ? undefined : values[this.index0 % values.length];
  },
});
