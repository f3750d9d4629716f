/** @module Python's `%` string formatting (layer L3), for Jinja's `format` filter. */
import { pythonAscii, pythonRepr } from './str-format.js';
import { isTuple } from './python-tuple.js';

const SPEC = /%(?:\(([^)]*)\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;

/**
 * `x` with `digits` decimals as Python prints it: nearest, and an exact tie to the even digit (`'%.1f' % 0.25` is
 * `0.2`), where JavaScript's `toFixed` rounds ties up.
 *
 * @example
 * pythonFixed(2.5, 0); // '2'
 */
export function pythonFixed(x: number, digits: number): string {
  // toFixed takes up to 100 digits; past that a double's expansion is written out and padded (`'%.150f' % 1.5`).
  if (digits > 100) return pythonFixed(x, 100).padEnd(pythonFixed(x, 100).length + digits - 100, '0');
  const rounded = x.toFixed(digits);
  if (!Number.isFinite(x)) return rounded;
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 40));
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  if (Number(truncated.at(-1)) % 2 !== 0) return rounded;
  return (x < 0 && Number(truncated) !== 0 ? '-' : '') + truncated;
}

function pythonExponent(x: number, digits: number): string {
  return x.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
}

function pythonGeneral(x: number, precision: number, alternate: boolean): string {
  const digits = precision === 0 ? 1 : precision;
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? '0' : String(x);
  const exponent = Number(x.toExponential(digits - 1).split('e')[1]);
  const text =
    exponent >= -4 && exponent < digits ? pythonFixed(x, digits - 1 - exponent) : pythonExponent(x, digits - 1);
  if (alternate) return text;
  return text.replace(/\.?0+(?=e|$)/, (match) => (match.startsWith('.') || text.includes('.') ? '' : match));
}

function number(value: unknown, conversion: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  throw new TypeError(`%${conversion} format: a real number is required, not ${typeof value}`);
}

function convert(value: unknown, conversion: string, flags: string, precision: number | undefined): string {
  switch (conversion) {
    case 's':
    case 'a':
    case 'r': {
      const text =
        conversion === 's'
          ? value === undefined || value === null
            ? ''
            : String(value)
          : conversion === 'r'
            ? pythonRepr(value)
            : pythonAscii(value);
      return precision === undefined ? text : text.slice(0, precision);
    }
    case 'c':
      return typeof value === 'number' ? String.fromCodePoint(value) : String(value);
    case 'd':
    case 'i':
    case 'u':
      return String(Math.trunc(number(value, conversion)));
    case 'o':
    case 'x':
    case 'X': {
      const radix = conversion === 'o' ? 8 : 16;
      const digits = Math.trunc(Math.abs(number(value, conversion))).toString(radix);
      const prefix = flags.includes('#') ? (conversion === 'o' ? '0o' : `0${conversion}`) : '';
      const text = (number(value, conversion) < 0 ? '-' : '') + prefix + digits;
      return conversion === 'X' ? text.toUpperCase() : text;
    }
    case 'e':
    case 'E': {
      const text = pythonExponent(number(value, conversion), precision ?? 6);
      return conversion === 'E' ? text.toUpperCase() : text;
    }
    case 'f':
    case 'F':
      return pythonFixed(number(value, conversion), precision ?? 6);
    default: {
      const text = pythonGeneral(number(value, conversion), precision ?? 6, flags.includes('#'));
      return conversion === 'G' ? text.toUpperCase() : text;
    }
  }
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  let signed = text;
  if (numeric && !text.startsWith('-')) signed = (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + text;
  if (signed.length >= width) return signed;
  if (flags.includes('-')) return signed.padEnd(width);
  if (!numeric || !flags.includes('0')) return signed.padStart(width);
  const sign = /^[-+ ]/.test(signed) ? signed[0]! : '';
  return sign + signed.slice(sign.length).padStart(width - sign.length, '0');
}

/**
 * Python's `text % args` as Jinja evaluates it: `args` an array (a tuple) or one value, or a record for `%(name)s`;
 * safe text (Markup) escapes the arguments and stays safe, as `markupSafe` decides (given here: the safe-text
 * functions live in the nunjucks binding).
 *
 * @example
 * percentFormat('%.2f', 3.14159, SAFE_TEXT); // '3.14' (SAFE_TEXT from jinja-text.ts)
 */
export function percentFormat(
  text: unknown,
  args: unknown,
  safe: {
    isSafe(value: unknown): boolean;
    escape(value: unknown, conversion: string): unknown;
    mark(text: string): unknown;
  },
): unknown {
  // A tuple spreads into the conversions; a dict is the mapping of `%(name)s` (else, as any other value, one value).
  const dict = typeof args === 'object' && args !== null && !Array.isArray(args) && !safe.isSafe(args);
  const named = dict && /%\(/.test(String(text));
  const positional = named ? [] : isTuple(args) ? args : [args];
  const record = named ? (args as Record<string, unknown>) : null;
  if (!safe.isSafe(text))
    return pythonFormat(text === undefined || text === null ? '' : String(text), positional, record);
  return safe.mark(pythonFormat(String(text), positional, record, safe.escape));
}

/**
 * Python's `template % args` (printf-style): `%s`, `%d`, `%f`, `%e`, `%g`, `%x`, `%o`, `%c`, `%r`, `%%`, with flags
 * (`-`, `0`, `+`, space, `#`), width and precision (`*` takes them from the arguments), and `%(name)s` reading the
 * record `named`. Too few or too many arguments are Python's TypeErrors. `escapeArg` maps each argument first (for a
 * safe template under autoescaping).
 *
 * @example
 * pythonFormat('%5.1f|%-4s|%03d', [3.14159, 'ab', 7]); // '  3.1|ab  |007'
 */
export function pythonFormat(
  template: string,
  args: readonly unknown[],
  named: Record<string, unknown> | null = null,
  escapeArg: (value: unknown, conversion: string) => unknown = (value) => value,
): string {
  let next = 0;
  const take = (): unknown => {
    if (next >= args.length) throw new TypeError('not enough arguments for format string');
    return args[next++];
  };
  const result = template.replace(
    SPEC,
    (_match, key: string | undefined, flags: string, width?: string, precision?: string, conversion = 's') => {
      if (conversion === '%') return '%';
      const size = width === '*' ? Number(take()) : Number(width ?? 0);
      const digits = precision === '*' ? Number(take()) : precision === undefined ? undefined : Number(precision);
      if (key !== undefined && named === null) throw new TypeError('format requires a mapping');
      const value = escapeArg(key === undefined ? take() : named![key], conversion);
      if (key !== undefined && named !== null && !Object.hasOwn(named, key)) throw new TypeError(`KeyError: '${key}'`);
      const numeric = !'sarc'.includes(conversion);
      return pad(convert(value, conversion, flags, digits), flags, size, numeric);
    },
  );
  if (named === null && next < args.length) throw new TypeError('not all arguments converted during string formatting');
  return result;
}
