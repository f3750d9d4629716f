/** @module HTTP dates (layer L1): format IMF-fixdate, parse the three formats of RFC 9110 §5.6.7. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 =
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * Formats a date as an HTTP date (IMF-fixdate, RFC 9110 §5.6.7), the only form a sender may generate.
 *
 * @example
 * httpDate(new Date(Date.UTC(2026, 10, 21, 10, 0, 0))); // 'Sat, 21 Nov 2026 10:00:00 GMT'
 */
export function httpDate(date: Date | number = Date.now()): string {
  return new Date(date).toUTCString();
}

function build(year: number, month: string, day: number, hours: number, minutes: number, seconds: number): Date | null {
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return null;
  const date = new Date(Date.UTC(year, monthIndex, day, hours, minutes, Math.min(seconds, 59)));
  return date.getUTCDate() === day ? date : null; // rejects 31 Feb
}

/**
 * Parses an HTTP date in any of the three formats a recipient must accept, or returns `null`. A two-digit RFC 850
 * year more than 50 years ahead is taken as the previous century (RFC 9110 §5.6.7).
 *
 * @example
 * parseHttpDate('Sat, 21 Nov 2026 10:00:00 GMT')?.toISOString(); // '2026-11-21T10:00:00.000Z'
 * parseHttpDate('Saturday, 21-Nov-26 10:00:00 GMT');               // same instant
 * parseHttpDate('yesterday');                                       // null
 */
export function parseHttpDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = value.trim();
  let m = IMF.exec(text);
  if (m) return build(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850.exec(text);
  if (m) {
    const now = new Date().getUTCFullYear();
    let year = Math.floor(now / 100) * 100 + Number(m[3]);
    if (year > now + 50) year -= 100;
    return build(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME.exec(text);
  if (m) return build(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
  return null;
}
