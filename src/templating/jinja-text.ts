/** @module Jinja's filters over text and numbers (layer L3): the ones nunjucks lacks, and its own where they differ. */
import { copySafeness, escapeHtml, isMarkedSafe, markSafe } from './nunjucks.js';
import { pythonAscii, pythonRepr } from './str-format.js';
import { isTruthy } from './truthiness.js';
import { escapeUnlessSafe, pairs, printable, withSignature, type Filter, type FilterThis } from './jinja-signature.js';
import { splitKeywords } from './keywords.js';
import { percentFormat, pythonFixed } from './python-format.js';
import { makeTuple } from './python-tuple.js';

/** Jinja's `format`: Python's `%` formatting; a safe template escapes its arguments and stays safe. */
function format(this: FilterThis, value: unknown, ...args: unknown[]): unknown {
  const { positional, keywords } = splitKeywords(args);
  if (positional.length > 0 && keywords !== null) {
    throw new TypeError("format can't handle positional and keyword arguments at the same time");
  }
  return percentFormat(value, keywords ?? makeTuple(...positional), SAFE_TEXT);
}

/** The safe-text functions Python's `%` formatting needs: Markup's rules, with nunjucks's safe strings. */
export const SAFE_TEXT = {
  isSafe: isMarkedSafe,
  // Markup's `%` escapes what is text; a number stays a number, so `%d` and `%.2f` still format it.
  escape: (arg: unknown, conversion?: string): unknown => {
    // `%c` makes a character of a number (`60` is `<`): escaped as text.
    if (conversion === 'c' && typeof arg === 'number') return markSafe(escapeHtml(String.fromCodePoint(arg)));
    // `%r` and `%a` escape the repr (Markup's), not the value: quotes, brackets and None come out as Python writes them.
    if (conversion === 'r' || conversion === 'a') {
      const value = isMarkedSafe(arg) ? String(arg) : arg;
      return markSafe(escapeHtml(conversion === 'r' ? pythonRepr(value) : pythonAscii(value)));
    }
    return typeof arg === 'number' || typeof arg === 'boolean' || typeof arg === 'bigint'
      ? arg
      : markSafe(escapeUnlessSafe(arg));
  },
  mark: markSafe,
};

const DECIMAL_PREFIXES = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_PREFIXES = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** Jinja's `filesizeformat(binary=False)`: `123.5 kB`, or `120.6 KiB` with binary prefixes. */
const filesizeformat = withSignature('filesizeformat', { binary: false }, (value, { binary }) => {
  const bytes = Number(value);
  if (Number.isNaN(bytes)) throw new TypeError(`filesizeformat needs a number of bytes, not ${JSON.stringify(value)}`);
  const base = isTruthy(binary) ? 1024 : 1000;
  const prefixes = isTruthy(binary) ? BINARY_PREFIXES : DECIMAL_PREFIXES;
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let index = 0;
  while (index < prefixes.length - 1 && bytes >= base ** (index + 2)) index++;
  return `${pythonFixed((base * bytes) / base ** (index + 2), 1)} ${prefixes[index]}`;
});

/** Jinja's `truncate(length=255, killwords=False, end='...', leeway=5)`: text up to `length + leeway` is left whole. */
const truncate = withSignature(
  'truncate',
  { length: 255, killwords: false, end: '...', leeway: 5 },
  (value, { length, killwords, end, leeway }) => {
    const text = printable(value);
    const [size, tail] = [Number(length), printable(end)];
    if (tail.length > size) throw new TypeError(`expected length >= ${tail.length}, got ${size}`);
    if (Number(leeway) < 0) throw new TypeError(`expected leeway >= 0, got ${String(leeway)}`);
    if (text.length <= size + Number(leeway)) return value;
    const kept = text.slice(0, size - tail.length);
    const cut = isTruthy(killwords) || !kept.includes(' ') ? kept : kept.slice(0, kept.lastIndexOf(' '));
    // Markup's `+`: safe text stays safe, and what is added to it (`end=user_text`) is escaped.
    return isMarkedSafe(value) ? markSafe(cut + escapeUnlessSafe(end)) : cut + tail;
  },
);

