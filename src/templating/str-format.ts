/** @module Python's str.format() (layer L3), for Jinja's '{}'.format(x) in templates. */
import { isPlainObject } from './jinja-signature.js';
import { dateAttribute, isoformat, strftime } from './python-datetime.js';
import { isTuple } from './python-tuple.js';

/** A replacement field as written, `{name!conversion:spec}`, and where the template goes on after it. */
interface Field {
  name: string;
  conversion: string;
  spec: string;
  end: number;
}

/** One call's arguments, and how it numbers fields: `{}` counts up, `{0}` names one; Python refuses to mix the two. */
interface Call {
  positional: readonly unknown[];
  keywords: Record<string, unknown>;
  formatField: FieldFormatter;
  numbering: { mode: 'auto' | 'manual' | undefined; next: number };
}

/**
 * How a field is written: `format(value, spec)` is Python's; a caller may write the value otherwise, or change what
 * `format` returns (Markup's format escapes it).
 */
export type FieldFormatter = (value: unknown, spec: string, format: (value: unknown, spec: string) => string) => string;

/** A format spec's parts, `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, defaults filled in. */
type Spec = ReturnType<typeof parseSpec>;

/** A number (not negative) as decimal digits without leading zeros, and where its point goes: `'25'` at 0 is 0.25. */
interface Decimal {
  digits: string;
  point: number;
}

const ZERO: Decimal = { digits: '0', point: 1 };

/**
 * Python's `template.format(*positional, **keywords)` as CPython 3.11 does it: `{}`, `{0}` and `{name}` fields with
 * `.attr` and `[key]` chains, `!s`/`!r`/`!a`, the format-spec mini-language with nested `{fields}`, and CPython's errors
 * (a ValueError, IndexError, KeyError... is an `Error` of that name, with CPython's message). `formatField` formats
 * each field's value (a nested field's too) after lookup and conversion: by default Python's `format(value, spec)`,
 * which it is given; a safe template's caller escapes what that returns, as Markup's format does.
 *
 * JavaScript values stand for Python's: a safe integer is an int (so `3.0`, the same number, prints `3`), other numbers
 * are floats (`1e16` prints `1e+16`, as repr does); booleans are bool (`True`, or `1` under a numeric spec). Where
 * Python differs, the project's way: `null` and `undefined` print `''` as the `%` formatter does (`None` under `!r`),
 * and any other object prints `String(value)` and takes a string's spec.
 *
 * @example
 * pythonStrFormat('{} items, {:.2f} €, {name!r:>6}', [3, 2.675], { name: 'pen' }); // "3 items, 2.67 €,  'pen'"
 */
export function pythonStrFormat(
  template: string,
  positional: readonly unknown[],
  keywords: Record<string, unknown>,
  formatField: FieldFormatter = (value, spec, format) => format(value, spec),
): string {
  return expand(template, { positional, keywords, formatField, numbering: { mode: undefined, next: 0 } }, 2);
}

/** `template` with its fields replaced; `depth` is the nesting left (CPython expands a spec's fields, not theirs). */
function expand(template: string, call: Call, depth: number): string {
  if (depth <= 0) throw valueError('Max string recursion exceeded');
  const braces = /[{}]/g;
  let out = '';
  for (let at = 0; at < template.length; ) {
    braces.lastIndex = at;
    const brace = braces.exec(template)?.index ?? template.length;
    const [char, next] = [template[brace], template[brace + 1]];
    out += template.slice(at, brace);
    at = brace + 2;
    if (char === undefined) break;
    if (char === next) out += char;
    else if (char === '}') throw valueError("Single '}' encountered in format string");
    else if (next === undefined) throw valueError("Single '{' encountered in format string");
    else {
      const field = parseField(template, brace + 1);
      out += renderField(field, call, depth);
      at = field.end;
    }
  }
  return out;
}

