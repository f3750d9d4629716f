/** @module runApp(): call a TSGI app in process and collect its response, as a server would send it (layer L4). */
import { describeChunk, isBodyChunk, parseStatusCode, toBytes } from '../gateway/response.js';
import type { Body, BodyChunk, Environ, GatewayApp, HeaderList, StartResponse } from '../gateway/types.js';

/**
 * A response collected by {@link runApp}.
 *
 * @example
 * const response: AppResponse = await runApp(app, createEnviron('/'));
 * if (response.statusCode === 302) console.log(response.header('Location'));
 */
export interface AppResponse {
  /** The status line, e.g. `'200 OK'`. */
  status: string;
  statusCode: number;
  headers: HeaderList;
  /** The body bytes (string chunks encoded as UTF-8); empty for HEAD, 1xx, 204 and 304, as a server would send them. */
  body: Uint8Array;
  /** The body decoded as UTF-8. */
  text: string;
  /** The first value of a header, case-insensitive, or `null`. */
  header(name: string): string | null;
}

const decoder = new TextDecoder();

/**
 * Calls a TSGI app with an environ and collects status, headers and body, following the server duties of
 * docs/gateway.md §6: `close()` is always called, `excInfo` is honoured, a body without `startResponse` is an error.
 * Chunks may be bytes or strings (TSGI 1.1); strings are encoded as UTF-8, as a server sends them.
 * Errors from the app propagate to the caller (no 500 page), so a test sees what went wrong.
 *
 * @example
 * const response = await runApp(app, createEnviron('/hello?name=Ada'));
 * response.statusCode; // 200
 * response.text;       // 'Hello, Ada!'
 */
export async function runApp(app: GatewayApp, environ: Environ): Promise<AppResponse> {
  const chunks: Uint8Array[] = [];
  let status: string | undefined;
  let headers: HeaderList = [];
  const sent = (): boolean => chunks.some((chunk) => chunk.byteLength > 0);
  const write = (chunk: BodyChunk): void => {
    if (status === undefined) throw new Error('write() was called before startResponse() (docs/gateway.md §4.4)');
    if (!isBodyChunk(chunk))
      throw new TypeError(`write() takes a string or a Uint8Array, got ${describeChunk(chunk)} (docs/gateway.md §4.4)`);
    chunks.push(toBytes(chunk));
  };
  const startResponse: StartResponse = (newStatus, newHeaders, excInfo?) => {
    if (excInfo !== undefined) {
      if (sent()) throw excInfo;
    } else if (status !== undefined) {
      throw new Error('startResponse() was called twice without excInfo (docs/gateway.md §4.3)');
    }
    status = newStatus;
    headers = newHeaders;
    return write;
  };

  const body: Body = await app(environ, startResponse);
  if (typeof body !== 'object' || body === null) {
    throw new TypeError(
      `the application returned ${body === null ? 'null' : typeof body}, not an iterable of chunks (docs/gateway.md §5.1)`,
    );
  }
  try {
    if (Symbol.asyncIterator in body) {
      for await (const chunk of body as AsyncIterable<unknown>) collect(chunks, chunk);
    } else {
      for (const chunk of body as Iterable<unknown>) collect(chunks, chunk);
    }
  } finally {
    await body.close?.();
  }
  if (status === undefined)
    throw new Error('the application returned without calling startResponse() (docs/gateway.md §5.2)');
  const statusCode = parseStatusCode(status);
  const bodyless = environ.REQUEST_METHOD === 'HEAD' || statusCode < 200 || statusCode === 204 || statusCode === 304;
  const bytes = bodyless ? new Uint8Array(0) : concat(chunks);
  const finalHeaders = headers;
  return {
    status,
    statusCode,
    headers: finalHeaders,
    body: bytes,
    text: decoder.decode(bytes),
    header(name: string) {
      const lower = name.toLowerCase();
      return finalHeaders.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
    },
  };
}

function collect(chunks: Uint8Array[], chunk: unknown): void {
  if (!isBodyChunk(chunk))
    throw new TypeError(
      `the body yielded ${describeChunk(chunk)}; chunks are strings or Uint8Array (docs/gateway.md §5.1)`,
    );
  chunks.push(toBytes(chunk));
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
