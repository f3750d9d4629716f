/** @module If-Range and Content-Range as values (layer L1): parse and write them (RFC 9110 §13.1.5, §14.4). */
import { httpDate, parseHttpDate } from './dates.js';
import { quoteEtag, unquoteEtag } from './etag.js';

/**
 * A parsed If-Range header: an entity tag or a date, or neither when the header was absent. Weakness is dropped,
 * since If-Range only ever compares strongly (RFC 9110 §13.1.5).
 *
 * @example
 * const ifRange = parseIfRange('"v2"');
 * [ifRange.etag, ifRange.date, String(ifRange)]; // ['v2', null, '"v2"']
 */
export class IfRange {
  readonly etag: string | null;
  readonly date: Date | null;

  constructor(etag: string | null = null, date: Date | null = null) {
    if (etag !== null && date !== null)
      throw new TypeError('an If-Range value is an entity tag or a date, not both; pass one of them');
    this.etag = etag;
    this.date = date;
  }

  /** The header value, `''` when there is neither tag nor date. */
  toString(): string {
    if (this.date !== null) return httpDate(this.date);
    return this.etag === null ? '' : quoteEtag(this.etag);
  }
}

/**
 * Parses an If-Range header: an HTTP date if it reads as one, else an entity tag (quoted or not, `W/` dropped).
 *
 * @example
 * parseIfRange('Thu, 01 Jan 1970 00:00:00 GMT').date?.getTime(); // 0
 * parseIfRange(null).toString();                                 // ''
 */
export function parseIfRange(header: string | null | undefined): IfRange {
  if (!header) return new IfRange();
  const date = parseHttpDate(header);
  return date === null ? new IfRange(unquoteEtag(header).tag) : new IfRange(null, date);
}

/** RFC 9110 §14.4: a range needs first ≤ last and a known length greater than last; `*\/length` needs the length. */
function isValid(start: number | null, end: number | null, length: number | null): boolean {
  if ((start === null) !== (end === null)) return false;
  if (length !== null && (!Number.isSafeInteger(length) || length < 0)) return false;
  if (start === null || end === null) return length !== null;
  return (
    Number.isSafeInteger(start) &&
    Number.isSafeInteger(end) &&
    start >= 0 &&
    start <= end &&
    (length === null || end < length)
  );
}

/**
 * A Content-Range value: `units start-end/length`, `end` inclusive as in the header (and in {@link ByteRange});
 * `start` and `end` are `null` for an unsatisfied range (`bytes *\/1000`), `length` is `null` when unknown (`/*`).
 *
 * @example
 * const range = new ContentRange('bytes', 0, 499, 1234);
 * range.toString();        // 'bytes 0-499/1234'
 * range.set(null, null);
 * range.toString();        // 'bytes *\/1234'
 */
export class ContentRange {
  #units: string;
  #start: number | null = null;
  #end: number | null = null;
  #length: number | null = null;

  constructor(units: string, start: number | null, end: number | null, length: number | null = null) {
    this.#units = units;
    this.set(start, end, length);
  }

  get units(): string {
    return this.#units;
  }

  get start(): number | null {
    return this.#start;
  }

  get end(): number | null {
    return this.#end;
  }

  get length(): number | null {
    return this.#length;
  }

  /** Replaces the range (and the length, unless left out), checking them as RFC 9110 §14.4 does. */
  set(
    start: number | null,
    end: number | null,
    length: number | null = this.#length,
    units: string = this.#units,
  ): this {
    if (!isValid(start, end, length)) {
      throw new TypeError(
        `${JSON.stringify([start, end, length])} is not a valid content range: give start <= end < length, a null length when unknown, or null start and end with a length for '*/length'`,
      );
    }
    this.#start = start;
    this.#end = end;
    this.#length = length;
    this.#units = units;
    return this;
  }

  /** The header value. */
  toString(): string {
    const length = this.#length ?? '*';
    return this.#start === null ? `${this.#units} */${length}` : `${this.#units} ${this.#start}-${this.#end}/${length}`;
  }
}

const DIGITS = /^\d+$/; // RFC 9110 §14.4 positions are 1*DIGIT: no sign, no '_', no other scripts' digits

/**
 * Parses a Content-Range header (as a client or proxy reads a 206 or 416), or returns `null` when it is malformed
 * or describes an impossible range.
 *
 * @example
 * parseContentRange('bytes 0-98/*');   // ContentRange { units: 'bytes', start: 0, end: 98, length: null }
 * parseContentRange('bytes *\/100');   // start and end null, length 100
 * parseContentRange('bytes 5-1/100');  // null
 */
export function parseContentRange(header: string | null | undefined): ContentRange | null {
  const match = /^(\S+)\s+(.+)$/s.exec((header ?? '').trim());
  if (!match) return null;
  const [, units, spec] = match as unknown as [string, string, string];
  const slash = spec.indexOf('/');
  if (slash < 0) return null;
  const range = spec.slice(0, slash);
  const lengthText = spec.slice(slash + 1);
  if (lengthText !== '*' && !DIGITS.test(lengthText)) return null;
  const length = lengthText === '*' ? null : Number(lengthText);
  let start: number | null = null;
  let end: number | null = null;
  if (range !== '*') {
    const dash = range.indexOf('-');
    const first = range.slice(0, dash);
    const last = range.slice(dash + 1);
    if (dash < 0 || !DIGITS.test(first) || !DIGITS.test(last)) return null;
    start = Number(first);
    end = Number(last);
  }
  return isValid(start, end, length) ? new ContentRange(units, start, end, length) : null;
}
