/** @module Python's dict, list and str methods (layer L3): what `d.update(…)`, `items.append(x)` and `s.upper()` call in a template. */
import { compare, escapeUnlessSafe, isPlainObject, pairs, pythonEquals, sequence } from './jinja-signature.js';
import { type PythonMethod, splitKeywords } from './keywords.js';
import { escapeHtml, isMarkedSafe, markSafe, NunjucksTemplateError as TemplateError } from './nunjucks.js';
import { isTuple, makeTuple } from './python-tuple.js';
import { span, STR_METHODS } from './python-str-methods.js';
import { DATE_METHODS } from './python-datetime.js';
import { type FieldFormatter, pythonStrFormat } from './str-format.js';

type Dict = Record<string, unknown>;

/** `dict[key] = value`, where a key `__proto__` (from JSON, say) is a key like any other, not the object's prototype. */
function setItem(dict: Dict, key: unknown, value: unknown): void {
  Object.defineProperty(dict, String(key), { value, writable: true, enumerable: true, configurable: true });
}

function keyError(key: unknown): never {
  throw new TemplateError(`KeyError: ${JSON.stringify(key)}`);
}

/** Python's dict methods, for a plain object (`form.errors.items()`); `get` gives `null` (None) for a missing key. */
const DICT_METHODS: Readonly<Record<string, PythonMethod<Dict>>> = {
  items: (dict) => Object.entries(dict),
  keys: (dict) => Object.keys(dict),
  values: (dict) => Object.values(dict),
  get: (dict, [key, fallback = null]) => (Object.hasOwn(dict, String(key)) ? dict[String(key)] : fallback),
  update: (dict, [other], keywords) => {
    for (const [key, value] of other === undefined ? [] : isPlainObject(other) ? Object.entries(other) : entries(other))
      setItem(dict, key, value);
    for (const [key, value] of Object.entries(keywords)) setItem(dict, key, value);
    return null;
  },
  pop: (dict, args) => {
    const key = String(args[0]);
    if (!Object.hasOwn(dict, key)) return args.length > 1 ? args[1] : keyError(args[0]);
    const value = dict[key];
    delete dict[key];
    return value;
  },
  popitem: (dict) => {
    const key = Object.keys(dict).at(-1);
    if (key === undefined) throw new TemplateError("KeyError: 'popitem(): dictionary is empty'");
    const value = dict[key];
    delete dict[key];
    return makeTuple(key, value);
  },
  setdefault: (dict, [key, fallback = null]) => {
    if (!Object.hasOwn(dict, String(key))) setItem(dict, key, fallback);
    return dict[String(key)];
  },
  // A plain, changeable copy (of frozen data too); fromEntries keeps a `__proto__` key a key.
  copy: (dict) => Object.fromEntries(Object.entries(dict)),
  clear: (dict) => {
    for (const key of Object.keys(dict)) delete dict[key];
    return null;
  },
};

/**
 * Jinja's `dict()` global: `dict(a=1)`, `dict(other)`, `dict([('a', 1)])`, `dict(other, b=2)`, a new plain object.
 *
 * @example
 * pythonDict({ a: 1, __keywords: true }); // { a: 1 } (what `dict(a=1)` passes)
 */
export function pythonDict(...args: unknown[]): Dict {
  const { positional, keywords } = splitKeywords(args);
  if (positional.length > 1) throw new TemplateError(`dict expected at most 1 argument, got ${positional.length}`);
  const made: Dict = {};
  DICT_METHODS.update!(made, positional, keywords ?? {});
  return made;
}

/** `dict.update()`'s argument when it is not a dict: a Map's or MultiDict's pairs, or a list of `(key, value)`. */
function entries(other: unknown): Array<[unknown, unknown]> {
  if (typeof other === 'object' && other !== null && !Array.isArray(other)) return pairs(other);
  return sequence(other).map((pair, index) => {
    const items = sequence(pair);
    if (items.length !== 2)
      throw new TemplateError(`dictionary update sequence element #${index} has length ${items.length}; 2 is required`);
    return [items[0], items[1]];
  });
}

/** The position of `value` in `list` by Python's `==`, or Python's ValueError. */
function position(list: unknown[], value: unknown, start?: unknown, end?: unknown): number {
  const [from, to] = span(list.length, start, end);
  const index = list.findIndex((item, at) => at >= from && at < to && pythonEquals(item, value));
  if (index < 0) throw new TemplateError(`ValueError: ${JSON.stringify(value)} is not in list`);
  return index;
}

