/** @module Content negotiation (layer L1): Accept, Accept-Language, Accept-Charset and Accept-Encoding with q-values and best match (RFC 9110 §12.5). */
import { decodeExtText, splitExtValue } from './header-values.js';

/**
 * One entry of an Accept-style header.
 *
 * @example
 * const item: AcceptItem = { value: 'text/html', quality: 0.9 };
 */
export interface AcceptItem {
  value: string;
  /** 0 to 1; 0 means "not acceptable". */
  quality: number;
}

type Kind = 'mime' | 'language' | 'plain';

/** A media range split into `type/subtype` and its parameters (names lower-cased), for matching. */
function splitMedia(value: string): { base: string; params: Map<string, string> } {
  const [base = '', ...params] = value.split(';');
  const map = new Map<string, string>();
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0)
      map.set(
        param.slice(0, eq).trim().toLowerCase(),
        param
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return { base: base.trim().toLowerCase(), params: map };
}

// Charset names a client may write differently from the server (RFC 9110 §12.5.2 compares them case-insensitively;
// IANA lists these aliases). Keys are names with case and punctuation dropped, so `UTF8`, `utf_8` and `utf-8` meet
// without an entry; the table holds only aliases that spell a different name. Content codings share the comparison,
// and `x-gzip` is `gzip` (RFC 9110 §8.4.1.3). A lookup table, not a codec library: unknown names compare as written.
const CHARSET_ALIASES: Readonly<Record<string, string>> = {
  latin1: 'iso88591',
  l1: 'iso88591',
  isoir100: 'iso88591',
  cp819: 'iso88591',
  ibm819: 'iso88591',
  csisolatin1: 'iso88591',
  ascii: 'usascii',
  us: 'usascii',
  iso646us: 'usascii',
  ansix341968: 'usascii',
  cp367: 'usascii',
  ibm367: 'usascii',
  csascii: 'usascii',
  cp1252: 'windows1252',
  sjis: 'shiftjis',
  csshiftjis: 'shiftjis',
  ujis: 'eucjp',
  cseucpkdfmtjapanese: 'eucjp',
  cp936: 'gbk',
  utf16le: 'utf16le',
  xgzip: 'gzip',
  xcompress: 'compress',
};

/** A charset or coding name in the form two spellings of one name share. */
function normalizeCharset(name: string): string {
  const key = name.toLowerCase().replace(/[^a-z0-9*]/g, '');
  return CHARSET_ALIASES[key] ?? key;
}

function specificity(kind: Kind, value: string): number {
  if (value === '*' || value === '*/*') return 0;
  if (kind === 'mime') {
    const { base, params } = splitMedia(value);
    return base.endsWith('/*') ? 1 : params.size > 0 ? 3 : 2; // RFC 9110 §12.5.1: text/html;level=1 beats text/html
  }
  return 1 + value.split(/[-_]/).length;
}

/**
 * The parsed value of an Accept-style header, most preferred first (quality, then specificity, then the client's
 * order). `quality(offer)` and `bestMatch(offers)` answer the usual questions.
 *
 * @example
 * const accept = parseAccept('text/html, application/json;q=0.9, *\/*;q=0.1');
 * accept.bestMatch(['application/json', 'text/html']); // 'text/html'
 * accept.quality('image/png');                          // 0.1
 */
export class Accept implements Iterable<AcceptItem> {
  readonly items: readonly AcceptItem[];
  readonly #kind: Kind;

  constructor(items: readonly AcceptItem[], kind: Kind = 'plain') {
    this.#kind = kind;
    this.items = items
      .map((item, index) => ({ item, index }))
      .sort(
        (a, b) =>
          b.item.quality - a.item.quality ||
          specificity(kind, b.item.value) - specificity(kind, a.item.value) ||
          a.index - b.index,
      )
      .map(({ item }) => item);
  }

