/** @module Hosts as routing sees them (layer L1): default ports, the subdomain under a server name, IDNA in URLs. */
import { domainToASCII } from 'node:url';

const DEFAULT_PORTS = { http: ':80', https: ':443' } as const;
const ASCII = /^[\x20-\x7e]*$/;
const PORT = /:\d*$/;

/**
 * A host as routing compares it: lower case, IDNA for a Unicode name, and without the scheme's default port
 * (`example.com:80` is `example.com` over http), as Werkzeug's `get_host` and `bind_to_environ` do.
 *
 * @example
 * normalizeHost('Example.COM:443', 'https'); // 'example.com'
 */
export function normalizeHost(host: string, scheme: 'http' | 'https' = 'http'): string {
  let normal = asciiHost(host.toLowerCase());
  const port = DEFAULT_PORTS[scheme] ?? '';
  if (port && normal.endsWith(port)) normal = normal.slice(0, -port.length);
  return normal;
}

/**
 * The subdomain of `host` under `serverName`, as Werkzeug's `bind_to_environ` finds it: the labels before the server
 * name's, compared with the port (`api.example.com:5000` under `example.com:5000` is `api`). A server name without a
 * port takes the host on any port (Flagon's leniency: `SERVER_NAME = 'example.com'` works on a development port too).
 * `null` when the host is neither the server name nor under it (Werkzeug's `'<invalid>'`, which no rule matches).
 *
 * @example
 * subdomainOf('a.b.example.com', 'example.com');     // 'a.b'
 * subdomainOf('api.example.com:5000', 'example.com'); // 'api'
 * subdomainOf('127.0.0.1', 'example.com');           // null
 */
export function subdomainOf(host: string, serverName: string, scheme: 'http' | 'https' = 'http'): string | null {
  const realName = normalizeHost(serverName, scheme);
  let currentName = normalizeHost(host, scheme);
  if (!PORT.test(realName)) currentName = currentName.replace(PORT, '');
  const current = currentName.split('.');
  const real = realName.split('.');
  const offset = current.length - real.length;
  if (offset < 0) return null;
  for (let i = 0; i < real.length; i++) if (current[offset + i] !== real[i]) return null;
  return current.slice(0, offset).filter(Boolean).join('.');
}

/**
 * A host fit for a URL and a Location header: a Unicode name in its IDNA form (`☃.example.com` is
 * `xn--n3h.example.com`, RFC 5891), the port kept. A host that is not a valid name is returned as it came.
 *
 * @example
 * asciiHost('☃.example.com:8080'); // 'xn--n3h.example.com:8080'
 */
export function asciiHost(host: string): string {
  if (ASCII.test(host)) return host;
  const match = /^(.*?)(:\d*)?$/s.exec(host)!;
  const ascii = domainToASCII(match[1]!);
  return ascii === '' ? host : `${ascii}${match[2] ?? ''}`;
}

/**
 * The text of a host pattern with each Unicode label in its IDNA form, the rest as written: `.bücher.example` is
 * `.xn--bcher-kva.example`, so a pattern meets the host as {@link normalizeHost} gives it.
 *
 * @example
 * asciiLabels('.bücher.example'); // '.xn--bcher-kva.example'
 */
export function asciiLabels(text: string): string {
  if (ASCII.test(text)) return text;
  return text
    .split('.')
    .map((label) => (ASCII.test(label) ? label : domainToASCII(label) || label))
    .join('.');
}