/** The field opening at `start` (past its `{`), read as CPython's parse_field does: a `[key]` holds any character. */
function parseField(template: string, start: number): Field {
  const nameRun = /(?:[^[{}:!]|\[[^\]]*)*/y;
  nameRun.lastIndex = start;
  nameRun.exec(template);
  let at = nameRun.lastIndex;
  const [name, char] = [template.slice(start, at), template[at++]];
  if (char === '{') throw valueError("unexpected '{' in field name");
  if (char === undefined) throw valueError("expected '}' before end of string");
  if (char === '}') return { name, conversion: '', spec: '', end: at };
  let conversion = '';
  if (char === '!') {
    if (at >= template.length) throw valueError('end of string while looking for conversion specifier');
    conversion = template[at++]!;
    const after = template[at++];
    if (after === '}') return { name, conversion, spec: '', end: at };
    if (after !== ':' && after !== undefined) throw valueError("expected ':' after conversion specifier");
  }
  // The spec runs to the `}` that balances the field's `{`, past nested fields such as `{width}`.
  for (let end = at, open = 1; end < template.length; end++) {
    open += template[end] === '{' ? 1 : template[end] === '}' ? -1 : 0;
    if (open === 0) return { name, conversion, spec: template.slice(at, end), end: end + 1 };
  }
  throw valueError("unmatched '{' in format spec");
}

const CONVERSIONS: Record<string, (value: unknown) => string> = {
  s: pythonStr,
  r: pythonRepr,
  a: pythonAscii,
};

/** The field's value, converted, and formatted by its spec (whose own fields expanded) through `formatField`. */
function renderField(field: Field, call: Call, depth: number): string {
  let value = lookUp(field.name, call);
  if (field.conversion !== '') {
    const conversion = CONVERSIONS[field.conversion];
    if (conversion === undefined) throw valueError(`Unknown conversion specifier ${shownCode(field.conversion)}`);
    value = conversion(value);
  }
  const spec = field.spec.includes('{') ? expand(field.spec, call, depth - 1) : field.spec;
  return call.formatField(value, spec, formatValue);
}

/** The value a field name reaches: an argument (`0`, the next one, or a keyword), then its `.attr` and `[key]` steps. */
function lookUp(name: string, call: Call): unknown {
  const first = /^[^.[]*/.exec(name)![0];
  let value = argument(first, call);
  const step = /\.([^.[]*)|\[([^\]]*)\]/y;
  step.lastIndex = first.length;
  while (step.lastIndex < name.length) {
    const match = step.exec(name);
    if (match === null) throw valueError("Only '.' or '[' may follow ']' in format field specifier");
    const [, attr, key = ''] = match;
    if ((attr ?? key) === '') throw valueError('Empty attribute in format string');
    value = attr !== undefined ? attribute(value, attr) : item(value, integer(key) ?? key);
  }
  return value;
}

const NUMBERING = { auto: 'automatic field numbering', manual: 'manual field specification' };

function argument(first: string, call: Call): unknown {
  const index = integer(first);
  if (first !== '' && index === undefined) {
    if (!Object.hasOwn(call.keywords, first)) throw pythonError('KeyError', reprString(first));
    return call.keywords[first];
  }
  const mode = index === undefined ? 'auto' : 'manual';
  const current = (call.numbering.mode ??= mode);
  if (current !== mode) throw valueError(`cannot switch from ${NUMBERING[current]} to ${NUMBERING[mode]}`);
  const position = index ?? call.numbering.next++;
  if (position >= call.positional.length) {
    throw pythonError('IndexError', `Replacement index ${position} out of range for positional args tuple`);
  }
  return call.positional[position];
}

/** `value.name`, a JavaScript property read; a missing one is Python's AttributeError. */
function attribute(value: unknown, name: string): unknown {
  // `{0.year}` of a Date: its datetime attributes.
  const dated = value instanceof Date ? dateAttribute(value, name) : undefined;
  if (dated !== undefined) return dated;
  if (value === null || value === undefined || !(name in Object(value))) {
    throw pythonError('AttributeError', `'${typeName(value)}' object has no attribute '${name}'`);
  }
  return (value as Record<string, unknown>)[name];
}

/** `value[key]`: a string's character or a list's item by number, else an object's own key; Python's errors. */
function item(value: unknown, key: string | number): unknown {
  const type = typeName(value);
  if (typeof value === 'string' || Array.isArray(value)) {
    const items: readonly unknown[] = typeof value === 'string' ? Array.from(value) : value;
    if (typeof key === 'string') {
      throw new TypeError(
        type === 'str'
          ? "string indices must be integers, not 'str'"
          : `${type} indices must be integers or slices, not str`,
      );
    }
    if (key >= items.length) throw pythonError('IndexError', `${type === 'str' ? 'string' : type} index out of range`);
    return items[key];
  }
  if (typeof value !== 'object' || value === null) throw new TypeError(`'${type}' object is not subscriptable`);
  if (!Object.hasOwn(value, key)) throw pythonError('KeyError', typeof key === 'string' ? reprString(key) : `${key}`);
  return (value as Record<string | number, unknown>)[key];
}

/** `text` as a number when it is all digits (CPython's get_integer), else undefined. */
function integer(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  if (BigInt(text) >= 2n ** 63n) throw valueError('Too many decimal digits in format string');
  return Number(text);
}

/** Python's type name for a JavaScript value, as this module reads it. */
function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return isTuple(value) ? 'tuple' : 'list';
  return isPlainObject(value) ? 'dict' : (value.constructor?.name ?? 'object');
}

/** `str(value)`, but `null` and `undefined` are `''` and other objects `String(value)`. */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return String(value);
  return (value < 0 ? '-' : '') + floatBody(Math.abs(value), '', undefined, false);
}

