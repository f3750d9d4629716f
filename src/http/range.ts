/** @module Byte ranges (layer L1): parse a Range header against a known size and format Content-Range (RFC 9110 §14). */
import { ContentRange } from './range-headers.js';

/**
 * An inclusive byte range: `{ start: 0, end: 499 }` is the first 500 bytes.
 *
 * @example
 * const first: ByteRange = { start: 0, end: 499 };
 */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The outcome of {@link parseRange}: ranges to send, `'unsatisfiable'` (416), or `null` (ignore the header, send 200).
 *
 * @example
 * const result: RangeResult = parseRange(request.headers.get('Range'), size);
 */
export type RangeResult = ByteRange[] | 'unsatisfiable' | null;

const MAX_RANGES = 32; // many small ranges is a known amplification attack; more than this and the header is ignored

/**
 * One range of a Range header as the client wrote it: `start`–`end` inclusive (`end` null for "to the end"), or the
 * last `suffix` units.
 *
 * @example
 * const specs: RangeSpec[] = [{ start: 0, end: 499 }, { start: 1000, end: null }, { suffix: 500 }]; // bytes=0-499,1000-,-500
 */
export type RangeSpec = { readonly start: number; readonly end: number | null } | { readonly suffix: number };

/**
 * A parsed Range header, Werkzeug's `Range` (what `request.range` gives): its units and ranges as written, before a
 * representation's size is known. `forLength(size)` resolves them; `makeContentRange(size)` gives the Content-Range
 * of a single range.
 *
 * @example
 * const range = parseRangeHeader('bytes=0-499')!;
 * range.forLength(1000);                    // [{ start: 0, end: 499 }]
 * String(range.makeContentRange(1000));     // 'bytes 0-499/1000'
 */
export class Range {
  readonly units: string;
  readonly ranges: readonly RangeSpec[];

  constructor(units: string, ranges: readonly RangeSpec[]) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(units))
      throw new TypeError(`range units are a token, as 'bytes'; got ${JSON.stringify(units)}`);
    for (const spec of ranges) {
      const valid =
        'suffix' in spec
          ? Number.isSafeInteger(spec.suffix) && spec.suffix >= 0
          : Number.isSafeInteger(spec.start) &&
            spec.start >= 0 &&
            (spec.end === null || (Number.isSafeInteger(spec.end) && spec.end >= spec.start));
      if (!valid)
        throw new TypeError(
          `${JSON.stringify(spec)} is not a range: give { start, end } with 0 <= start <= end (end null for the rest), or { suffix } >= 0`,
        );
    }
    this.units = units;
    this.ranges = Object.freeze(ranges.map((spec) => Object.freeze({ ...spec })));
  }

  /**
   * The byte ranges to send from a representation of `size` bytes, ends clipped; `'unsatisfiable'` (416) when none
   * starts inside it. Only for units `bytes`, the one unit HTTP defines.
   *
   * @example
   * parseRangeHeader('bytes=-100,900-')!.forLength(1000); // [{ start: 900, end: 999 }, { start: 900, end: 999 }]
   */
  forLength(size: number): ByteRange[] | 'unsatisfiable' {
    const ranges: ByteRange[] = [];
    for (const spec of this.ranges) {
      if ('suffix' in spec) {
        if (spec.suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - spec.suffix), end: size - 1 });
      } else if (spec.start < size) {
        ranges.push({ start: spec.start, end: Math.min(spec.end ?? Number.POSITIVE_INFINITY, size - 1) });
      }
    }
    return ranges.length === 0 ? 'unsatisfiable' : ranges;
  }

  /**
   * Werkzeug's `range_for_length`: the one byte range to send from `size` bytes, or `null` when the header asks for
   * several, or for none that fits.
   *
   * @example
   * parseRangeHeader('bytes=0-499')!.rangeForLength(1000); // { start: 0, end: 499 }
   */
  rangeForLength(size: number): ByteRange | null {
    if (this.units.toLowerCase() !== 'bytes' || this.ranges.length !== 1) return null;
    const ranges = this.forLength(size);
    return ranges === 'unsatisfiable' ? null : ranges[0]!;
  }

  /**
   * The Content-Range of the answer to this header for `size` bytes (Werkzeug's `make_content_range`), or `null`
   * when {@link rangeForLength} is.
   *
   * @example
   * response.contentRange = req.range?.makeContentRange(1000) ?? null; // bytes 0-499/1000
   */
  makeContentRange(size: number): ContentRange | null {
    const range = this.rangeForLength(size);
    return range === null ? null : new ContentRange(this.units, range.start, range.end, size);
  }

  /** The header value: `bytes=0-499,-500`. */
  toString(): string {
    const specs = this.ranges.map((spec) => ('suffix' in spec ? `-${spec.suffix}` : `${spec.start}-${spec.end ?? ''}`));
    return `${this.units}=${specs.join(',')}`;
  }
}

