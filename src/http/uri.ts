/** @module IRIs as URIs (layer L1): what a Location header may carry, as Werkzeug's `iri_to_uri` makes it. */
import { domainToASCII } from 'node:url';

// Characters a URI cannot carry as they are (RFC 3986 §2): controls, space, non-ASCII, and the delimiters it never
// allows. A backslash is among them: browsers read `/\evil.example` as `//evil.example`, another site.
const UNSAFE = /[^\x21-\x7e]|["<>\\^`{|}]/u;
const UNSAFE_ALL = /[^\x21-\x7e]|["<>\\^`{|}]/gu;
// Outside the authority, brackets are not allowed either (they delimit an IPv6 host only).
const UNSAFE_AFTER_HOST = /[^\x21-\x7e]|["<>\\^`{|}[\]]/gu;
// `scheme://authority` or `//authority`, the authority up to the path, query or fragment.
const AUTHORITY = /^((?:[A-Za-z][A-Za-z0-9+.-]*:)?\/\/)([^/?#\\]*)/;

const quote = (char: string): string => encodeURIComponent(char);

/**
 * An IRI (a URL with spaces, non-ASCII or backslashes in it) as a URI that can go in a header: the host in its ASCII
 * (punycode) form, everything else a URI may not hold percent-encoded as UTF-8, `%` left as it is. Werkzeug's
 * `iri_to_uri`; Flagon applies it to `Location` and `Content-Location` when they are set, as Werkzeug does when it
 * sends them.
 *
 * @example
 * iriToUri('http://☃.net/ü?q=a b'); // 'http://xn--n3h.net/%C3%BC?q=a%20b'
 * iriToUri('/\\evil.example'); // '/%5Cevil.example'
 */
export function iriToUri(iri: string): string {
  if (!UNSAFE.test(iri) && !iri.includes('[')) return iri;
  const match = AUTHORITY.exec(iri);
  if (match === null) return iri.replace(UNSAFE_AFTER_HOST, quote);
  const [whole, start, authority] = match as unknown as [string, string, string];
  const at = authority.lastIndexOf('@');
  const userinfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const port = /:\d*$/.exec(hostPort)?.[0] ?? '';
  const host = hostPort.slice(0, hostPort.length - port.length);
  // An IPv6 literal keeps its brackets; a name gets its ASCII form (a name that has none is quoted as it is).
  const asciiHost = host.startsWith('[') || !UNSAFE.test(host) ? host : domainToASCII(host) || host;
  return (
    start +
    userinfo.replace(UNSAFE_ALL, quote) +
    asciiHost.replace(UNSAFE_ALL, quote) +
    port +
    iri.slice(whole.length).replace(UNSAFE_AFTER_HOST, quote)
  );
}
