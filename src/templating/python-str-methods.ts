/** @module Python's str methods (layer L3), for Jinja's `name.upper()` and `request.path.startswith('/admin')`. */
import { isMarkedSafe, NunjucksTemplateError as TemplateError } from './nunjucks.js';
import { sequence } from './jinja-signature.js';
import { makeTuple } from './python-tuple.js';
import { pythonStrFormat } from './str-format.js';
import type { PythonMethod } from './keywords.js';

// Python's whitespace (str.isspace), which JavaScript's \s draws a little differently.
const SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACES = new RegExp(`[${SPACE}]+`);
const ONLY_SPACE = new RegExp(`^[${SPACE}]+$`);
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/g;

/** A method's argument `index`, or its keyword `name`, or `fallback`. */
function argument(args: unknown[], keywords: Record<string, unknown>, index: number, name: string, fallback: unknown) {
  if (index < args.length) return args[index];
  return Object.hasOwn(keywords, name) ? keywords[name] : fallback;
}

function text(value: unknown, method: string): string {
  if (typeof value === 'string') return value;
  // Safe text is text (Markup is a str): what it becomes in the result is escaped or not as the result is.
  if (isMarkedSafe(value)) return String(value);
  throw new TemplateError(`${method}() takes text here, not ${value === null ? 'None' : typeof value}`);
}

/**
 * Python's `start` and `end` arguments of find(), count(), startswith() and list.index(), as CPython adjusts them:
 * negative ones count from the end, `end` stops at the length; a `start` past the end stays there (nothing is found).
 *
 * @example
 * span(4, -1, undefined); // [3, 4]
 */
export function span(length: number, start: unknown, end: unknown): [number, number] {
  const at = (value: unknown, fallback: number) => {
    if (value === undefined || value === null) return fallback;
    const n = Math.trunc(Number(value));
    return n < 0 ? Math.max(0, length + n) : n;
  };
  return [at(start, 0), Math.min(length, at(end, length))];
}

/** strip()'s characters: whitespace when `chars` is None, else each character of it. */
function stripper(chars: unknown): (c: string) => boolean {
  if (chars === undefined || chars === null) return (c) => ONLY_SPACE.test(c);
  const set = new Set(text(chars, 'strip'));
  return (c) => set.has(c);
}

/** strip(), lstrip() and rstrip(), a character (a code point: '😀' is one) at a time. */
function strip(self: string, chars: unknown, left: boolean, right: boolean): string {
  const strips = stripper(chars);
  let [start, end] = [0, self.length];
  while (left && start < end) {
    const c = String.fromCodePoint(self.codePointAt(start)!);
    if (!strips(c)) break;
    start += c.length;
  }
  while (right && end > start) {
    const pair = end - start >= 2 && /^[\ud800-\udbff][\udc00-\udfff]$/.test(self.slice(end - 2, end));
    const c = self.slice(pair ? end - 2 : end - 1, end);
    if (!strips(c)) break;
    end -= c.length;
  }
  return self.slice(start, end);
}

/** Python's split() and rsplit(): on runs of whitespace (dropping empty parts) when `sep` is None, else on `sep`. */
function split(self: string, sep: unknown, maxsplit: unknown, fromRight: boolean): string[] {
  const limit = maxsplit === undefined || maxsplit === null ? -1 : Math.trunc(Number(maxsplit));
  if (sep === undefined || sep === null) {
    // rsplit() is split() of the reversed text, its parts reversed back.
    if (fromRight) return splitWhitespace(reversed(self), limit).map(reversed).reverse();
    return splitWhitespace(self, limit);
  }
  const separator = text(sep, 'split');
  if (separator === '') throw new TemplateError('empty separator');
  const parts = self.split(separator);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  return fromRight
    ? [parts.slice(0, parts.length - limit).join(separator), ...parts.slice(parts.length - limit)]
    : [...parts.slice(0, limit), parts.slice(limit).join(separator)];
}

function reversed(self: string): string {
  return [...self].reverse().join('');
}

/** split() on whitespace: at most `limit` splits (all when negative); the rest keeps its trailing whitespace. */
function splitWhitespace(self: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = strip(self, null, true, false);
  while (rest !== '') {
    const match = limit >= 0 && parts.length === limit ? null : SPACES.exec(rest);
    if (match === null) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, match.index));
    rest = rest.slice(match.index + match[0].length);
  }
  return parts;
}

