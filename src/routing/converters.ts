/** @module URL converters (layer L1): how a rule's `<int:id>` matches a path segment, turns into a value, and back into a URL. */

/**
 * Arguments written in a rule, `<int(min=1, fixedDigits=4):id>`: positional ones in order, keyword ones by name.
 *
 * @example
 * const args: ConverterArgs = { positional: [], keyword: { min: 1, fixedDigits: 4 } };
 */
export interface ConverterArgs {
  positional: Array<string | number | boolean | null>;
  keyword: Record<string, string | number | boolean | null>;
}

/**
 * A converter: a regular expression for one part of a path, and the two conversions. `toValue` may throw
 * {@link ValidationError} to say "this segment does not match after all" (an int out of range, say).
 *
 * @example
 * const upper: Converter<string> = {
 *   regex: '[A-Z]+', weight: 100, partIsolating: true,
 *   toValue: (text) => text, toUrl: (value) => encodeURIComponent(value),
 * };
 */
export interface Converter<T = unknown> {
  /** A pattern for the text, without anchors or capturing groups. */
  readonly regex: string;
  /** Lower weights are tried first among dynamic parts (Werkzeug: int and float 50, string 100, path 200). */
  readonly weight: number;
  /** False when the converter can match `/` (only `path`): it then takes whole segments. */
  readonly partIsolating: boolean;
  toValue(text: string): T;
  toUrl(value: T): string;
}

/**
 * Builds a converter from the arguments written in the rule.
 *
 * @example
 * const factories: Record<string, ConverterFactory> = { upper: () => upper };
 */
export type ConverterFactory = (args: ConverterArgs) => Converter;

/**
 * Thrown by a converter's `toValue` when the text matched the pattern but is not a valid value; the matcher then
 * tries the next rule.
 *
 * @example
 * if (value < 1) throw new ValidationError();
 */
export class ValidationError extends Error {
  constructor(message = 'the value does not fit the converter') {
    super(message);
    this.name = 'ValidationError';
  }
}

// Werkzeug keeps !$&'()*+,:;=@ readable in a segment (RFC 3986 sub-delims, ':' and '@'); '/' only in `path`.
function quoteSegment(value: string, keepSlash: boolean): string {
  const quoted = encodeURIComponent(value).replace(/%(24|26|2B|2C|3A|3B|3D|40)/g, (match) => decodeURIComponent(match));
  return keepSlash ? quoted.replaceAll('%2F', '/') : quoted;
}

/**
 * A converter's number argument by name (camelCase or snake_case) or position, `undefined` when absent or `None`;
 * anything else but a number throws.
 *
 * @example
 * numberArg(parseConverterArgs('min=1, max_value=9'), 'maxValue', 1); // 9
 */
