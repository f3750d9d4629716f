/**
 * The smallest useful TSGI app: it reads `?name=` from the query string and greets that name, HTML-escaped.
 * No framework: just the environ in, startResponse and a list of byte chunks out (docs/gateway.md §0).
 */
import type { GatewayApp } from 'flagon/gateway';

const encoder = new TextEncoder();

/** Escapes the five characters that let text break out of HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export const hello: GatewayApp = (environ, startResponse) => {
  const name = new URLSearchParams(environ.QUERY_STRING).get('name') || 'World';
  const page = `<!doctype html>\n<title>Hello</title>\n<h1>Hello, ${escapeHtml(name)}!</h1>\n`;
  startResponse('200 OK', [['Content-Type', 'text/html; charset=utf-8']]);
  return [encoder.encode(page)]; // bytes (a string would do too, as UTF-8): one chunk, so the server sends Content-Length
};