/** Python's list methods for an array (a tuple has only `index` and `count`): they change the list in place. */
const LIST_METHODS: Readonly<Record<string, PythonMethod<unknown[]>>> = {
  index: (list, [value, start, end]) => position(list, value, start, end),
  count: (list, [value]) => list.filter((item) => pythonEquals(item, value)).length,
  append: (list, [value]) => {
    list.push(value);
    return null;
  },
  extend: (list, [values]) => {
    // One push per item: a spread of 200,000 items would overflow the stack.
    for (const value of sequence(values)) list.push(value);
    return null;
  },
  insert: (list, [at, value]) => {
    const index = Math.trunc(Number(at));
    list.splice(index < 0 ? Math.max(0, list.length + index) : index, 0, value);
    return null;
  },
  remove: (list, [value]) => {
    list.splice(position(list, value), 1);
    return null;
  },
  pop: (list, [at = -1]) => {
    if (list.length === 0) throw new TemplateError('IndexError: pop from empty list');
    const index = Math.trunc(Number(at)) < 0 ? list.length + Math.trunc(Number(at)) : Math.trunc(Number(at));
    if (index < 0 || index >= list.length) throw new TemplateError('IndexError: pop index out of range');
    return list.splice(index, 1)[0];
  },
  clear: (list) => {
    list.length = 0;
    return null;
  },
  copy: (list) => [...list],
  reverse: (list) => {
    list.reverse();
    return null;
  },
  // Python's order (numbers by value, where JavaScript's sort() compares text), stable, with `key` and `reverse`.
  sort: (list, _args, { key, reverse }) => {
    const keyOf = typeof key === 'function' ? (item: unknown) => key(item) : (item: unknown) => item;
    const sign = reverse ? -1 : 1;
    list.sort((a, b) => sign * compare(keyOf(a), keyOf(b)));
    return null;
  },
};

const TUPLE_METHODS = new Set(['index', 'count']);

/**
 * Whether `name` is one of Python's dict, list, str or datetime methods: the compiler writes a call `x.name(…)` of such a name
 * through {@link pythonMethod}.
 *
 * @example
 * isPythonMethod('append'); // true
 */
export function isPythonMethod(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    (Object.hasOwn(DICT_METHODS, name) ||
      Object.hasOwn(LIST_METHODS, name) ||
      Object.hasOwn(STR_METHODS, name) ||
      Object.hasOwn(DATE_METHODS, name))
  );
}

/**
 * The Python method `name` of `obj`, bound, for a call in a template; `undefined` when `obj` has none of that name
 * (the caller then reads the member as it would otherwise). Text takes str's (`s.split(',')` splits as Python, not as
 * JavaScript), and safe text Markup's (what it inserts escaped, its text results safe); an array takes list's, a Date
 * datetime's (`strftime`, `isoformat`), and a plain object dict's, unless it has a function of that name of its own.
 * Keyword arguments (`l.sort(reverse=true)`) reach the method as keywords.
 *
 * @example
 * pythonMethod({ a: 1 }, 'update')!({ b: 2 }); // the dict is now { a: 1, b: 2 }
 */
export function pythonMethod(obj: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof obj === 'string' && Object.hasOwn(STR_METHODS, name)) return call(STR_METHODS[name]!, obj, name);
  if (isMarkedSafe(obj) && Object.hasOwn(STR_METHODS, name)) return safeTextMethod(name, String(obj));
  if (Array.isArray(obj) && Object.hasOwn(LIST_METHODS, name) && (!isTuple(obj) || TUPLE_METHODS.has(name)))
    return call(LIST_METHODS[name]!, obj, name);
  if (obj instanceof Date && Object.hasOwn(DATE_METHODS, name)) return call(DATE_METHODS[name]!, obj, name);
  if (isPlainObject(obj) && typeof obj[name] !== 'function' && Object.hasOwn(DICT_METHODS, name))
    return call(DICT_METHODS[name]!, obj, name);
  return undefined;
}

// The dict methods a template may read without calling (`d.items`, to hand on): others read as a missing field, so a
// record without a `copy` field prints nothing for `{{ post.copy }}`.
const READABLE_DICT_METHODS = new Set(['items', 'keys', 'values', 'get']);

/**
 * A dict method for a plain object with no property of that name (`d.items` read without calling it), else
 * `undefined`.
 */
export function dictMethod(obj: unknown, name: string | number): ((...args: unknown[]) => unknown) | undefined {
  if (typeof name !== 'string' || !isPlainObject(obj) || !READABLE_DICT_METHODS.has(name)) return undefined;
  return call(DICT_METHODS[name]!, obj, name);
}

