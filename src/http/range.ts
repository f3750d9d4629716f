/** @module Byte ranges (layer L1): parse a Range header against a known size and format Content-Range (RFC 9110 §14). */

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
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return null;
  const specs = match[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (specs.length === 0 || specs.length > MAX_RANGES) return null;
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const m = /^(\d*)\s*-\s*(\d*)$/.exec(spec); // 'bytes=1 - 100': spaces around '-' are read, as Werkzeug does
    if (!m || (m[1] === '' && m[2] === '')) return null;
    if (m[1] === '') {
      const suffix = Number(m[2]);
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(m[1]);
    const last = m[2] === '' ? Infinity : Number(m[2]);
    if (last < start) return null; // an invalid range-spec invalidates the header (§14.1.1)
    if (start < size) ranges.push({ start, end: Math.min(last, size - 1) });
  }
  return ranges.length === 0 ? 'unsatisfiable' : ranges;
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
