/** @module Python's datetime methods for a JavaScript Date (layer L3): `post.created.strftime('%Y-%m-%d')` in a template. */
import { NunjucksTemplateError as TemplateError } from './nunjucks.js';
import type { PythonMethod } from './keywords.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill);

/** Midnight of a day in local time; years 0 to 99 too (`new Date(50, 0, 1)` would be 1950). */
function midnightOf(year: number, month: number, date: number): Date {
  const midnight = new Date(2000, 0, 1);
  midnight.setFullYear(year, month, date);
  return midnight;
}

/** Day of the year, 1 for January 1st. */
function dayOfYear(date: Date): number {
  const start = midnightOf(date.getFullYear(), 0, 1);
  const today = midnightOf(date.getFullYear(), date.getMonth(), date.getDate());
  return Math.round((today.getTime() - start.getTime()) / 86_400_000) + 1;
}

/** `%U` (weeks start on Sunday) and `%W` (on Monday): the week of the year, 0 before the first such day. */
function weekOfYear(date: Date, firstDay: 0 | 1): number {
  const weekday = (date.getDay() + 7 - firstDay) % 7;
  return Math.floor((dayOfYear(date) - 1 - weekday + 7) / 7);
}

/** ISO 8601's year and week (`%G`, `%V`): the week with the year's first Thursday is week 1. */
function isoWeek(date: Date): [number, number] {
  const thursday = midnightOf(date.getFullYear(), date.getMonth(), date.getDate() + 3 - ((date.getDay() + 6) % 7));
  return [thursday.getFullYear(), Math.floor((dayOfYear(thursday) - 1) / 7) + 1];
}

const hour12 = (date: Date) => date.getHours() % 12 || 12;

/** What each of C's (glibc's) strftime directives writes; a Date is read in local time, as Python's naive datetime. */
const DIRECTIVES: Readonly<Record<string, (date: Date) => string>> = {
  a: (d) => DAYS[d.getDay()]!.slice(0, 3),
  A: (d) => DAYS[d.getDay()]!,
  w: (d) => String(d.getDay()),
  u: (d) => String(d.getDay() || 7),
  d: (d) => pad(d.getDate()),
  e: (d) => pad(d.getDate(), 2, ' '),
  b: (d) => MONTHS[d.getMonth()]!.slice(0, 3),
  h: (d) => MONTHS[d.getMonth()]!.slice(0, 3),
  B: (d) => MONTHS[d.getMonth()]!,
  m: (d) => pad(d.getMonth() + 1),
  y: (d) => pad(d.getFullYear() % 100),
  Y: (d) => String(d.getFullYear()),
  C: (d) => pad(Math.floor(d.getFullYear() / 100)),
  G: (d) => String(isoWeek(d)[0]),
  V: (d) => pad(isoWeek(d)[1]),
  H: (d) => pad(d.getHours()),
  k: (d) => pad(d.getHours(), 2, ' '),
  I: (d) => pad(hour12(d)),
  l: (d) => pad(hour12(d), 2, ' '),
  p: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  P: (d) => (d.getHours() < 12 ? 'am' : 'pm'),
  M: (d) => pad(d.getMinutes()),
  S: (d) => pad(d.getSeconds()),
  f: (d) => pad(d.getMilliseconds() * 1000, 6),
  j: (d) => pad(dayOfYear(d), 3),
  U: (d) => pad(weekOfYear(d, 0)),
  W: (d) => pad(weekOfYear(d, 1)),
  s: (d) => String(Math.floor(d.getTime() / 1000)),
  // A naive datetime has no zone: Python writes nothing for these.
  z: () => '',
  Z: () => '',
  c: (d) => strftime(d, '%a %b %e %H:%M:%S %Y'),
  x: (d) => strftime(d, '%m/%d/%y'),
  X: (d) => strftime(d, '%H:%M:%S'),
  D: (d) => strftime(d, '%m/%d/%y'),
  F: (d) => strftime(d, '%Y-%m-%d'),
  T: (d) => strftime(d, '%H:%M:%S'),
  R: (d) => strftime(d, '%H:%M'),
  n: () => '\n',
  t: () => '\t',
  '%': () => '%',
};