// The list and dict methods that change what they are called on.
const CHANGING = new Set(['append', 'extend', 'insert', 'remove', 'pop', 'clear', 'reverse', 'sort']);
for (const name of ['update', 'popitem', 'setdefault']) CHANGING.add(name);

/** `method` bound to `self`, its errors template errors (they get the template's name and line). */
function call<Self>(method: PythonMethod<Self>, self: Self, name: string): (...args: unknown[]) => unknown {
  return (...args) => {
    if (CHANGING.has(name) && typeof self === 'object' && self !== null && !Object.isExtensible(self)) {
      const kind = Array.isArray(self) ? 'list' : 'dict';
      throw new TemplateError(`${name}() changes the ${kind}, which is read-only (frozen) here: change a copy()`);
    }
    const { positional, keywords } = splitKeywords(args);
    try {
      return method(self, positional, keywords ?? {});
    } catch (error) {
      throw asTemplateError(error);
    }
  };
}

/** A JavaScript error (a RangeError for a string too long) or a Python-named one (str.format's KeyError) as a template error. */
function asTemplateError(error: unknown): unknown {
  if (error instanceof TemplateError || !(error instanceof Error)) return error;
  return new TemplateError(error.name === 'Error' ? error.message : `${error.name}: ${error.message}`);
}

// Markup's methods (MarkupSafe 3): the one argument each escapes (the text it inserts; `join`'s items), and those
// whose text results are safe. The others' arguments are compared, not inserted: `Markup('a,b').split(',')`.
const ESCAPED_ARGUMENT: Readonly<Record<string, number>> = { replace: 1, center: 1, ljust: 1, rjust: 1, join: 0 };
const SAFE_RESULT = new Set(['capitalize', 'title', 'lower', 'upper', 'swapcase', 'casefold', 'replace', 'zfill']);
for (const name of ['center', 'ljust', 'rjust', 'strip', 'lstrip', 'rstrip', 'removeprefix', 'removesuffix'])
  SAFE_RESULT.add(name);
for (const name of ['partition', 'rpartition', 'split', 'rsplit', 'splitlines', 'join', 'format', 'format_map'])
  SAFE_RESULT.add(name);

/** Safe text's (Markup's) method `name`: the text it inserts escaped, and its text results safe. */
function safeTextMethod(name: string, self: string): (...args: unknown[]) => unknown {
  const escaped = (value: unknown): unknown => {
    if (Array.isArray(value)) return copyTupleness(value, value.map(escaped));
    return escapeUnlessSafe(value);
  };
  const safe = (value: unknown): unknown => {
    if (typeof value === 'string') return markSafe(value);
    if (Array.isArray(value)) return copyTupleness(value, value.map(safe));
    return value;
  };
  return (...args) => {
    const { positional, keywords } = splitKeywords(args);
    const named = keywords ?? {};
    let result: unknown;
    try {
      // format() escapes each field it fills in, after reading its attributes (`{0.name}`) and applying its spec.
      if (name === 'format') result = pythonStrFormat(self, positional, named, escapeField);
      else if (name === 'format_map') result = pythonStrFormat(self, [], (positional[0] ?? {}) as Dict, escapeField);
      else {
        const inserted = ESCAPED_ARGUMENT[name];
        // join()'s items are escaped one by one, whatever holds them (a list, a dict's keys, a string's characters).
        const insertedValue = (value: unknown) => escaped(name === 'join' ? sequence(value) : value);
        const values = positional.map((value, index) => (index === inserted ? insertedValue(value) : plain(value)));
        result = STR_METHODS[name]!(self, values, named);
      }
    } catch (error) {
      throw asTemplateError(error);
    }
    return SAFE_RESULT.has(name) ? safe(result) : result;
  };
}

/**
 * A field Markup's format() fills in: formatted by its spec, then escaped, so no spec can make markup of the data
 * (`{:c}` of 60 is `&lt;`); safe text as it is, and, as in MarkupSafe, with no spec.
 */
const escapeField: FieldFormatter = (value, spec, format) => {
  if (!isMarkedSafe(value)) return escapeHtml(format(value, spec));
  if (spec !== '') throw new TemplateError('Unsupported format specification for Markup.');
  return String(value);
};

/** Safe text as the text it holds (a list's items too), so methods take it as text. */
function plain(value: unknown): unknown {
  if (isMarkedSafe(value)) return String(value);
  if (Array.isArray(value)) return copyTupleness(value, value.map(plain));
  return value;
}

function copyTupleness(from: unknown[], items: unknown[]): unknown[] {
  return isTuple(from) ? makeTuple(...items) : items;
}