// Python's textwrap (3.11) splits a line into chunks with these (wordsep_re and wordsep_simple_re): whitespace runs,
// and words, a hyphenated word split after its hyphens. Its whitespace is these six characters; [^\d\W] is a letter.
const WHITESPACE = '[\\t\\n\\v\\f\\r ]';
const WORD_PUNCT = '[\\p{L}\\p{N}_!"\'&.,?]';
const LETTER = '[\\p{L}\\p{Nl}\\p{No}_]';
const WORD = '[\\p{L}\\p{N}_]';
const HYPHENATED_CHUNKS = new RegExp(
  `(${WHITESPACE}+|(?<=${WORD_PUNCT})-{2,}(?=${WORD})|[^\\t\\n\\v\\f\\r ]+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WHITESPACE}|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
  'u',
);
const CHUNKS = new RegExp(`(${WHITESPACE}+)`);

/** Python's `str.splitlines()`: every line break it knows, and no empty line after a final one. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return text === '' ? [] : lines;
}

/** One line wrapped as Python's `textwrap.wrap` does (whitespace kept inside lines, dropped at their ends). */
function wrapLine(line: string, width: number, breakLong: boolean, breakOnHyphens: boolean): string[] {
  const chunks = line
    .split(breakOnHyphens ? HYPHENATED_CHUNKS : CHUNKS)
    .filter(Boolean)
    .reverse();
  const blank = (chunk: string | undefined) => chunk !== undefined && chunk.trim() === '';
  const lines: string[] = [];
  while (chunks.length > 0) {
    if (lines.length > 0 && blank(chunks.at(-1))) chunks.pop();
    const current: string[] = [];
    let length = 0;
    while (chunks.length > 0 && length + chunks.at(-1)!.length <= width) {
      length += chunks.at(-1)!.length;
      current.push(chunks.pop()!);
    }
    const long = chunks.at(-1);
    if (long !== undefined && long.length > width) {
      // _handle_long_word: the rest of this line, ending after a hyphen in it when there is one.
      const room = width - length;
      if (breakLong) {
        const hyphen = breakOnHyphens && long.length > room ? long.slice(0, room).lastIndexOf('-') : -1;
        const end = hyphen > 0 && /[^-]/.test(long.slice(0, hyphen)) ? hyphen + 1 : room;
        current.push(long.slice(0, end));
        chunks[chunks.length - 1] = long.slice(end);
      } else if (current.length === 0) current.push(chunks.pop()!);
    }
    if (blank(current.at(-1))) current.pop();
    if (current.length > 0) lines.push(current.join(''));
  }
  return lines;
}

/**
 * Jinja's `wordwrap(width=79, break_long_words=True, wrapstring='\n', break_on_hyphens=True)`, line by line. A safe
 * `wrapstring` (`'<br>'|safe`) joins the lines escaped, into safe text.
 */
const wordwrap = withSignature(
  'wordwrap',
  { width: 79, break_long_words: true, wrapstring: '\n', break_on_hyphens: true },
  (value, { width, break_long_words, wrapstring, break_on_hyphens }) => {
    const size = Number(width);
    if (!Number.isInteger(size) || size <= 0) throw new TypeError(`invalid width ${String(width)} (must be > 0)`);
    const lines = splitLines(printable(value)).flatMap((line) => {
      const wrapped = wrapLine(line, size, isTruthy(break_long_words), isTruthy(break_on_hyphens));
      return wrapped.length > 0 ? wrapped : [''];
    });
    if (!isMarkedSafe(wrapstring)) return lines.join(printable(wrapstring));
    return markSafe(lines.map(escapeUnlessSafe).join(String(wrapstring)));
  },
);

/** Python's `str.replace`: at most `count` replacements (all when negative); an empty `old` goes between characters. */
function replaceText(text: string, old: string, replacement: string, count: number): string {
  const limit = count < 0 ? Infinity : count;
  if (old === '') {
    const characters = [...text];
    return (
      characters.map((char, index) => (index < limit ? replacement : '') + char).join('') +
      (characters.length < limit ? replacement : '')
    );
  }
  let [result, from, done] = ['', 0, 0];
  for (let at = text.indexOf(old); at !== -1 && done < limit; at = text.indexOf(old, from), done++) {
    result += text.slice(from, at) + replacement;
    from = at + old.length;
  }
  return result + text.slice(from);
}

/**
 * Jinja's `replace(old, new, count=None)`: under autoescaping, when the text or either argument is safe, the text
 * and the replacement are escaped unless safe and the result is safe, so `(html|safe)|replace('NAME', name)` does
 * not let `name`'s HTML through, and `text|replace('\n', '<br>'|safe)` breaks lines of escaped text.
 */
const replace = withSignature(
  'replace',
  { old: undefined, new: undefined, count: null },
  function (this: FilterThis, value, { old, new: replacement, count }) {
    const limit = count === null || count === undefined ? -1 : Math.trunc(Number(count));
    if (!this.env.opts.autoescape || ![value, old, replacement].some(isMarkedSafe)) {
      return replaceText(printable(value), printable(old), printable(replacement), limit);
    }
    // Markup's replace: the text and the replacement escaped unless safe, what is looked for as it is.
    return markSafe(replaceText(escapeUnlessSafe(value), printable(old), escapeUnlessSafe(replacement), limit));
  },
);

/** Jinja's `title`: each word capitalised, words starting after a space, `-`, `(`, `{`, `[` or `<`. */
function title(value: unknown): string {
  return printable(value)
    .split(/([-\s({[<]+)/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Jinja's `striptags`: tags and comments gone, whitespace collapsed, entities read back (`&amp;` is `&`). */
function striptags(value: unknown): string {
  return removeBetween(removeBetween(printable(value), '<!--', '-->'), '<', '>')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')
    .replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}

/**
 * `text` without each stretch from `open` to the next `close` (MarkupSafe's striptags, comments then tags), in one
 * pass: an `open` with no `close` after it ends the search, so `'<'.repeat(40000)` costs no more than its length.
 */
function removeBetween(text: string, open: string, close: string): string {
  let [kept, from] = ['', 0];
  for (let start = text.indexOf(open); start !== -1; start = text.indexOf(open, from)) {
    const end = text.indexOf(close, start); // MarkupSafe's find(close, start): `<!-->` is a whole comment
    if (end === -1) break;
    kept += text.slice(from, start);
    from = end + close.length;
  }
  return kept + text.slice(from);
}

/** Jinja's `indent(width=4, first=False, blank=False)`: lines after the first indented, blank ones only if asked. */
const indent = withSignature('indent', { width: 4, first: false, blank: false }, (value, { width, first, blank }) => {
  // A string width is the template author's own text: Jinja makes it Markup, not escaped (`indent('&nbsp;&nbsp;')`).
  const padding = typeof width === 'string' ? width : ' '.repeat(Math.max(0, Math.trunc(Number(width)) || 0));
  const [head = '', ...rest] = printable(value).split(/\r\n|\r|\n/);
  const lines = rest.map((line) => (line || isTruthy(blank) ? padding + line : line));
  const text = [head, ...lines].join('\n');
  return copySafeness(value, isTruthy(first) ? padding + text : text);
});

/** Jinja's `round(precision=0, method='common')`: `common` is Python's round (ties to even), or `ceil`, `floor`. */
const round = withSignature('round', { precision: 0, method: 'common' }, (value, { precision, method }) => {
  const [x, digits] = [Number(value), Math.trunc(Number(precision))];
  if (method !== 'common' && method !== 'ceil' && method !== 'floor') {
    throw new TypeError('method must be common, ceil or floor');
  }
  if (method === 'common' && digits >= 0) return Number(pythonFixed(x, Math.min(digits, 100)));
  const scale = 10 ** digits;
  return method === 'common' ? Number(pythonFixed(x * scale, 0)) / scale : Math[method](x * scale) / scale;
});

/** Whether every character of `digits` is a digit of base `radix` (2 to 36), as Python's `int(text, base)`. */
function digitsOf(digits: string, radix: number): boolean {
  if (!Number.isInteger(radix) || radix < 2 || radix > 36 || digits === '') return false;
  for (const char of digits) {
    const value = Number.parseInt(char, 36);
    if (Number.isNaN(value) || value >= radix) return false;
  }
  return true;
}

function parseInteger(text: string, base: number): number | null {
  const match = /^\s*([+-]?)(0[box])?([\da-z_]+)\s*$/i.exec(text);
  if (match === null) return null;
  const [, sign, prefix, body] = match as unknown as [string, string, string | undefined, string];
  const radix = prefix ? { b: 2, o: 8, x: 16 }[prefix[1]!.toLowerCase() as 'b' | 'o' | 'x'] : base === 0 ? 10 : base;
  if (prefix && base !== 0 && base !== radix) return null;
  const digits = body.replaceAll(/(?<=[\da-z])_(?=[\da-z])/gi, '');
  if (!digitsOf(digits, radix)) return null;
  return Number.parseInt(sign + digits, radix);
}

// Python's float() syntax, written so that no two parts can match the same digits: linear on any input.
const FLOAT =
  /^[+-]?(?:(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:e[+-]?\d+(?:_\d+)*)?|inf(?:inity)?|nan)$/i;

function pythonFloat(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value !== 'string' && !isMarkedSafe(value)) return null;
  const text = String(value).trim();
  if (!FLOAT.test(text)) return null;
  const plain = text.replaceAll('_', '').toLowerCase();
  if (plain.endsWith('nan')) return Number.NaN;
  return plain.includes('inf') ? (plain.startsWith('-') ? -Infinity : Infinity) : Number(plain);
}

/** Jinja's `int(default=0, base=10)`: text in the base (`0x` prefixes with base 16), or a number truncated. */
const int = withSignature('int', { default: 0, base: 10 }, (value, { default: fallback, base }) => {
  const parsed = typeof value === 'string' || isMarkedSafe(value) ? parseInteger(String(value), Number(base)) : null;
  if (parsed !== null) return parsed;
  const float = pythonFloat(value);
  return float === null || !Number.isFinite(float) ? fallback : Math.trunc(float);
});

/** Jinja's `float(default=0.0)`. */
const float = withSignature('float', { default: 0 }, (value, { default: fallback }) => pythonFloat(value) ?? fallback);

/** Python's `quote`: everything but letters, digits and `_.-~` (and `/` outside a query) percent-encoded as UTF-8. */
function urlQuote(value: unknown, forQuery: boolean): string {
  const encoded = encodeURIComponent(printable(value)).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return forQuery ? encoded.replaceAll('%20', '+') : encoded.replaceAll('%2F', '/');
}

/** Jinja's `urlencode`: text quoted for a URL path, a dict or a list of pairs as a query string. */
function urlencode(value: unknown): string {
  if (typeof value !== 'object' || value === null || isMarkedSafe(value)) return urlQuote(value, false);
  const items = Array.isArray(value) ? (value as Array<[unknown, unknown]>) : pairs(value);
  return items.map(([key, item]) => `${urlQuote(key, true)}=${urlQuote(item, true)}`).join('&');
}

/** Jinja's `trim(chars=None)`: whitespace, or the given characters, off both ends. */
const trim = withSignature('trim', { chars: null }, (value, { chars }) => {
  const text = printable(value);
  if (chars === null || chars === undefined) return copySafeness(value, text.trim());
  const set = new Set(printable(chars));
  let [start, end] = [0, text.length];
  while (start < end && set.has(text[start]!)) start++;
  while (end > start && set.has(text[end - 1]!)) end--;
  return copySafeness(value, text.slice(start, end));
});

/** Jinja's `wordcount`: how many words (runs of letters, digits and `_`, in any script); 0 for nothing (nunjucks: empty). */
function wordcount(value: unknown): number {
  return printable(value).match(/[\p{L}\p{N}_]+/gu)?.length ?? 0;
}

/** Jinja's `xmlattr(autospace=True)`: a dict as escaped `key="value"` attributes, skipping none and undefined. */
const xmlattr = withSignature('xmlattr', { autospace: true }, function (this: FilterThis, value, { autospace }) {
  const attributes = pairs(value)
    .filter(([, item]) => item !== null && item !== undefined)
    .map(([key, item]) => {
      if (/[\s/>=]/.test(String(key))) throw new TypeError(`Invalid character in attribute name: '${String(key)}'`);
      return `${escapeHtml(String(key))}="${escapeUnlessSafe(item)}"`;
    })
    .join(' ');
  const text = isTruthy(autospace) && attributes ? ` ${attributes}` : attributes;
  return this.env.opts.autoescape ? markSafe(text) : text;
});

/**
 * Jinja's text and number filters by name, for the template environment: where nunjucks has one of the name, this
 * one replaces it.
 *
 * @example
 * for (const [name, filter] of Object.entries(textFilters)) env.addFilter(name, filter);
 */
export const textFilters: Readonly<Record<string, Filter>> = {
  format,
  replace,
  filesizeformat,
  truncate,
  wordwrap,
  title,
  striptags,
  indent,
  round,
  int,
  float,
  urlencode,
  trim,
  xmlattr,
  wordcount,
};
