/** @module Reading a request body once, within a limit (layer L2): 413 before reading when the declared length is over, mid-stream otherwise, and ClientDisconnected when the input breaks off. */
import { getContentLength } from '../gateway/environ.js';
import type { Environ } from '../gateway/types.js';
import { BadRequest, ClientDisconnected, RequestEntityTooLarge } from '../http/errors.js';

/**
 * Reads `tsgi.input` to the end into one buffer, refusing more than `limit` bytes: a declared Content-Length over the
 * limit is refused before a byte is read, a chunked or lying body as soon as it passes the limit (the rest is never
 * read). `setting` is the config key the 413 names. An input that errors ('aborted', ECONNRESET, closed before its
 * end) or ends short of its Content-Length throws {@link ClientDisconnected}, a 400.
 *
 * @example
 * const bytes = await readBody(environ, 1024 * 1024); // throws RequestEntityTooLarge past 1 MiB
 */
export async function readBody(
  environ: Environ,
  limit: number | null,
  setting = 'MAX_CONTENT_LENGTH',
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of readInput(environ, limit, setting)) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The chunks of `tsgi.input` as they arrive, counted against `limit` (the rules of {@link readBody}); the one place a
 * body reader touches the input, so every reader gets the same 413s and the same {@link ClientDisconnected}.
 *
 * @example
 * for await (const chunk of readInput(environ, limits.maxContentLength)) parser.write(chunk);
 */
export async function* readInput(
  environ: Environ,
  limit: number | null,
  setting = 'MAX_CONTENT_LENGTH',
): AsyncGenerator<Uint8Array, void, undefined> {
  const declared = getContentLength(environ);
  if (limit !== null && declared !== null && declared > limit) {
    throw new RequestEntityTooLarge(`The request body is ${declared} bytes; the limit is ${limit} (${setting}).`);
  }
  const iterator = environ['tsgi.input'][Symbol.asyncIterator]();
  let total = 0;
  let done = false;
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      try {
        step = await iterator.next();
      } catch (error) {
        done = true; // an iterator that threw is finished: no return()
        // Node's request stream throws 'aborted' (ECONNRESET) or ERR_STREAM_PREMATURE_CLOSE when the client goes away.
        throw new ClientDisconnected(undefined, { cause: error });
      }
      if (step.done) {
        done = true;
        break;
      }
      total += step.value.byteLength;
      if (limit !== null && total > limit)
        throw new RequestEntityTooLarge(`The request body passed the limit of ${limit} bytes (${setting}).`);
      yield step.value;
    }
  } finally {
    // Stopping early (a limit, or the reader gave up) ends the input as `break` in a for-await would.
    if (!done) {
      try {
        await iterator.return?.();
      } catch {
        // the input failing as it is stopped changes nothing: the read is over either way
      }
    }
  }
  // Werkzeug's LimitedStream rule: a body shorter than its Content-Length means the client went away.
  if (declared !== null && total < declared) {
    throw new ClientDisconnected(`The request body ended after ${total} of its ${declared} bytes.`);
  }
}

/**
 * A decoder for a Content-Type charset (UTF-8 for one TextDecoder does not know); `fatal` throws on bytes it cannot
 * decode instead of writing U+FFFD.
 *
 * @example
 * decoderFor('latin1').decode(bytes);
 */
export function decoderFor(charset: string, fatal = false): { decode(bytes: Uint8Array): string } {
  try {
    return new TextDecoder(charset, { fatal });
  } catch {
    return new TextDecoder('utf-8', { fatal });
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A JSON body parsed, or a 400: bytes that are not text in `charset` (as in Flask, not U+FFFD in the data), JSON
 * that does not parse (the parser's message only when `debug`), and with `prototypeKeys: 'reject'` a `__proto__`,
 * `constructor` or `prototype` key at any depth.
 *
 * @example
 * parseJsonBody(new TextEncoder().encode('{"a": 1}'), 'utf-8', { debug: false, prototypeKeys: 'reject' }); // { a: 1 }
 */
export function parseJsonBody(
  bytes: Uint8Array,
  charset: string,
  options: { debug: boolean; prototypeKeys: 'reject' | 'allow' },
): unknown {
  let text: string;
  try {
    text = decoderFor(charset, true).decode(bytes);
  } catch (error) {
    throw new BadRequest(options.debug ? `Failed to decode JSON object: the body is not valid ${charset}` : undefined, {
      cause: error,
    });
  }
  try {
    return JSON.parse(
      text,
      options.prototypeKeys === 'reject'
        ? (key: string, value: unknown) => {
            if (FORBIDDEN_KEYS.has(key)) throw new BadRequest(`The JSON body has a '${key}' key, which is refused.`);
            return value;
          }
        : undefined,
    );
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest(options.debug ? `Failed to decode JSON object: ${(error as Error).message}` : undefined, {
      cause: error,
    });
  }
}
