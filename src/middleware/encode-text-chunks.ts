/** @module encodeTextChunks (layer L2): runs a TSGI 1.1 app, whose body chunks may be strings, on a server that speaks only TSGI 1.0 (bytes). */
import { TSGI_VERSION } from '../gateway/environ.js';
import { isPromiseLike, toBytes } from '../gateway/response.js';
import type { Body, BodyChunk, GatewayApp, StartResponse } from '../gateway/types.js';

function* encodeSync(chunks: Iterable<BodyChunk>): Generator<Uint8Array> {
  // Leaving the loop early (the server calls return()) calls the inner iterator's return(): finally blocks still run.
  for (const chunk of chunks) yield toBytes(chunk);
}

async function* encodeAsync(chunks: AsyncIterable<BodyChunk>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield toBytes(chunk);
}

/** The body with every string chunk encoded as UTF-8; the original's `close()` is called through the new body's. */
function encodeBody(body: Body): Body {
  if (Array.isArray(body)) {
    const chunks = body as BodyChunk[];
    if (!chunks.some((chunk) => typeof chunk === 'string')) return body; // bytes already: nothing to do, nothing made
    const encoded = chunks.map(toBytes);
    const { close } = body as { close?: () => void | Promise<void> };
    return typeof close === 'function' ? Object.assign(encoded, { close: () => close.call(body) }) : encoded;
  }
  if (typeof body !== 'object' || body === null) return body; // not a body at all: the server reports it (§5.1)
  const close = (): void | Promise<void> => body.close?.();
  if (Symbol.asyncIterator in body) return Object.assign(encodeAsync(body as AsyncIterable<BodyChunk>), { close });
  if (Symbol.iterator in body) return Object.assign(encodeSync(body as Iterable<BodyChunk>), { close });
  return body;
}

/**
 * Lets a TSGI 1.1 application run on a server that speaks only TSGI 1.0: every string chunk of the body, and every
 * string passed to `write()`, reaches the server as its UTF-8 bytes (docs/gateway.md, "Changes in 1.1"). To the
 * application it is a 1.1 server: it sets `tsgi.version` to `[1, 1]`. A list body of bytes only is passed through
 * untouched; a streamed body keeps its kind (sync or async), its laziness and its `close()`, which is called exactly
 * once through the new body's. Flagon's own servers speak 1.1 and need none of this: use it only in front of a
 * server whose environ says `tsgi.version` `[1, 0]`.
 *
 * @example
 * import { encodeTextChunks } from 'flagon/middleware';
 * const hello: GatewayApp = (environ, startResponse) => {
 *   startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
 *   return ['Hello, ', 'World!']; // strings: TSGI 1.1
 * };
 * legacyServer.run(encodeTextChunks(hello)); // the 1.0 server gets [Uint8Array, Uint8Array]
 */
export function encodeTextChunks(app: GatewayApp): GatewayApp {
  if (typeof app !== 'function') {
    throw new TypeError('encodeTextChunks(app): app is not a TSGI app; pass one, e.g. app.gatewayApp for a Flagon App');
  }
  return function textChunksEncoded(environ, startResponse) {
    environ['tsgi.version'] = TSGI_VERSION; // to the app below, this middleware is the (1.1) server
    const start: StartResponse = (status, headers, excInfo) => {
      const write = startResponse(status, headers, excInfo);
      return (chunk) => write(toBytes(chunk));
    };
    const result = app(environ, start);
    return isPromiseLike(result) ? Promise.resolve(result).then(encodeBody) : encodeBody(result);
  };
}
