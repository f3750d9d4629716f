/** @module Entity tags (layer L1): generate, quote, unquote and parse ETag lists, with strong and weak comparison (RFC 9110 §8.8.3). */
import { createHash } from 'node:crypto';

/**
 * A strong ETag value for some bytes: the SHA-1 of the content in hex, as Werkzeug's `generate_etag`.
 *
 * @example
 * generateEtag('hello'); // 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'
 */
export function generateEtag(data: Uint8Array | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/**
 * Quotes an entity tag for a header: `"tag"` or `W/"tag"`.
 *
 * @example
 * quoteEtag('abc', true); // 'W/"abc"'
 */
export function quoteEtag(tag: string, weak = false): string {
  if (tag.includes('"')) throw new TypeError(`an entity tag cannot contain '"': ${JSON.stringify(tag)}`);
  return weak ? `W/"${tag}"` : `"${tag}"`;
}

/**
 * Splits a quoted entity tag into its value and weakness; an unquoted value is taken as it is.
 *
 * @example
 * unquoteEtag('W/"abc"'); // { tag: 'abc', weak: true }
 */
export function unquoteEtag(value: string): { tag: string; weak: boolean } {
  let text = value.trim();
  let weak = false;
  if (text.startsWith('W/')) {
    weak = true;
    text = text.slice(2);
  }
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  return { tag: text, weak };
}

/**
 * A parsed If-Match / If-None-Match list: strong and weak tags, or `*`.
 *
 * @example
 * const tags = parseEtags('"a", W/"b"');
 * tags.contains('a');     // true  (strong comparison)
 * tags.containsWeak('b'); // true  (weak comparison)
 */
export class ETags {
  readonly strong: ReadonlySet<string>;
  readonly weak: ReadonlySet<string>;
  readonly star: boolean;

  constructor(strong: Iterable<string> = [], weak: Iterable<string> = [], star = false) {
    this.strong = new Set(strong);
    this.weak = new Set(weak);
    this.star = star;
  }

  /** Strong comparison: only strong tags match (RFC 9110 §8.8.3.2). */
  contains(tag: string): boolean {
    return this.star || this.strong.has(tag);
  }

  /** Weak comparison: weak and strong tags match. */
  containsWeak(tag: string): boolean {
    return this.star || this.strong.has(tag) || this.weak.has(tag);
  }

  /** Whether a header value (`"a"` or `W/"a"`) matches, by its own strength. */
  containsRaw(value: string): boolean {
    const { tag, weak } = unquoteEtag(value);
    return weak ? this.containsWeak(tag) : this.contains(tag);
  }

  get isEmpty(): boolean {
    return !this.star && this.strong.size === 0 && this.weak.size === 0;
  }
}

/**
 * Parses an ETag list header (`"a", W/"b"` or `*`).
 *
 * @example
 * parseEtags('*').star; // true
 */
export function parseEtags(header: string | null | undefined): ETags {
  if (!header) return new ETags();
  if (header.trim() === '*') return new ETags([], [], true);
  const strong: string[] = [];
  const weak: string[] = [];
  // Werkzeug's reading: an unquoted tag (`a, "b"`) and a lower-case `w/` are accepted; clients that send them mean them.
  for (const match of header.matchAll(/\s*([Ww]\/)?(?:"([^"]*)"|([^,\s"]+))\s*(?:,|$)/g)) {
    const tag = match[2] ?? match[3];
    if (tag !== undefined) (match[1] ? weak : strong).push(tag);
  }
  return new ETags(strong, weak);
}
