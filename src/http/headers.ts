/** @module Headers: a case-insensitive, ordered multi-map of HTTP header fields, like Werkzeug's Headers (layer L1). */
import { HTTP_TOKEN } from '../gateway/response.js';
import type { HeaderList } from '../gateway/types.js';
import { iriToUri } from './uri.js';

/**
 * Anything {@link Headers} can start from: pairs, a record (arrays repeat the name), or another Headers.
 *
 * @example
 * const init: HeadersInit = { 'Cache-Control': 'no-cache', 'Set-Cookie': ['a=1', 'b=2'] };
 */
export type HeadersInit = Iterable<readonly [string, string]> | Record<string, string | number | readonly string[]>;

// Validated names and short values are remembered, so the constants every response sends (`Content-Type`,
// `text/html; charset=utf-8`) are checked once per process, not once per request. Bounded: names and values can be
// attacker-influenced, and past the bound every string is simply checked again.
const validNames = new Set<string>();
const validValues = new Set<string>();
const MEMO_LIMIT = 256;
const MEMO_VALUE_LENGTH = 64;

/** Whether a stored name is `lower` (already lower case), without lower-casing names of another length. */
function sameName(key: string, lower: string): boolean {
  return key.length === lower.length && (key === lower || key.toLowerCase() === lower);
}

function checkName(name: string): string {
  if (validNames.has(name)) return name;
  if (typeof name !== 'string' || !HTTP_TOKEN.test(name))
    throw new TypeError(`${JSON.stringify(name)} is not a valid header name (RFC 9110 §5.6.2)`);
  if (validNames.size < MEMO_LIMIT) validNames.add(name);
  return name;
}

const URI_HEADERS = new Set(['location', 'content-location']);

/**
 * A header value as text, or the TypeError that `Headers.add` throws for one that cannot be sent (CR, LF, NUL, a
 * character beyond latin-1). For code that holds a value before it holds Headers.
 *
 * @example
 * checkHeaderValue('Content-Type', 'text/plain'); // 'text/plain'
 */
export function checkHeaderValue(name: string, value: string | number): string {
  // A URL header is made a URI first (spaces, non-ASCII, backslashes encoded), as Werkzeug does when it sends it.
  if ((name.length === 8 || name.length === 16) && URI_HEADERS.has(name.toLowerCase())) value = iriToUri(String(value));
  if (typeof value === 'string' && validValues.has(value)) return value;
  const text = String(value);
  // CR or LF would let a value start a new header (response splitting); NUL and non-latin-1 cannot be sent.
  if (/[\r\n\0]|[^\x00-\xff]/.test(text)) {
    throw new TypeError(
      `the value of header ${name} contains CR, LF, NUL or a character beyond latin-1: ${JSON.stringify(text)}; encode it first`,
    );
  }
  if (typeof value === 'string' && text.length <= MEMO_VALUE_LENGTH && validValues.size < MEMO_LIMIT)
    validValues.add(text);
  return text;
}

/**
 * Header fields in order, looked up without regard to case; a name may repeat (`Set-Cookie`). Names and values are
 * validated on the way in, so a value with CR/LF can never split a response.
 *
 * @example
 * const headers = new Headers({ 'Content-Type': 'text/html' });
 * headers.add('Set-Cookie', 'a=1');
 * headers.add('Set-Cookie', 'b=2');
 * headers.get('content-type');    // 'text/html'
 * headers.getAll('Set-Cookie');   // ['a=1', 'b=2']
 */
export class Headers implements Iterable<[string, string]> {
  #list: Array<[string, string]> = [];

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (Symbol.iterator in init) {
      for (const [name, value] of init as Iterable<readonly [string, string]>) this.add(name, value);
    } else {
      for (const [name, value] of Object.entries(init)) {
        if (Array.isArray(value)) for (const item of value) this.add(name, item);
        else this.add(name, value as string | number);
      }
    }
  }

  /**
   * Headers over `pairs` taken as they are, unchecked (the list is kept, not copied): for the headers of a request,
   * which a server has already parsed, and which are read here, not sent. A value a server let through that could not
   * be sent (non-latin-1 from a CGI environment) is then still readable, as in Werkzeug's `EnvironHeaders`; what is
   * added later is checked as ever.
   *
   * @example
   * const headers = Headers.received(requestHeaders(environ));
   */
  static received(pairs: Array<[string, string]>): Headers {
    const headers = new Headers();
    headers.#list = pairs;
    return headers;
  }

  /** The first value of a header, or `null`. */
  get(name: string): string | null {
    const lower = String(name).toLowerCase(); // plain JavaScript may look up 42: no such header, not a TypeError
    for (const [key, value] of this.#list) if (sameName(key, lower)) return value;
    return null;
  }

  /** Every value of a header, in order. */
  getAll(name: string): string[] {
    const lower = String(name).toLowerCase(); // plain JavaScript may look up 42: no such header, not a TypeError
    return this.#list.filter(([key]) => sameName(key, lower)).map(([, value]) => value);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Appends a value, keeping the existing ones (Werkzeug's `add`). */
  add(name: string, value: string | number): this {
    const pair: [string, string] = [checkName(name), checkHeaderValue(name, value)];
    // The first field makes a list of one: push() onto an empty list would reserve room for 17.
    if (this.#list.length === 0) this.#list = [pair];
    else this.#list.push(pair);
    return this;
  }

  /** Replaces every value of a header with one, at the position of the first. */
  set(name: string, value: string | number): this {
    const checked = checkHeaderValue(checkName(name), value);
    const lower = String(name).toLowerCase(); // plain JavaScript may look up 42: no such header, not a TypeError
    const list = this.#list;
    let index = -1;
    let repeated = false;
    for (let i = 0; i < list.length; i++) {
      if (!sameName(list[i]![0], lower)) continue;
      if (index < 0) index = i;
      else repeated = true;
    }
    if (index < 0) {
      list.push([name, checked]);
      return this;
    }
    list[index] = [name, checked];
    if (repeated) this.#list = list.filter(([key], i) => i <= index || !sameName(key, lower));
    return this;
  }

  /** Sets a header only when it is absent; returns the value now in place. */
  setDefault(name: string, value: string | number): string {
    const existing = this.get(name);
    if (existing !== null) return existing;
    this.add(name, value);
    return String(value);
  }

  /** Removes every value of a header; returns whether there was one. */
  delete(name: string): boolean {
    const lower = String(name).toLowerCase(); // plain JavaScript may look up 42: no such header, not a TypeError
    const before = this.#list.length;
    this.#list = this.#list.filter(([key]) => !sameName(key, lower));
    return this.#list.length !== before;
  }

  /** The number of fields (a repeated name counts each time). */
  get size(): number {
    return this.#list.length;
  }

  /**
   * The fields as TSGI wants them for `startResponse`: a fresh list of pairs, then `extra` fields (validated like
   * `add`) without changing these Headers. The list is allocated at its final size.
   */
  toList(...extra: ReadonlyArray<readonly [string, string]>): HeaderList {
    const list = this.#list;
    const copy: HeaderList = new Array(list.length + extra.length);
    for (let i = 0; i < list.length; i++) copy[i] = [list[i]![0], list[i]![1]];
    for (let i = 0; i < extra.length; i++)
      copy[list.length + i] = [checkName(extra[i]![0]), checkHeaderValue(extra[i]![0], extra[i]![1])];
    return copy;
  }

  /** A copy. */
  clone(): Headers {
    return new Headers(this.#list);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.toList()[Symbol.iterator]();
  }
}
