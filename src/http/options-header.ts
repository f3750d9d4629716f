/** @module Options headers (layer L1): a value with `; key=value` parameters (Content-Type, Content-Disposition), with RFC 2231 charsets and continuations. */
import { decodeExtText, quoteHeaderValue, splitExtValue } from './header-values.js';

/**
 * The result of {@link parseOptionsHeader}: the value before the first `;`, and its parameters by lower-case name
 * (a null-prototype object).
 *
 * @example
 * const [type, params]: OptionsHeader = parseOptionsHeader('text/html; charset=utf-8');
 */
export type OptionsHeader = [value: string, options: Record<string, string>];

// RFC 9110 §5.6.6: parameter-name "=" ( token / quoted-string ). Sticky, so parsing walks the string once.
const NAME = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+)=/y;
const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
const CONTINUATION = /\*(\d+)$/; // RFC 2231 §3: title*0=…; title*1=…

/** The index of the quote that closes the quoted string opening at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"')) i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Collects the well-formed `name=value` parts, values still raw; a malformed part is skipped up to the next `;`. */
function collectParts(rest: string): Array<[string, string]> {
  const parts: Array<[string, string]> = [];
  let pos = 0;
  while (pos < rest.length) {
    NAME.lastIndex = pos;
    const name = NAME.exec(rest);
    if (name) {
      pos = NAME.lastIndex;
      TOKEN.lastIndex = pos;
      const token = TOKEN.exec(rest);
      if (token) {
        parts.push([name[1]!.toLowerCase(), token[0]]);
      } else if (rest[pos] === '"') {
        const end = closingQuote(rest, pos);
        if (end > 0) {
          parts.push([name[1]!.toLowerCase(), rest.slice(pos, end + 1)]);
          pos = end + 1;
        }
      }
    }
    const next = rest.indexOf(';', pos);
    if (next < 0) break;
    pos = next + 1;
    while (rest[pos] === ' ' || rest[pos] === '\t') pos++;
  }
  return parts;
}

/**
 * Parses a header made of a value and `; key=value` parameters, such as Content-Type or Content-Disposition.
 * Parameter names are lower-cased. Values may be tokens or quoted strings: `\"` (RFC 9110) and `%22` (what browsers
 * write in multipart form data) both stand for `"`. RFC 2231 is read as Werkzeug reads it: `name*=UTF-8''%C2%B5`
 * is decoded (ASCII, UTF-8 and ISO-8859-1 only; another charset leaves the text encoded), and continuations
 * `name*0`, `name*1`… are joined; given both `filename` and `filename*`, the extended one wins in either order
 * (RFC 6266 §4.3). Malformed parameters are skipped, never guessed at.
 *
 * @example
 * parseOptionsHeader('text/html; charset="utf-8"');             // ['text/html', { charset: 'utf-8' }]
 * parseOptionsHeader("attachment; filename*=UTF-8''%E2%82%AC"); // ['attachment', { filename: '€' }]
 */
export function parseOptionsHeader(header: string | null | undefined): OptionsHeader {
  const options = Object.create(null) as Record<string, string>;
  if (header === null || header === undefined) return ['', options];
  const semi = header.indexOf(';');
  const value = (semi < 0 ? header : header.slice(0, semi)).trim();
  const rest = semi < 0 ? '' : header.slice(semi + 1).trim();
  if (value === '' || rest === '') return [value, options];
  // A charset named once carries over to later extended parts: RFC 2231 gives it to the first continuation only.
  let charset = '';
  let continued = '';
  const extended = new Set<string>();
  for (let [name, text] of collectParts(rest)) {
    const isExtended = name.endsWith('*');
    if (isExtended) {
      name = name.slice(0, -1);
      const ext = splitExtValue(text);
      if (ext) ({ charset, text } = ext);
      if (charset === '') charset = continued;
      const decoded = charset === '' ? null : decodeExtText(text, charset);
      if (decoded !== null) {
        continued = charset;
        text = decoded;
      }
    }
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
      text = text
        .slice(1, -1)
        .replace(/\\([\\"])/g, '$1')
        .replaceAll('%22', '"');
    }
    const continuation = CONTINUATION.exec(name);
    if (continuation) {
      name = name.slice(0, continuation.index);
      options[name] = (options[name] ?? '') + text;
    } else if (isExtended || !extended.has(name)) {
      // RFC 6266 §4.3: given both filename and filename*, read filename*, whichever came first.
      options[name] = text;
    }
    if (isExtended && !continuation) extended.add(name);
  }
  return [value, options];
}

/**
 * Writes a value and its parameters, the reverse of {@link parseOptionsHeader}. Values that are not tokens are
 * quoted; `null` and `undefined` values are left out; a key ending in `*` is written as given, its value being an
 * RFC 8187 `UTF-8''…` value already.
 *
 * @example
 * dumpOptionsHeader('text/html', { charset: 'utf-8' });             // 'text/html; charset=utf-8'
 * dumpOptionsHeader('attachment', { filename: 'my report.pdf' });   // 'attachment; filename="my report.pdf"'
 */
export function dumpOptionsHeader(
  value: string | null,
  options: Readonly<Record<string, string | number | null | undefined>>,
): string {
  const segments = value === null ? [] : [value];
  for (const [key, option] of Object.entries(options)) {
    if (option === null || option === undefined) continue;
    segments.push(key.endsWith('*') ? `${key}=${option}` : `${key}=${quoteHeaderValue(option)}`);
  }
  return segments.join('; ');
}