export function numberArg(args: ConverterArgs, name: string, position: number): number | undefined {
  const value =
    args.keyword[name] ??
    args.keyword[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] ??
    args.positional[position];
  if (value === undefined || value === null) return undefined; // None: no limit, as Werkzeug's default
  if (typeof value !== 'number')
    throw new TypeError(`converter argument ${name} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function boolArg(args: ConverterArgs, name: string): boolean {
  const value = args.keyword[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean')
    throw new TypeError(`converter argument ${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The number a numeric converter builds from: a number, or a string that reads as one (Python's `int('5')`). Anything
 * else is the caller's mistake, not "no such URL": a TypeError, as in Werkzeug, where `int([1])` raises.
 */
function numberFrom(value: unknown, converter: 'int' | 'float'): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : typeof value === 'bigint'
          ? Number(value)
          : Number.NaN;
  if (!Number.isFinite(n) || (converter === 'int' && typeof value === 'string' && !/^\s*[-+]?\d+\s*$/.test(value))) {
    throw new TypeError(
      `the ${converter} converter builds from ${converter === 'int' ? 'an integer' : 'a number'}, got ${typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? `the array ${JSON.stringify(value)}` : String(value)}; pass one number, e.g. { id: 7 }`,
    );
  }
  return n;
}

/** `string` (the default): one segment, any characters but `/`; `minlength`, `maxlength` or `length`. */
const stringConverter: ConverterFactory = (args) => {
  const length = numberArg(args, 'length', 2);
  const min = length ?? numberArg(args, 'minlength', 0) ?? 1;
  const max = length ?? numberArg(args, 'maxlength', 1);
  return {
    regex: `[^/]{${min},${max ?? ''}}`,
    weight: 100,
    partIsolating: true,
    toValue: (text) => text,
    toUrl: (value) => quoteSegment(String(value), false),
  };
};

/** `int`: digits; `fixedDigits`, `min`, `max`, `signed`. */
const intConverter: ConverterFactory = (args) => {
  const fixedDigits = numberArg(args, 'fixedDigits', 0);
  const min = numberArg(args, 'min', 1);
  const max = numberArg(args, 'max', 2);
  const signed = boolArg(args, 'signed');
  return {
    regex: `${signed ? '-?' : ''}${fixedDigits ? `\\d{${fixedDigits}}` : '\\d+'}`,
    weight: 50,
    partIsolating: true,
    toValue(text) {
      const value = Number(text);
      if (!Number.isSafeInteger(value) || (min !== undefined && value < min) || (max !== undefined && value > max))
        throw new ValidationError();
      return value;
    },
    toUrl(value) {
      const n = Math.trunc(numberFrom(value, 'int')); // Werkzeug's int(): 2.7 builds 2
      const digits = String(Math.abs(n)).padStart(fixedDigits ?? 0, '0');
      return n < 0 ? `-${digits}` : digits;
    },
  };
};

/** `float`: digits, a dot, digits (`1` does not match, `1.0` does); `min`, `max`, `signed`. */
const floatConverter: ConverterFactory = (args) => {
  const min = numberArg(args, 'min', 0);
  const max = numberArg(args, 'max', 1);
  const signed = boolArg(args, 'signed');
  return {
    regex: `${signed ? '-?' : ''}\\d+\\.\\d+`,
    weight: 50,
    partIsolating: true,
    toValue(text) {
      const value = Number(text);
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) throw new ValidationError();
      return value;
    },
    toUrl(value) {
      const text = String(numberFrom(value, 'float'));
      return /[.e]/.test(text) ? text : `${text}.0`;
    },
  };
};

/** `path`: like string but takes slashes too; it occupies whole segments. */
const pathConverter: ConverterFactory = () => ({
  regex: '[^/].*?',
  weight: 200,
  partIsolating: false,
  toValue: (text) => text,
  toUrl: (value) => quoteSegment(String(value), true),
});

/** `uuid`: a hyphenated UUID, case-insensitive. */
const uuidConverter: ConverterFactory = () => ({
  regex: '[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}',
  weight: 100,
  partIsolating: true,
  toValue: (text) => text.toLowerCase(),
  toUrl: (value) => String(value),
});

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** `any(a, b, c)`: exactly one of the listed words. */
const anyConverter: ConverterFactory = (args) => {
  const items = args.positional.map(String);
  if (items.length === 0) throw new TypeError('any() needs at least one item, e.g. <any(about, help):page>');
  return {
    regex: `(?:${items.map(escapeRegex).join('|')})`,
    weight: 100,
    partIsolating: true,
    toValue: (text) => text,
    toUrl(value) {
      if (!items.includes(String(value)))
        throw new ValidationError(`${JSON.stringify(value)} is not one of ${items.join(', ')}`);
      return quoteSegment(String(value), false);
    },
  };
};

/**
 * The built-in converters, by the name used in rules.
 *
 * @example
 * const router = new Router({ converters: { ...DEFAULT_CONVERTERS, upper: () => upper } });
 */
export const DEFAULT_CONVERTERS: Readonly<Record<string, ConverterFactory>> = Object.freeze({
  default: stringConverter,
  string: stringConverter,
  int: intConverter,
  float: floatConverter,
  path: pathConverter,
  uuid: uuidConverter,
  any: anyConverter,
});

/**
 * Parses converter arguments as written in a rule: `1, 'a b', min=2, signed=True`. Numbers become numbers,
 * `True`/`False`/`true`/`false` booleans, quoted text strings, and bare words strings.
 *
 * @example
 * parseConverterArgs("4, signed=True"); // { positional: [4], keyword: { signed: true } }
 */
export function parseConverterArgs(text: string): ConverterArgs {
  const args: ConverterArgs = { positional: [], keyword: {} };
  if (text.trim() === '') return args;
  // split on commas outside quotes
  for (const part of text.match(/(?:"[^"]*"|'[^']*'|[^,])+/g) ?? []) {
    const keyword = /^\s*([A-Za-z_]\w*)\s*=(.*)$/s.exec(part);
    const raw = (keyword ? keyword[2]! : part).trim();
    if (raw === '') throw new TypeError(`empty converter argument in (${text})`);
    let value: string | number | boolean | null = raw;
    if (/^(["']).*\1$/s.test(raw)) value = raw.slice(1, -1);
    else if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    else if (/^(true|false)$/i.test(raw)) value = raw.toLowerCase() === 'true';
    else if (raw === 'None' || raw === 'null')
      value = null; // Werkzeug reads Python's None: <int(max=None):n>
    else if (!/^[\w.-]+$/.test(raw)) {
      // 'min=0;max=500' would otherwise be the string '0;max=500' and fail later, far from the rule.
      throw new TypeError(
        `cannot read the converter argument ${JSON.stringify(raw)} in (${text}): separate arguments with commas, e.g. (min=0, max=500), and quote text`,
      );
    }
    if (keyword) args.keyword[keyword[1]!] = value;
    else args.positional.push(value);
  }
  return args;
}