/**
 * Python's `repr(value)`: quoted strings, `None`, `True`, lists, tuples and dicts of those (`{!r}` and `%r`).
 *
 * @example
 * pythonRepr(['a', null, true, { k: 1.5 }]); // "['a', None, True, {'k': 1.5}]"
 */
export function pythonRepr(value: unknown): string {
  if (typeof value === 'string') return reprString(value);
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) {
    const items = value.map((entry) => pythonRepr(entry)).join(', ');
    return !isTuple(value) ? `[${items}]` : value.length === 1 ? `(${items},)` : `(${items})`;
  }
  if (typeof value !== 'object' || !isPlainObject(value)) return pythonStr(value);
  return `{${Object.entries(value)
    .map(([key, entry]) => `${reprString(key)}: ${pythonRepr(entry)}`)
    .join(', ')}}`;
}

const CONTROL_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Python's `ascii(value)`: its repr with every character beyond ASCII escaped (`{!a}` and `%a`).
 *
 * @example
 * pythonAscii('é'); // "'\\xe9'"
 */
export function pythonAscii(value: unknown): string {
  return pythonRepr(value).replace(/[^\x00-\x7f]/gu, escapeCodePoint);
}

/** A string's repr: in `'` unless it holds `'` and no `"`; backslashes, that quote and unprintables escaped. */
function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replace(/[\\'"]|\p{C}|\p{Z}/gu, (char) => {
    if (char === '\\' || char === quote) return `\\${char}`;
    return char === ' ' || char === "'" || char === '"' ? char : (CONTROL_ESCAPES[char] ?? escapeCodePoint(char));
  });
  return quote + body + quote;
}

/** `\xhh`, `\uhhhh` or `\Uhhhhhhhh`, as Python's repr and ascii write a character. */
function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = (size: number): string => code.toString(16).padStart(size, '0');
  return code < 0x100 ? `\\x${hex(2)}` : code < 0x10000 ? `\\u${hex(4)}` : `\\U${hex(8)}`;
}

/** `format(value, spec)`: numbers by int's or float's rules, anything else as a string. */
function formatValue(value: unknown, text: string): string {
  // A datetime formats with its spec as strftime does (`{:%Y-%m-%d}`), and prints as str(datetime) without one.
  if (value instanceof Date) return text === '' ? isoformat(value, ' ', 'auto') : strftime(value, text);
  if (text === '') return pythonStr(value);
  const type = typeName(value);
  if (type === 'float') return formatFloat(value as number, parseSpec(text, type, '', '>'), type);
  if (type !== 'int' && type !== 'bool') return formatText(pythonStr(value), parseSpec(text, type, 's', '<'), type);
  const spec = parseSpec(text, type, 'd', '>');
  if (oneOf(spec.type, 'eEfFgG%')) return formatFloat(Number(value), spec, type);
  return formatInteger(Number(value), spec, type);
}

/** The spec's parts, read and checked as CPython's parse_internal_render_format_spec does. */
function parseSpec(text: string, objectType: string, defaultType: string, defaultAlign: string) {
  const chars = Array.from(text);
  // The fill is any one character, and only a fill when an alignment follows it.
  let fill = oneOf(chars[1], '<>=^') ? chars[0]! : '';
  let at = fill === '' ? 0 : 1;
  const take = (options: string): string => (oneOf(chars[at], options) ? chars[at++]! : '');
  const takeInteger = (): number | undefined => {
    const start = at;
    while (oneOf(chars[at], '0123456789')) at++;
    return integer(chars.slice(start, at).join(''));
  };
  let align = take('<>=^');
  const sign = take('+- ');
  const noNegativeZero = take('z') !== '';
  const alternate = take('#') !== '';
  if (fill === '' && take('0') !== '') {
    fill = '0';
    align ||= defaultAlign === '>' ? '=' : '';
  }
  const width = takeInteger() ?? 0;
  const separator = take(',_');
  if (separator !== '' && oneOf(chars[at], ',_')) throw valueError("Cannot specify both ',' and '_'.");
  const dot = take('.') !== '';
  const precision = dot ? takeInteger() : undefined;
  if (dot && precision === undefined) throw valueError('Format specifier missing precision');
  if (chars.length - at > 1) throw valueError(`Invalid format specifier '${text}' for object of type '${objectType}'`);
  const type = chars[at] ?? defaultType;
  const groupSize = separator === '_' && oneOf(type, 'boxX') ? 4 : 3;
  if (separator !== '' && groupSize === 3 && type !== '' && !oneOf(type, 'deEfFgG%')) {
    throw valueError(`Cannot specify '${separator}' with '${shownCode(type)}'.`);
  }
  align ||= defaultAlign;
  return { fill: fill || ' ', align, sign, noNegativeZero, alternate, width, separator, groupSize, precision, type };
}

