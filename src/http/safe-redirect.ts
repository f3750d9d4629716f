/** @module isSafeRedirect: whether a URL from the client may go into a Location header without an open redirect (layer L1). */
import { iriToUri } from './uri.js';

// A base on a reserved TLD (RFC 2606): a target that resolves onto it stays on whatever site serves the page.
const BASE = 'http://flagon.invalid/';
const BASE_ORIGIN = 'http://flagon.invalid';
// A second base, over https: a target that stays on the site resolves onto whichever base it is read against; one
// that names flagon.invalid itself (`//flagon.invalid/`), or a scheme (`http:evil.example` on an https page), does not.
const OTHER_BASE = 'https://other.flagon.invalid/';
const OTHER_ORIGIN = 'https://other.flagon.invalid';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Options of {@link isSafeRedirect}.
 *
 * @example
 * const options: SafeRedirectOptions = { allowedHosts: ['example.com', 'accounts.example.com'] };
 */
export interface SafeRedirectOptions {
  /** Hosts (with the port, when not the default) that absolute http(s) URLs may name. Default: none. */
  allowedHosts?: readonly string[];
}

/**
 * Whether `target` (a `next=` parameter, a form field: any value a client chose) is safe to redirect to: it stays
 * on this site, or names one of `allowedHosts` over http(s). `redirect()` passes `//evil.example` through as
 * Flask's and Werkzeug's do, so check values from the client first. The target is read the way browsers read a
 * Location (the WHATWG URL parser), so `//evil.example`, `/\evil.example`, `\\evil.example`, `/\t/evil.example`
 * and `javascript:` URLs are all refused.
 *
 * @example
 * const next = req.args.get('next');
 * return redirect(next !== undefined && isSafeRedirect(next) ? next : urlFor('index'));
 *
 * isSafeRedirect('/account?tab=2');         // true
 * isSafeRedirect('//evil.example/');         // false
 * isSafeRedirect('https://example.com/', { allowedHosts: ['example.com'] }); // true
 */
export function isSafeRedirect(target: string, options: SafeRedirectOptions = {}): boolean {
  if (LONE_SURROGATE.test(target)) return false; // cannot be sent at all (iriToUri would throw)
  // The value as given and as a Location sends it (iriToUri): both must be safe.
  const sent = iriToUri(target);
  return isSafeTarget(target, options) && (sent === target || isSafeTarget(sent, options));
}

function isSafeTarget(target: string, options: SafeRedirectOptions): boolean {
  let url: URL;
  let other: URL;
  try {
    url = new URL(target, BASE);
    other = new URL(target, OTHER_BASE);
  } catch {
    return false;
  }
  if (url.origin === BASE_ORIGIN) return other.origin === OTHER_ORIGIN; // relative, not naming flagon.invalid
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return options.allowedHosts?.includes(url.host) ?? false;
}