/** Python's `str.title()`: each run of cased letters starts upper case (`they're` is `They'Re`, as in Python). */
function title(self: string): string {
  let previousCased = false;
  let result = '';
  for (const c of self) {
    const cased = c.toLowerCase() !== c.toUpperCase();
    result += cased ? (previousCased ? c.toLowerCase() : c.toUpperCase()) : c;
    previousCased = cased;
  }
  return result;
}

function padding(self: string, width: unknown, fill: unknown, method: string): [number, string] {
  const fillchar = fill === undefined ? ' ' : text(fill, method);
  if ([...fillchar].length !== 1) throw new TemplateError('The fill character must be exactly one character long');
  return [Math.trunc(Number(width)) - [...self].length, fillchar];
}

function find(self: string, args: unknown[], fromRight: boolean): number {
  const sub = text(args[0], fromRight ? 'rfind' : 'find');
  const [start, end] = span(self.length, args[1], args[2]);
  const window = self.slice(start, end);
  if (end - start < sub.length) return -1;
  const at = fromRight ? window.lastIndexOf(sub) : window.indexOf(sub);
  return at < 0 ? -1 : start + at;
}

function found(index: number): number {
  if (index < 0) throw new TemplateError('substring not found');
  return index;
}

/** Python's `startswith`/`endswith`: a prefix, or a tuple (list) of them, within optional bounds. */
function affix(self: string, args: unknown[], end: boolean): boolean {
  const [from, to] = span(self.length, args[1], args[2]);
  const window = self.slice(from, to);
  const candidates = Array.isArray(args[0]) ? args[0] : [args[0]];
  return candidates.some((candidate) => {
    const affixText = text(candidate, end ? 'endswith' : 'startswith');
    if (to - from < affixText.length) return false;
    return end ? window.endsWith(affixText) : window.startsWith(affixText);
  });
}

function is(pattern: RegExp): PythonMethod<string> {
  return (self) => self !== '' && pattern.test(self);
}

function cased(self: string, upper: boolean): boolean {
  const hasCased = self.toLowerCase() !== self.toUpperCase();
  return hasCased && self === (upper ? self.toUpperCase() : self.toLowerCase());
}

/**
 * Python's str methods, by name, as Jinja templates call them on text: `s.upper()`, `'{} items'.format(n)`,
 * `path.startswith('/admin')`, `tags.split(',')`. Each takes the text, the positional arguments and the keywords;
 * the dispatcher (python-methods.ts) marks the results of safe text safe.
 *
 * @example
 * STR_METHODS.split!('a,b', [','], {}); // ['a', 'b']
 */
