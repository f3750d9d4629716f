/** @module Reading a request body once, within a limit (layer L2): 413 before reading when the declared length is over, and mid-stream otherwise. */
import { getContentLength } from '../gateway/environ.js';
import type { Environ } from '../gateway/types.js';
import { RequestEntityTooLarge } from '../http/errors.js';

/**
 * Reads `tsgi.input` to the end into one buffer, refusing more than `limit` bytes: a declared Content-Length over the
 * limit is refused before a byte is read, a chunked or lying body as soon as it passes the limit.
 *
 * @example
 * const bytes = await readBody(environ, 1024 * 1024); // throws RequestEntityTooLarge past 1 MiB
 */
export async function readBody(environ: Environ, limit: number | null): Promise<Uint8Array> {
  const declared = getContentLength(environ);
  if (limit !== null && declared !== null && declared > limit) {
    throw new RequestEntityTooLarge(`The request body is ${declared} bytes; the limit is ${limit}.`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of environ['tsgi.input']) {
    total += chunk.byteLength;
    if (limit !== null && total > limit) throw new RequestEntityTooLarge(`The request body passed the limit of ${limit} bytes.`);
    chunks.push(chunk);
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
