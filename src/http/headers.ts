/** @module Headers: a case-insensitive, ordered multi-map of HTTP header fields, like Werkzeug's Headers (layer L1). */
import { HTTP_TOKEN } from '../gateway/response.js';
import type { HeaderList } from '../gateway/types.js';

/**
 * Anything {@link Headers} can start from: pairs, a record (arrays repeat the name), or another Headers.
 *
 * @example
 * const init: HeadersInit = { 'Cache-Control': 'no-cache', 'Set-Cookie': ['a=1', 'b=2'] };
 */
export type HeadersInit = Iterable<readonly [string, string]> | Record<string, string | number | readonly string[]>;

function checkName(name: string): string {
  if (!HTTP_TOKEN.test(name)) throw new TypeError(`${JSON.stringify(name)} is not a valid header name (RFC 9110 §5.6.2)`);
  return name;
}

function checkValue(name: string, value: string | number): string {
  const text = String(value);
  // CR or LF would let a value start a new header (response splitting); NUL and non-latin-1 cannot be sent.
  if (/[\r\n\0]|[^\x00-\xff]/.test(text)) {
    throw new TypeError(`the value of header ${name} contains CR, LF, NUL or a character beyond latin-1: ${JSON.stringify(text)}; encode it first`);
  }
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

  /** The first value of a header, or `null`. */
  get(name: string): string | null {
    const lower = name.toLowerCase();
    for (const [key, value] of this.#list) if (key.toLowerCase() === lower) return value;
    return null;
  }

  /** Every value of a header, in order. */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.#list.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Appends a value, keeping the existing ones (Werkzeug's `add`). */
  add(name: string, value: string | number): this {
    this.#list.push([checkName(name), checkValue(name, value)]);
    return this;
  }

  /** Replaces every value of a header with one, at the position of the first. */
  set(name: string, value: string | number): this {
    const checked = checkValue(checkName(name), value);
    const lower = name.toLowerCase();
    const index = this.#list.findIndex(([key]) => key.toLowerCase() === lower);
    if (index < 0) {
      this.#list.push([name, checked]);
      return this;
    }
    this.#list[index] = [name, checked];
    this.#list = this.#list.filter(([key], i) => i <= index || key.toLowerCase() !== lower);
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
    const lower = name.toLowerCase();
    const before = this.#list.length;
    this.#list = this.#list.filter(([key]) => key.toLowerCase() !== lower);
    return this.#list.length !== before;
  }

  /** The number of fields (a repeated name counts each time). */
  get size(): number {
    return this.#list.length;
  }

  /** The fields as TSGI wants them for `startResponse`: a fresh list of pairs. */
  toList(): HeaderList {
    return this.#list.map(([name, value]) => [name, value]);
  }

  /** A copy. */
  clone(): Headers {
    return new Headers(this.#list);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.toList()[Symbol.iterator]();
  }
}
