/** @module IRIs as URIs (layer L1): what a Location header may carry, as Werkzeug's `iri_to_uri` makes it. */
import { domainToASCII } from 'node:url';

// Characters a URI cannot carry as they are (RFC 3986 §2): controls, space, non-ASCII, and the delimiters it never
// allows. A backslash is among them: browsers read `/\evil.example` as `//evil.example`, another site.
const UNSAFE = /[^\x21-\x7e]|["<>\\^`{|}]/u;
const UNSAFE_ALL = /[^\x21-\x7e]|["<>\\^`{|}]/gu;
// Outside the authority, brackets are not allowed either (they delimit an IPv6 host only).
const UNSAFE_AFTER_HOST = /[^\x21-\x7e]|["<>\\^`{|}[\]]/gu;
// The scheme (if any) and the run of slashes after it, which browsers read with backslashes as slashes.
const PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*:)?([/\\]*)/;
// WHATWG's special schemes: for them a backslash is a slash, and an authority follows the scheme however many
// slashes come between.
const SPECIAL = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

const quote = (char: string): string => encodeURIComponent(char);

/**
 * An IRI (a URL with spaces, non-ASCII or backslashes in it) as a URI that can go in a header: the host in its ASCII
 * (punycode) form, everything else a URI may not hold percent-encoded as UTF-8, `%` left as it is. Werkzeug's
 * `iri_to_uri`; Flagon applies it to `Location` and `Content-Location` when they are set, as Werkzeug does when it
 * sends them. It never changes the host a browser reads: a backslash that ends a host, or stands among the slashes
 * after `http:`, is written as the slash browsers take it for (`//a.example\@b.example` stays on a.example), and the
 * backslashes of a value without a scheme are encoded before any host is read (`/\evil.example` is a path here).
 *
 * @example
 * iriToUri('http://☃.net/ü?q=a b'); // 'http://xn--n3h.net/%C3%BC?q=a%20b'
 * iriToUri('/\\evil.example'); // '/%5Cevil.example'
 */
export function iriToUri(iri: string): string {
  if (!UNSAFE.test(iri) && !iri.includes('[')) return iri;
  const [prefix, scheme = '', slashes = ''] = PREFIX.exec(iri) as unknown as [string, string?, string?];
  const special = SPECIAL.has(scheme.toLowerCase());
  // Without a scheme, encoded (Werkzeug's reading: /\x is a path); after http:, slashes (the browser's reading).
  const run = special ? slashes.replaceAll('\\', '/') : slashes.replaceAll('\\', '%5C');
  const rest = iri.slice(prefix.length);
  if (!special && !run.startsWith('//')) return scheme + run + rest.replace(UNSAFE_AFTER_HOST, quote);
  // A backslash ends a host only where browsers read it as a slash: in the special schemes (and a scheme-less value).
  const end = rest.search(special || scheme === '' ? /[/\\?#]/ : /[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  // A backslash that ends the host is the slash the browser reads there: encoded, it would join the host's text.
  const after = end >= 0 && rest[end] === '\\' ? `/${rest.slice(end + 1)}` : end < 0 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  const userinfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const port = /:\d*$/.exec(hostPort)?.[0] ?? '';
  const host = hostPort.slice(0, hostPort.length - port.length);
  // An IPv6 literal keeps its brackets; a name gets its ASCII form (a name that has none is quoted as it is).
  const named = special || scheme === '';
  const asciiHost = host.startsWith('[') || !UNSAFE.test(host) || !named ? host : domainToASCII(host) || host;
  return (
    scheme +
    run +
    userinfo.replace(UNSAFE_ALL, quote) +
    asciiHost.replace(UNSAFE_ALL, quote) +
    port +
    after.replace(UNSAFE_AFTER_HOST, quote)
  );
}