/**
 * Python's `date.strftime(format)` for a JavaScript Date, read in local time as Python reads a naive datetime: C's
 * directives and glibc's (`%-d` drops the padding, as on Linux); an unknown directive stays as written.
 *
 * @example
 * strftime(new Date(2024, 0, 5, 9, 7), '%B %-d, %Y at %H:%M'); // 'January 5, 2024 at 09:07'
 */
export function strftime(date: Date, format: string): string {
  if (Number.isNaN(date.getTime())) throw new TemplateError('strftime() of an invalid Date');
  return format.replace(/%(-?)(.)/gs, (match, unpadded: string, directive: string) => {
    const write = DIRECTIVES[directive];
    if (write === undefined) return match;
    const text = write(date);
    return unpadded === '' ? text : text.replace(/^[0 ](?=.)/, '').replace(/^0+(?=\d)/, '');
  });
}

/**
 * Python's `datetime.isoformat(sep='T', timespec='auto')` of a Date in local time: microseconds written when there
 * are any; `str(datetime)` is `isoformat(date, ' ')`.
 *
 * @example
 * isoformat(new Date(2024, 0, 5, 9, 7), ' '); // '2024-01-05 09:07:00'
 */
export function isoformat(date: Date, sep: unknown, timespec: unknown): string {
  const day = `${pad(date.getFullYear(), 4)}-${strftime(date, '%m-%d')}`;
  const parts: Record<string, string> = {
    hours: strftime(date, '%H'),
    minutes: strftime(date, '%H:%M'),
    seconds: strftime(date, '%H:%M:%S'),
    milliseconds: `${strftime(date, '%H:%M:%S')}.${pad(date.getMilliseconds(), 3)}`,
    microseconds: strftime(date, '%H:%M:%S.%f'),
  };
  const spec = timespec ?? 'auto';
  const time = spec === 'auto' ? parts[date.getMilliseconds() === 0 ? 'seconds' : 'microseconds'] : parts[String(spec)];
  if (time === undefined) throw new TemplateError(`Unknown timespec value: ${String(spec)}`);
  return `${day}${sep ?? 'T'}${time}`;
}

/** Python's datetime methods, for a Date: `strftime`, `isoformat`, `weekday` (Monday 0), `isoweekday`, `timestamp`. */
export const DATE_METHODS: Readonly<Record<string, PythonMethod<Date>>> = {
  strftime: (date, [format]) => {
    if (typeof format !== 'string') throw new TemplateError("strftime() takes a format, such as '%Y-%m-%d'");
    return strftime(date, format);
  },
  isoformat: (date, args, keywords) => isoformat(date, args[0] ?? keywords.sep, args[1] ?? keywords.timespec),
  weekday: (date) => (date.getDay() + 6) % 7,
  isoweekday: (date) => date.getDay() || 7,
  timestamp: (date) => date.getTime() / 1000,
};

/**
 * A datetime's attribute (`post.created.year`): `year`, `month` (1 to 12), `day`, `hour`, `minute`, `second` and
 * `microsecond` of a Date in local time, else `undefined`.
 *
 * @example
 * dateAttribute(new Date(2024, 0, 5), 'month'); // 1
 */
export function dateAttribute(date: Date, name: string | number): number | undefined {
  switch (name) {
    case 'year':
      return date.getFullYear();
    case 'month':
      return date.getMonth() + 1;
    case 'day':
      return date.getDate();
    case 'hour':
      return date.getHours();
    case 'minute':
      return date.getMinutes();
    case 'second':
      return date.getSeconds();
    case 'microsecond':
      return date.getMilliseconds() * 1000;
    default:
      return undefined;
  }
}
