/** @module Header values (layer L1): quote and unquote, comma-separated lists and `key=value` dictionaries, as RFC 9110 §5.6 writes them. */

// RFC 9110 §5.6.2 tchar. A value made only of these needs no quotes.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Quotes a header value when it must be: a token (RFC 9110 §5.6.2) stays as it is, anything else, the empty string
 * included, becomes a quoted-string with `"` and `\` escaped (§5.6.4). `allowToken: false` quotes every value,
 * for parameters that some clients only read quoted (Digest's `realm`, `nonce`).
 *
 * @example
 * quoteHeaderValue('utf-8');      // 'utf-8'
 * quoteHeaderValue('a "b" c');    // '"a \\"b\\" c"'
 * quoteHeaderValue('abc', false); // '"abc"'
 */
export function quoteHeaderValue(value: string | number, allowToken = true): string {
  const text = String(value);
  if (text === '') return '""';
  if (allowToken && TOKEN.test(text)) return text;
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Removes the quotes and backslash escapes of a quoted-string; a value that is not wholly quoted is returned as it
 * is. The reverse of {@link quoteHeaderValue}.
 *
 * @example
 * unquoteHeaderValue('"a \\"b\\" c"'); // 'a "b" c'
 * unquoteHeaderValue('token');         // 'token'
 */
export function unquoteHeaderValue(value: string): string {
  if (value.length < 2 || value[0] !== '"' || value[value.length - 1] !== '"') return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * Splits a comma-separated header (RFC 9110 §5.6.1) into its items: commas inside quoted strings do not split, an
 * item that is wholly quoted is unquoted, a partly quoted one is kept as written, and empty items are dropped. An
 * unclosed quoted string makes the whole value invalid: the result is `[]`, never a guess.
 *
 * @example
 * parseListHeader('gzip, "a, b", br'); // ['gzip', 'a, b', 'br']
 * parseListHeader('a, "b');            // []
 */
export function parseListHeader(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (quoted) {
      if (char === '\\')
        i++; // the escaped character cannot close the string
      else if (char === '"') quoted = false;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      items.push(value.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return [];
  items.push(value.slice(start));
  return items
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(unquoteHeaderValue);
}

// RFC 8187 (RFC 2231 §4 for HTTP): charset'language'value-chars, where value-chars are percent-encoded bytes.
const EXT_VALUE = /^([!#$%&*+\-.^_`|~0-9A-Za-z]*)'[!#$%&*+\-.^_`|~0-9A-Za-z]*'([!#$%&'*+\-.^_`|~0-9A-Za-z]+)/;

/** An extended parameter value split into its charset (lower case, maybe empty) and its still-encoded text. */
export function splitExtValue(value: string): { charset: string; text: string } | null {
  const match = EXT_VALUE.exec(value);
  return match ? { charset: match[1]!.toLowerCase(), text: match[2]! } : null;
}

/**
 * Percent-decodes `text` in `charset`, or returns `null` for a charset outside the safe list. Only ASCII, UTF-8 and
 * ISO-8859-1 are read (Werkzeug's list: what clients send, and nothing that needs a codec library); bytes a
 * charset cannot hold become U+FFFD rather than an error.
 */
export function decodeExtText(text: string, charset: string): string | null {
  if (charset !== 'utf-8' && charset !== 'iso-8859-1' && charset !== 'ascii' && charset !== 'us-ascii') return null;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '%' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  const buffer = Buffer.from(bytes);
  if (charset === 'utf-8') return buffer.toString('utf8');
  if (charset === 'iso-8859-1') return buffer.toString('latin1'); // Buffer's latin1 is ISO-8859-1; TextDecoder's is windows-1252
  return bytes.map((byte) => String.fromCharCode(byte < 0x80 ? byte : 0xfffd)).join('');
}

/**
 * Parses a comma-separated list of `key=value` pairs (WWW-Authenticate's and Cache-Control's shape) into an object
 * with a null prototype. A key without `=` maps to `null`; an item without a key is skipped; quoted values are
 * unquoted; `key*=UTF-8''%C2%B5` (RFC 8187) is decoded and stored as `key`. An unclosed quoted string gives `{}`.
 *
 * @example
 * parseDictHeader('realm="my site", charset=UTF-8, stale'); // { realm: 'my site', charset: 'UTF-8', stale: null }
 */
export function parseDictHeader(value: string): Record<string, string | null> {
  const result = Object.create(null) as Record<string, string | null>;
  for (const item of parseListHeader(value)) {
    const eq = item.indexOf('=');
    let key = (eq < 0 ? item : item.slice(0, eq)).trim();
    if (key === '') continue;
    if (eq < 0) {
      result[key] = null;
      continue;
    }
    let text = item.slice(eq + 1).trim();
    if (key.endsWith('*')) {
      key = key.slice(0, -1);
      const ext = splitExtValue(text);
      // An unknown charset leaves the value as sent, so nothing is decoded wrongly.
      if (ext) text = decodeExtText(ext.text, ext.charset) ?? ext.text;
    }
    result[key] = unquoteHeaderValue(text);
  }
  return result;
}

/**
 * Writes a comma-separated header, the reverse of {@link parseListHeader} and {@link parseDictHeader}. Items and
 * values are quoted when they are not tokens. In an object (or Map), a `null` value writes the key alone
 * (`no-cache`), `undefined` leaves the key out, and a key ending in `*` is written as given, since its value is
 * already an RFC 8187 `UTF-8''…` value.
 *
 * @example
 * dumpHeader(['gzip', 'a b']);                          // 'gzip, "a b"'
 * dumpHeader({ 'max-age': 60, 'no-cache': null });      // 'max-age=60, no-cache'
 * dumpHeader({ 'title*': "UTF-8''%C2%B5" });            // "title*=UTF-8''%C2%B5"
 */
export function dumpHeader(
  items:
    | Iterable<string | number>
    | Readonly<Record<string, string | number | null | undefined>>
    | ReadonlyMap<string, string | number | null | undefined>,
): string {
  if (typeof (items as Iterable<unknown>)[Symbol.iterator] === 'function' && !(items instanceof Map)) {
    return [...(items as Iterable<string | number>)].map((item) => quoteHeaderValue(item)).join(', ');
  }
  const entries = items instanceof Map ? [...items] : Object.entries(items);
  const parts: string[] = [];
  for (const [key, value] of entries as Array<[string, string | number | null | undefined]>) {
    if (value === undefined) continue;
    if (value === null) parts.push(key);
    else if (key.endsWith('*')) parts.push(`${key}=${value}`);
    else parts.push(`${key}=${quoteHeaderValue(value)}`);
  }
  return parts.join(', ');
}