  /** Whether the header was sent with anything in it. */
  get provided(): boolean {
    return this.items.length > 0;
  }

  /** The client's first choice, or `null`. */
  get best(): string | null {
    return this.items.find((item) => item.quality > 0)?.value ?? null;
  }

  #matches(range: string, offer: string): boolean {
    let r = range.toLowerCase();
    let o = offer.toLowerCase();
    if (this.#kind === 'language') {
      // Locale names written with '_' (de_AT, as gettext and some clients do) are language tags: Werkzeug matches them.
      r = r.replaceAll('_', '-');
      o = o.replaceAll('_', '-');
    }
    if (this.#kind === 'plain' && r !== '*') {
      r = normalizeCharset(r);
      o = normalizeCharset(o);
    }
    if (r === o || r === '*' || r === '*/*') return true;
    if (this.#kind === 'mime') {
      const want = splitMedia(r);
      const have = splitMedia(o);
      const [type, subtype] = want.base.split('/');
      if (want.base !== have.base && !(subtype === '*' && have.base.startsWith(`${type}/`))) return false;
      // A range's parameters must all be on the offer; a range without any matches every variant (RFC 9110 §12.5.1).
      for (const [name, value] of want.params)
        if (have.params.get(name)?.toLowerCase() !== value.toLowerCase()) return false;
      return true;
    }
    // RFC 4647 basic filtering: 'en' matches 'en-US'.
    return this.#kind === 'language' && o.startsWith(`${r}-`);
  }

  /** The most specific range that matches an offer (the first of equals, so the higher quality), if any. */
  #rangeFor(offer: string): AcceptItem | undefined {
    let best: AcceptItem | undefined;
    for (const item of this.items) {
      if (!this.#matches(item.value, offer)) continue;
      if (best === undefined || specificity(this.#kind, item.value) > specificity(this.#kind, best.value)) best = item;
    }
    return best;
  }

  /** How acceptable an offer is: the quality of the most specific range that matches it, 0 when none does. */
  quality(offer: string): number {
    return this.#rangeFor(offer)?.quality ?? 0;
  }

  /** Whether a range names exactly this offer: same value, and for media types the same parameters, no more. */
  #isExact(range: string, offer: string): boolean {
    if (this.#kind !== 'mime') return this.#matches(range, offer) && this.#matches(offer, range);
    const want = splitMedia(range);
    const have = splitMedia(offer);
    if (want.base !== have.base || want.params.size !== have.params.size) return false;
    for (const [name, value] of want.params)
      if (have.params.get(name)?.toLowerCase() !== value.toLowerCase()) return false;
    return true;
  }

  /**
   * The offer the client prefers, or `fallback`. Among offers of equal quality, the one matched by the more specific
   * range wins, then the one the range names exactly (`text/html` over `text/html; version=1` when the client sent
   * `text/html`), then the earlier offer (the server's preference). RFC 9110 §12.5.1 leaves that choice to the
   * server; these are Werkzeug's rules. With no header at all, every offer is acceptable and the first wins.
   */
  bestMatch(offers: readonly string[], fallback: string | null = null): string | null {
    if (!this.provided) return offers[0] ?? fallback;
    let result = fallback;
    let best = [0, -1, 0]; // quality, specificity of the matching range, exact match
    for (const offer of offers) {
      const range = this.#rangeFor(offer);
      if (range === undefined || range.quality <= 0) continue;
      const rank = [range.quality, specificity(this.#kind, range.value), this.#isExact(range.value, offer) ? 1 : 0];
      const better = rank[0]! - best[0]! || rank[1]! - best[1]! || rank[2]! - best[2]!;
      if (better > 0) {
        best = rank;
        result = offer;
      }
    }
    if (result === fallback && this.#kind === 'language') return this.#languageFallback(offers) ?? fallback;
    return result;
  }

  /**
   * Werkzeug's fallback when no offer matched: the client's tags cut to their primary subtag (`en-GB` → `en`) and
   * matched against the offers; else the offers cut the same way and matched against the client's tags, giving back
   * the first offer with that primary subtag. Two regions of one language (`en-GB`, `en-US`) never match each other.
   */
  #languageFallback(all: readonly string[]): string | null {
    // An offer the client refused (a matching range with q=0) never comes back through a primary subtag.
    const offers = all.filter((offer) => this.#rangeFor(offer)?.quality !== 0);
    // `*` and refused tags (q=0) have no primary subtag to fall back on: they would bring back refused offers.
    const cut = this.items
      .filter((item) => item.value !== '*' && item.quality > 0)
      .map((item) => ({ value: primaryTag(item.value), quality: item.quality }));
    const offered = pickLanguage(offers, cut);
    if (offered !== null) return offered;
    const primary = pickLanguage(offers.map(primaryTag), this.items);
    return primary === null ? null : (offers.find((offer) => primaryTag(offer) === primary) ?? null);
  }

  [Symbol.iterator](): Iterator<AcceptItem> {
    return this.items[Symbol.iterator]();
  }
}

const languageTag = (tag: string): string => tag.toLowerCase().replaceAll('_', '-');
const primaryTag = (tag: string): string => languageTag(tag).split('-', 1)[0]!;

/** Werkzeug's Accept.best_match over exact tags: the best quality wins, the earlier candidate among equals. */
function pickLanguage(candidates: readonly string[], ranges: ReadonlyArray<{ value: string; quality: number }>) {
  let result: string | null = null;
  let best = 0;
  for (const candidate of candidates) {
    for (const { value, quality } of ranges) {
      if (quality <= best) continue;
      if (value === '*' || languageTag(value) === languageTag(candidate)) {
        best = quality;
        result = candidate;
      }
    }
  }
  return result;
}

const MAX_ITEMS = 64; // a header with thousands of entries is an attack, not a preference

/**
 * Parses an Accept-style header. `kind` picks the matching rules: `mime` (wildcards `*\/*` and `type/*`, and
 * media-type parameters: `text/html;level=1` is kept as `'text/html; level=1'` and matches only offers with that
 * parameter), `language` (prefix matching), `plain` (charsets, encodings: case-insensitive, `*`). Malformed entries,
 * such as one with `q=.5`, are skipped.
 *
 * @example
 * parseAccept('en-US,en;q=0.8,de;q=0.5', 'language').bestMatch(['de', 'en']); // 'en'
 */
export function parseAccept(header: string | null | undefined, kind: Kind = 'mime'): Accept {
  const items: AcceptItem[] = [];
  if (header) {
    for (const part of header.split(',').slice(0, MAX_ITEMS)) {
      const [rawValue = '', ...params] = part.split(';');
      let value = rawValue.trim();
      if (!value || /\s/.test(value)) continue;
      let quality: number | null = 1;
      for (const param of params) {
        const [key = '', raw = ''] = param.split('=').map((s) => s.trim());
        const name = key.toLowerCase();
        if (name === 'q' || name === 'q*') {
          // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ). Anything else (".5",
          // "2", "foo") makes the entry malformed, and it is skipped, as Werkzeug does: never read as 1. An RFC 8187
          // form (q*=UTF-8''0.5) is decoded first, so '+0.5' or other scripts' digits cannot slip through it.
          const ext = name === 'q*' ? splitExtValue(raw) : null;
          const text = name === 'q' ? raw : ext ? (decodeExtText(ext.text, ext.charset) ?? '') : '';
          quality = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text) ? Number(text) : null;
          break; // what follows q= are accept-extensions, not media-type parameters
        }
        if (kind === 'mime' && key && raw) value += `; ${key.toLowerCase()}=${raw}`; // text/html;level=1 → 'text/html; level=1'
      }
      if (quality !== null) items.push({ value, quality });
    }
  }
  return new Accept(items, kind);
}