/** A position of a range-spec; one past any size stays past it (a 416, not a 200 for a number too long to hold). */
const position = (digits: string): number => Math.min(Number(digits), Number.MAX_SAFE_INTEGER);

/** Whether the number `a` is below `b`, both written in digits of any length. */
function isBelow(a: string, b: string): boolean {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length !== y.length ? x.length < y.length : x < y;
}

/**
 * Parses a Range header whatever its units (Werkzeug's `parse_range_header`), the units lower-cased; `null` for a
 * header that is absent or malformed, or that lists more than 32 ranges (an amplification attack). Unlike Werkzeug,
 * ranges out of order or overlapping are read (RFC 9110 §14.2 lets a server send them as asked or coalesced), and a
 * suffix longer than the representation is all of it, as §14.1.2 says.
 *
 * @example
 * parseRangeHeader('bytes=0-499,-500')?.ranges; // [{ start: 0, end: 499 }, { suffix: 500 }]
 * parseRangeHeader('bytes=5-1');                // null: last before first
 */
export function parseRangeHeader(header: string | null | undefined): Range | null {
  if (!header) return null;
  const match = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*(.+)$/.exec(header);
  if (!match) return null;
  const specs = match[2]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length === 0 || specs.length > MAX_RANGES) return null;
  const ranges: RangeSpec[] = [];
  for (const spec of specs) {
    const m = /^(\d*)\s*-\s*(\d*)$/.exec(spec); // 'bytes=1 - 100': spaces around '-' are read, as Werkzeug does
    if (!m || (m[1] === '' && m[2] === '')) return null;
    if (m[1] === '') {
      ranges.push({ suffix: position(m[2]!) });
      continue;
    }
    // An invalid range-spec invalidates the header (§14.1.1): compared as written, before a long one is clamped.
    if (m[2] !== '' && isBelow(m[2]!, m[1]!)) return null;
    ranges.push({ start: position(m[1]!), end: m[2] === '' ? null : position(m[2]!) });
  }
  return new Range(match[1]!.toLowerCase(), ranges);
}

/**
 * Parses `Range: bytes=…` for a representation of `size` bytes. Invalid syntax or another unit gives `null`, since a
 * server ignores a Range it does not understand; ranges that all start past the end give `'unsatisfiable'`. End
 * positions past the end are clipped; `bytes=-N` is the last N bytes.
 *
 * @example
 * parseRange('bytes=0-499', 1000);   // [{ start: 0, end: 499 }]
 * parseRange('bytes=-100', 1000);    // [{ start: 900, end: 999 }]
 * parseRange('bytes=2000-', 1000);   // 'unsatisfiable'
 * parseRange('items=0-1', 1000);     // null
 */
export function parseRange(header: string | null | undefined, size: number): RangeResult {
  const range = parseRangeHeader(header);
  return range === null || range.units.toLowerCase() !== 'bytes' ? null : range.forLength(size);
}

/**
 * The Content-Range value of a partial response.
 *
 * @example
 * contentRange({ start: 0, end: 499 }, 1000); // 'bytes 0-499/1000'
 */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