export const STR_METHODS: Readonly<Record<string, PythonMethod<string>>> = {
  upper: (self) => self.toUpperCase(),
  lower: (self) => self.toLowerCase(),
  // Full case folding, near enough: upper case first makes 'ß' 'ss', as Python's casefold.
  casefold: (self) => self.toUpperCase().toLowerCase(),
  swapcase: (self) => [...self].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title,
  capitalize: (self) => (self === '' ? '' : self[0]!.toUpperCase() + self.slice(1).toLowerCase()),
  strip: (self, args, kw) => strip(self, argument(args, kw, 0, 'chars', null), true, true),
  lstrip: (self, args, kw) => strip(self, argument(args, kw, 0, 'chars', null), true, false),
  rstrip: (self, args, kw) => strip(self, argument(args, kw, 0, 'chars', null), false, true),
  split: (self, args, kw) =>
    split(self, argument(args, kw, 0, 'sep', null), argument(args, kw, 1, 'maxsplit', -1), false),
  rsplit: (self, args, kw) =>
    split(self, argument(args, kw, 0, 'sep', null), argument(args, kw, 1, 'maxsplit', -1), true),
  splitlines: (self, args, kw) => {
    const keep = Boolean(argument(args, kw, 0, 'keepends', false));
    const lines: string[] = [];
    let start = 0;
    for (const match of self.matchAll(LINE_BREAK)) {
      lines.push(self.slice(start, keep ? match.index + match[0].length : match.index));
      start = match.index + match[0].length;
    }
    if (start < self.length) lines.push(self.slice(start));
    return lines;
  },
  replace: (self, args, kw) => {
    const [old, replacement] = [text(args[0], 'replace'), text(args[1], 'replace')];
    const count = Math.trunc(Number(argument(args, kw, 2, 'count', -1)));
    // An empty `old` matches before each character and at the end: 'ab'.replace('', '.') is '.a.b.'.
    const parts = old === '' ? ['', ...self, ''] : self.split(old);
    if (count < 0) return parts.join(replacement);
    return (
      parts.slice(0, count + 1).join(replacement) +
      (parts.length > count + 1 ? old : '') +
      parts.slice(count + 1).join(old)
    );
  },
  startswith: (self, args) => affix(self, args, false),
  endswith: (self, args) => affix(self, args, true),
  find: (self, args) => find(self, args, false),
  rfind: (self, args) => find(self, args, true),
  index: (self, args) => found(find(self, args, false)),
  rindex: (self, args) => found(find(self, args, true)),
  count: (self, args) => {
    const sub = text(args[0], 'count');
    const [start, end] = span(self.length, args[1], args[2]);
    if (end - start < sub.length) return 0;
    return sub === '' ? end - start + 1 : self.slice(start, end).split(sub).length - 1;
  },
  join: (self, args) =>
    sequence(args[0])
      .map((item, index) => {
        if (typeof item === 'string' || isMarkedSafe(item)) return String(item);
        throw new TemplateError(`sequence item ${index}: expected str instance, ${typeof item} found`);
      })
      .join(self),
  center: (self, args) => {
    const [margin, fill] = padding(self, args[0], args[1], 'center');
    if (margin <= 0) return self;
    // CPython's split of an odd margin: the extra character goes left when the width is odd.
    const left = Math.floor(margin / 2) + (margin & Math.trunc(Number(args[0])) & 1);
    return fill.repeat(left) + self + fill.repeat(margin - left);
  },
  ljust: (self, args) => {
    const [margin, fill] = padding(self, args[0], args[1], 'ljust');
    return margin > 0 ? self + fill.repeat(margin) : self;
  },
  rjust: (self, args) => {
    const [margin, fill] = padding(self, args[0], args[1], 'rjust');
    return margin > 0 ? fill.repeat(margin) + self : self;
  },
  zfill: (self, args) => {
    const [margin] = padding(self, args[0], undefined, 'zfill');
    if (margin <= 0) return self;
    const sign = self[0] === '-' || self[0] === '+' ? self[0] : '';
    return sign + '0'.repeat(margin) + self.slice(sign.length);
  },
  partition: (self, args) => {
    const sep = text(args[0], 'partition');
    const at = self.indexOf(sep);
    return at < 0 ? makeTuple(self, '', '') : makeTuple(self.slice(0, at), sep, self.slice(at + sep.length));
  },
  rpartition: (self, args) => {
    const sep = text(args[0], 'rpartition');
    const at = self.lastIndexOf(sep);
    return at < 0 ? makeTuple('', '', self) : makeTuple(self.slice(0, at), sep, self.slice(at + sep.length));
  },
  removeprefix: (self, args) => {
    const prefix = text(args[0], 'removeprefix');
    return prefix !== '' && self.startsWith(prefix) ? self.slice(prefix.length) : self;
  },
  removesuffix: (self, args) => {
    const suffix = text(args[0], 'removesuffix');
    return suffix !== '' && self.endsWith(suffix) ? self.slice(0, -suffix.length) : self;
  },
  isdigit: is(/^\p{Nd}+$/u),
  isdecimal: is(/^\p{Nd}+$/u),
  isnumeric: is(/^\p{N}+$/u),
  isalpha: is(/^\p{L}+$/u),
  isalnum: is(/^[\p{L}\p{N}]+$/u),
  isspace: is(ONLY_SPACE),
  islower: (self) => cased(self, false),
  isupper: (self) => cased(self, true),
  istitle: (self) => self.toLowerCase() !== self.toUpperCase() && title(self) === self,
  format: (self, args, kw) => pythonStrFormat(self, args, kw),
  format_map: (self, args) => pythonStrFormat(self, [], (args[0] ?? {}) as Record<string, unknown>),
};
