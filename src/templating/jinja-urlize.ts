/** @module Jinja's `urlize` filter (layer L3): links made of the web addresses and e-mail addresses in text. */
import { escapeUnlessSafe, sequence, withSignature, type Filter, type FilterThis } from './jinja-signature.js';
import { escapeHtml, isMarkedSafe, markSafe } from './nunjucks.js';
import { isTruthy } from './truthiness.js';

/**
 * Jinja's `env.policies` for `urlize`: `rel` is always added, `target` and `extraSchemes` apply when the template
 * gives none. Flagon does not let an app change them.
 *
 * @example
 * URLIZE_POLICIES.rel; // 'noopener'
 */
export const URLIZE_POLICIES: Readonly<{ rel: string; target: string | null; extraSchemes: readonly string[] | null }> =
  Object.freeze({ rel: 'noopener', target: null, extraSchemes: null });

// Python's `\s` and `\w` on text (Unicode), and its IGNORECASE: `[a-z]` and `i` also match `ı` and `İ`.
const SPACE = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const SPACE_RUN = new RegExp(`(${SPACE})`, 'u');
const SPACES = new RegExp(SPACE, 'u');
const HOST_RUN = /^[\p{L}\p{N}_%.-]*/u;
const SCHEME_OR_WWW = /^(?:https?:\/\/|www\.)/iu;
const TLD = /^(?:[a-z\u0130\u0131]{2,63}|xn--[\p{L}\p{N}_%]{2,59})$/iu;
const BASIC_TLD = /^(?:com|net|[i\u0130\u0131]nt|edu|gov|org|[i\u0130\u0131]nfo|m[i\u0130\u0131]l)$/iu;
const IPV4_PART = /^\p{Nd}{1,3}$/u;
const IPV6_TEXT = /^[\p{Nd}a-f:]*$/iu;
const PORT_AND_PATH = /^(?::\p{Nd}{1,5})?(?:[/?#].*)?$/su;
const EMAIL_DOMAIN = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;
const EMAIL_TLD = /^[\p{L}\p{N}_]+$/u;
const URI_SCHEME = /^[\p{L}\p{N}_.+-]{2,}:\/{0,2}$/u;
// Leading and trailing punctuation that is not part of a link (the text is escaped: `&lt;` is `<`), and the pairs
// a link may close from its trailing punctuation when it opened them (`http://x.com/a_(b)`).
const LEADING = ['(', '<', '&lt;'];
const TRAILING = [')', '>', '.', ',', '&gt;'];
const PAIRS = ['( )', '< >', '&lt; &gt;'].map((pair) => pair.split(' ') as [open: string, close: string]);

const codePoints = (text: string): number => [...text].length;

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

/**
 * Where the link of a web address goes (`https://` added to `www.` and bare domains), or null when the word is not
 * one: a scheme or `www.` then a host name, an IP address after a scheme, or a bare `.com`, `.org`, … domain; then
 * a port, path, query and fragment. Linear: the host is one scan of host characters, then split at its dots.
 *
 * @example
 * webHref('example.org/a?b'); // 'https://example.org/a?b'
 */
export function webHref(word: string): string | null {
  const prefix = SCHEME_OR_WWW.exec(word)?.[0] ?? '';
  const hasScheme = prefix.endsWith('/');
  const host = HOST_RUN.exec(word.slice(prefix.length))![0];
  let rest = word.slice(prefix.length + host.length);
  const labels = host.split('.');
  const tld = labels.pop()!;
  let valid = prefix
    ? labels.every((label) => label !== '') && TLD.test(tld)
    : BASIC_TLD.test(tld) && labels.length > 0 && labels.every((label) => /^.{2,63}$/su.test(label));
  if (!valid && hasScheme) {
    valid = labels.length === 3 && [...labels, tld].every((part) => IPV4_PART.test(part));
    const close = rest.indexOf(']');
    if (!valid && host === '' && rest.startsWith('[') && close !== -1 && isIPv6(rest.slice(1, close))) {
      [valid, rest] = [true, rest.slice(close + 1)];
    }
  }
  if (!valid || !PORT_AND_PATH.test(rest)) return null;
  // Jinja compares the scheme case-sensitively and so links `HTTP://x.com` to `https://HTTP://x.com`; not here.
  return hasScheme ? word : `https://${word}`;
}

/** Jinja's IPv6 pattern, `([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}`, as arithmetic on the colon-separated groups. */
function isIPv6(text: string): boolean {
  const groups = text.split(':');
  if (!IPV6_TEXT.test(text) || groups.length < 3) return false;
  const [first, second, ...rest] = groups.map(codePoints) as [number, number, ...number[]];
  // After the first two groups, each piece is up to four digits and maybe a colon: a group before a colon needs at
  // least one piece, the last group (after the last colon) none if it is empty.
  const pieces = rest.reduce(
    (sum, size, index) => sum + Math.max(index < rest.length - 1 ? 1 : 0, Math.ceil(size / 4)),
    0,
  );
  return first <= 4 && second <= 4 && pieces <= 6;
}

/** Jinja's e-mail pattern, `\S+@\w[\w.-]*\.\w+`: the domain after the last `@`, its top level after its last dot. */
function isEmail(text: string): boolean {
  const at = text.lastIndexOf('@');
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return at > 0 && dot > 0 && EMAIL_DOMAIN.test(domain.slice(0, dot)) && EMAIL_TLD.test(domain.slice(dot + 1));
}

/**
 * A word split into the punctuation before it, the part that may be a link, and the punctuation after it; a closing
 * bracket comes back into the link as often as the link opens more of that bracket than it closes.
 *
 * @example
 * splitPunctuation('(http://x.com/a_(b)).'); // ['(', 'http://x.com/a_(b)', ').']
 */
export function splitPunctuation(word: string): [head: string, middle: string, tail: string] {
  let [start, end] = [0, word.length];
  for (let lead = LEADING.find((mark) => word.startsWith(mark, start)); lead; ) {
    start += lead.length;
    lead = LEADING.find((mark) => word.startsWith(mark, start));
  }
  for (let trail = TRAILING.find((mark) => word.endsWith(mark, end)); trail && end - trail.length >= start; ) {
    end -= trail.length;
    trail = TRAILING.find((mark) => word.endsWith(mark, end));
  }
  let [middle, tail] = [word.slice(start, end), word.slice(end)];
  for (const [open, close] of PAIRS) {
    const opened = occurrences(middle, open);
    if (opened <= occurrences(middle, close)) continue;
    let cut = 0;
    for (let moves = Math.min(opened, occurrences(tail, close)); moves > 0; moves--) {
      cut = tail.indexOf(close, cut) + close.length;
    }
    [middle, tail] = [middle + tail.slice(0, cut), tail.slice(cut)];
  }
  return [word.slice(0, start), middle, tail];
}

/** What urlize needs besides the text: the `rel` and `target` attributes, the trim length, the extra schemes. */
interface LinkOptions {
  attributes: string;
  trim: (text: string) => string;
  schemes: readonly string[];
}

function linkWord(middle: string, { attributes, trim, schemes }: LinkOptions): string {
  const href = webHref(middle);
  if (href !== null) return `<a href="${href}"${attributes}>${trim(middle)}</a>`;
  if (middle.startsWith('mailto:') && isEmail(middle.slice(7))) return `<a href="${middle}">${middle.slice(7)}</a>`;
  if (!middle.startsWith('www.') && !middle.startsWith('@') && !middle.includes(':') && isEmail(middle)) {
    return `<a href="mailto:${middle}">${middle}</a>`;
  }
  const scheme = schemes.find((prefix) => middle !== prefix && middle.startsWith(prefix));
  return scheme === undefined ? middle : `<a href="${middle}"${attributes}>${middle}</a>`;
}

/** Jinja's `trim_url`: text longer than `limit` characters (code points, as Python counts) cut to them and `...`. */
function trimmer(limit: unknown): (text: string) => string {
  if (limit === null || limit === undefined) return (text) => text;
  const size = Number(limit);
  return (text) => {
    const chars = [...text];
    if (chars.length <= size) return text;
    if (!Number.isInteger(size))
      throw new TypeError(`urlize() trim_url_limit must be an integer, not ${String(limit)}`);
    return `${chars.slice(0, size).join('')}...`;
  };
}

function uriSchemes(value: unknown): string[] {
  return sequence(value ?? URLIZE_POLICIES.extraSchemes).map((scheme) => {
    const text = typeof scheme === 'string' || isMarkedSafe(scheme) ? String(scheme) : null;
    if (text === null || !URI_SCHEME.test(text))
      throw new TypeError(`'${String(scheme)}' is not a valid URI scheme prefix.`);
    return text;
  });
}

/**
 * Jinja's `urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None)`: the text
 * escaped (unless safe), with `http(s)://` addresses, `www.` and bare `.com`/`.net`/`.org`… domains (linked with
 * `https://`), `mailto:` and bare e-mail addresses, and words starting with one of `extra_schemes` (`'ftp://'`)
 * made links; punctuation and brackets around a word stay outside its link. Links have `rel="noopener"` (and
 * `nofollow` with `nofollow=true`, and `rel`'s words), `target` when given, and their text cut to `trim_url_limit`
 * characters and `...`. Safe text when autoescaping. Linear in the text's length, whatever the text.
 */
const urlize = withSignature(
  'urlize',
  { trim_url_limit: null, nofollow: false, target: null, rel: null, extra_schemes: null },
  function (this: FilterThis, value, { trim_url_limit, nofollow, target, rel, extra_schemes }) {
    const relWords = new Set(isTruthy(rel) ? String(rel).split(SPACES) : []);
    if (isTruthy(nofollow)) relWords.add('nofollow');
    for (const word of URLIZE_POLICIES.rel.split(' ')) relWords.add(word);
    relWords.delete('');
    const relText = [...relWords].sort().join(' ');
    const chosenTarget = target ?? URLIZE_POLICIES.target;
    const options: LinkOptions = {
      attributes:
        (relText ? ` rel="${escapeHtml(relText)}"` : '') +
        (isTruthy(chosenTarget) ? ` target="${escapeUnlessSafe(chosenTarget)}"` : ''),
      trim: trimmer(trim_url_limit),
      schemes: uriSchemes(extra_schemes),
    };
    const words = escapeUnlessSafe(value).split(SPACE_RUN);
    const linked = words.map((word, index) => {
      if (index % 2 === 1 || word === '') return word;
      const [head, middle, tail] = splitPunctuation(word);
      return head + linkWord(middle, options) + tail;
    });
    const text = linked.join('');
    return this.env.opts.autoescape ? markSafe(text) : text;
  },
);

/**
 * Jinja's `urlize` by name, for the template environment, where it replaces nunjucks's own.
 *
 * @example
 * for (const [name, filter] of Object.entries(urlizeFilters)) env.addFilter(name, filter);
 */
export const urlizeFilters: Readonly<Record<string, Filter>> = { urlize };
