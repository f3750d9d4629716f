/** @module The request inspector's link (layer L4): a small link to the current request's page, put into an HTML response before `</body>`, Content-Length adjusted. */
import type { BodyChunk, HeaderList } from '../gateway/types.js';
import { escapeHtml } from '../http/html.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Whether the inspector may put its link into a response with these headers: an HTML page in UTF-8 (or no charset),
 * not compressed, with a body (not a HEAD, 204 or 304).
 *
 * @example
 * acceptsLink('200 OK', [['Content-Type', 'text/html; charset=utf-8']], 'GET'); // true
 */
export function acceptsLink(status: string, headers: HeaderList, method: string): boolean {
  if (method === 'HEAD' || status.startsWith('204') || status.startsWith('304')) return false;
  let html = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-encoding' && value.toLowerCase() !== 'identity') return false;
    if (lower === 'content-type') {
      const type = value.toLowerCase();
      const charset = /;\s*charset="?([^";\s]+)/.exec(type)?.[1];
      html = type.split(';')[0]!.trim() === 'text/html' && (charset === undefined || charset === 'utf-8');
    }
  }
  return html;
}

/**
 * The link's HTML: fixed in the page's corner, styled inline (an app whose CSP forbids inline styles shows it
 * unstyled, at the page's end).
 *
 * @example
 * linkHtml('/__flagon__/', 7); // '<a id="flagon-inspector-link" href="/__flagon__/7" …>'
 */
export function linkHtml(base: string, id: number): string {
  const href = escapeHtml(`${base}${id}`);
  return (
    `<a id="flagon-inspector-link" href="${href}" title="Open this request in the Flagon request inspector" ` +
    'style="position:fixed;right:10px;bottom:10px;z-index:2147483647;font:12px/1.4 system-ui,sans-serif;' +
    'background:#1d3557;color:#fff;padding:4px 9px;border-radius:4px;text-decoration:none;opacity:.85">' +
    `Flagon inspector: request ${id}</a>`
  );
}

/**
 * The body with `html` put before its last `</body>`, as one chunk of bytes; `null` when it has no `</body>` (a
 * fragment, or not really a page: left alone).
 *
 * @example
 * decode(withLink(['<body>hi</body>'], '<a>x</a>')!); // '<body>hi<a>x</a></body>'
 */
export function withLink(chunks: Iterable<BodyChunk>, html: string): Uint8Array | null {
  let text = '';
  for (const chunk of chunks) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  const at = text.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? null : encoder.encode(text.slice(0, at) + html + text.slice(at));
}

/**
 * Headers with Content-Length set to `length` when they had one (a page without it is sent chunked anyway).
 *
 * @example
 * withLength([['Content-Length', '10']], 42); // [['Content-Length', '42']]
 */
export function withLength(headers: HeaderList, length: number): HeaderList {
  return headers.map(([name, value]) =>
    name.toLowerCase() === 'content-length' ? [name, String(length)] : [name, value],
  );
}