function formatText(text: string, spec: Spec, objectType: string): string {
  if (spec.type !== 's') throw unknownCode(spec.type, objectType);
  if (spec.sign !== '') {
    throw valueError(`${spec.sign === ' ' ? 'Space' : 'Sign'} not allowed in string format specifier`);
  }
  if (spec.noNegativeZero) throw valueError('Negative zero coercion (z) not allowed in string format specifier');
  if (spec.alternate) throw valueError('Alternate form (#) not allowed in string format specifier');
  if (spec.align === '=') throw valueError("'=' alignment not allowed in string format specifier");
  return pad('', spec.precision === undefined ? text : Array.from(text).slice(0, spec.precision).join(''), spec);
}

const RADIX: Record<string, number> = { b: 2, o: 8, x: 16, X: 16 };

function formatInteger(x: number, spec: Spec, objectType: string): string {
  if (!oneOf(spec.type, 'bcdoxXn')) throw unknownCode(spec.type, objectType);
  if (spec.precision !== undefined) throw valueError('Precision not allowed in integer format specifier');
  if (spec.noNegativeZero) throw valueError('Negative zero coercion (z) not allowed in integer format specifier');
  if (spec.type === 'c') {
    if (spec.sign !== '') throw valueError("Sign not allowed with integer format specifier 'c'");
    if (spec.alternate) throw valueError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (x < 0 || x >= 0x110000) throw pythonError('OverflowError', '%c arg not in range(0x110000)');
    return pad('', String.fromCodePoint(x), spec);
  }
  const digits = Math.abs(x).toString(RADIX[spec.type] ?? 10);
  const prefix = spec.alternate && spec.type in RADIX ? `0${spec.type}` : '';
  return assemble(x < 0, prefix, spec.type === 'X' ? digits.toUpperCase() : digits, '', spec);
}

function formatFloat(x: number, spec: Spec, objectType: string): string {
  if (spec.type !== '' && !oneOf(spec.type, 'eEfFgGn%')) throw unknownCode(spec.type, objectType);
  const type = spec.type.toLowerCase();
  const body = floatBody(Math.abs(type === '%' ? x * 100 : x), type, spec.precision, spec.alternate);
  // `z` drops the sign of a value that rounds to zero.
  const negative = x < 0 && !(spec.noNegativeZero && Number.isFinite(x) && !/[1-9]/.test(body));
  const [, digits = '', rest = ''] = /^(\d*)(.*)$/s.exec(type === spec.type ? body : body.toUpperCase())!;
  return assemble(negative, '', digits, rest + (type === '%' ? '%' : ''), spec);
}

/** `x` (not negative) in a float presentation (lower case, `''` for none), before sign and padding. */
function floatBody(x: number, type: string, precision: number | undefined, alternate: boolean): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : 'inf';
  // No type and no precision is repr(x): the shortest digits that read back as x, in exponent form from 1e16.
  if (type === '' && precision === undefined) return general(shortestDecimal(x), 16, alternate, true);
  const exact = exactDecimal(x);
  const places = precision ?? 6;
  if (type === 'f' || type === '%') return fixed(roundTo(exact, exact.point + places), places, alternate);
  if (type === 'e') {
    const { digits, point } = roundTo(exact, places + 1);
    const mantissa = digits.padEnd(places + 1, '0').slice(0, places + 1);
    return mantissa[0] + (places > 0 || alternate ? '.' : '') + mantissa.slice(1) + exponent(point - 1);
  }
  // 'g' and 'n'; or no type with a precision: 'g' with a digit after the point, in exponent form a place sooner.
  const significant = Math.max(places, 1);
  const rounded = roundTo(exact, significant);
  const kept = rounded.digits.slice(0, significant);
  const digits = alternate ? kept.padEnd(significant, '0') : kept.replace(/(?<=.)0+$/, '');
  const limit = type === '' ? significant - 1 : significant;
  return general({ digits, point: rounded.point }, limit, alternate, type === '');
}

/** Python's 'g' layout: exponent form when the point is below -3 or past `limit`, else fixed (`.0` if `addDot0`). */
function general({ digits, point }: Decimal, limit: number, alternate: boolean, addDot0: boolean): string {
  const places = Math.max(digits.length - point, addDot0 ? 1 : 0);
  if (point > -4 && point <= limit) return fixed({ digits, point }, places, alternate);
  return digits[0] + (digits.length > 1 || alternate ? '.' : '') + digits.slice(1) + exponent(point - 1);
}

/** Rounded digits written with `places` decimals (and with `#`, a point even when there are none). */
function fixed({ digits, point }: Decimal, places: number, alternate: boolean): string {
  const whole = point > 0 ? digits.slice(0, point).padEnd(point, '0') : '0';
  const fraction = point < 0 ? '0'.repeat(-point) + digits : digits.slice(Math.max(point, 0));
  return whole + (places > 0 || alternate ? '.' : '') + fraction.padEnd(places, '0').slice(0, places);
}

function exponent(power: number): string {
  return `e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
}

function shortestDecimal(x: number): Decimal {
  const [mantissa = '', power = '0'] = x.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), point: Number(power) + 1 };
}

/** Every digit of `x`: a double is m / 2^h, which is m × 5^h / 10^h, a finite decimal. */
function exactDecimal(x: number): Decimal {
  let [scaled, halvings] = [x, 0];
  for (; !Number.isInteger(scaled); halvings++) scaled *= 2;
  const digits = String(BigInt(scaled) * 5n ** BigInt(halvings));
  return { digits, point: digits.length - halvings };
}

/** `decimal` rounded to `keep` digits, an exact tie to the even digit: Python's correctly rounded formatting. */
function roundTo(decimal: Decimal, keep: number): Decimal {
  if (decimal.digits.length <= keep) return decimal;
  if (keep < 0) return ZERO;
  const [head, tail] = [decimal.digits.slice(0, keep), decimal.digits.slice(keep)];
  const tie = tail === '5'.padEnd(tail.length, '0');
  if (tail < '5' || (tie && Number(head.at(-1) ?? 0) % 2 === 0))
    return head === '' ? ZERO : { ...decimal, digits: head };
  const bumped = String(BigInt(head) + 1n);
  return { digits: bumped, point: decimal.point + bumped.length - head.length };
}

/** A number's parts laid out as CPython's fill_number does: sign, prefix, grouped digits, the rest; padded. */
function assemble(negative: boolean, prefix: string, digits: string, rest: string, spec: Spec): string {
  const head = (negative ? '-' : spec.sign.replace('-', '')) + prefix;
  const zeroFill = spec.fill === '0' && spec.align === '=' ? spec.width - head.length - rest.length : 0;
  return pad(head, group(digits, spec, zeroFill) + rest, spec);
}

/** `digits` in groups; leading zeros widen them to `minWidth` (a separator never leads). */
function group(digits: string, spec: Spec, minWidth: number): string {
  if (digits === '' || spec.separator === '') return digits === '' ? '' : digits.padStart(minWidth, '0');
  const groups: string[] = [];
  for (let rest = digits, width = minWidth; ; width -= spec.separator.length) {
    const size = Math.min(spec.groupSize, Math.max(rest.length, width, 1));
    groups.push(rest.slice(-size).padStart(size, '0'));
    rest = rest.slice(0, Math.max(0, rest.length - size));
    width -= size;
    if (rest === '' && width <= 0) return groups.reverse().join(spec.separator);
  }
}

/** `head + body` padded to the spec's width with its fill; `=` pads between the two (after the sign). */
function pad(head: string, body: string, spec: Spec): string {
  const missing = spec.width - codePoints(head + body);
  if (missing <= 0) return head + body;
  const left = spec.align === '>' ? missing : spec.align === '^' ? Math.floor(missing / 2) : 0;
  const [before, after] = [spec.fill.repeat(left), spec.fill.repeat(missing - left)];
  return spec.align === '=' ? head + after + body : before + head + body + after;
}

function codePoints(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

function oneOf(char: string | undefined, options: string): boolean {
  return char !== undefined && char !== '' && options.includes(char);
}

/** A type or conversion character as CPython's messages show it: itself, or `\xhh` when unprintable. */
function shownCode(char: string): string {
  return char > ' ' && char < '\x7f' ? char : `\\x${char.codePointAt(0)!.toString(16)}`;
}

function unknownCode(code: string, objectType: string): Error {
  return valueError(`Unknown format code '${shownCode(code)}' for object of type '${objectType}'`);
}

function valueError(message: string): Error {
  return pythonError('ValueError', message);
}

/** An `Error` named as Python's exception, with CPython's message. */
function pythonError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
