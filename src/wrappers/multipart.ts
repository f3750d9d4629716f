/** @module multipart/form-data bodies (layer L2): busboy parses (the one file that imports it); Flagon adds limits that answer 413, spooling and cleanup. */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import busboy from 'busboy';
import type { Environ } from '../gateway/types.js';
import { BadRequest, RequestEntityTooLarge } from '../http/errors.js';
import { MultiDict } from '../http/multidict.js';

/**
 * The limits a multipart body is read under; each one answers 413 when passed, never a truncated value.
 *
 * @example
 * const limits: MultipartLimits = { maxContentLength: 10_000_000, maxFormMemorySize: 500_000, maxFormParts: 1000 };
 */
export interface MultipartLimits {
  /** The whole body (MAX_CONTENT_LENGTH). */
  maxContentLength: number | null;
  /** Each non-file field (MAX_FORM_MEMORY_SIZE). */
  maxFormMemorySize: number | null;
  /** Fields plus files (MAX_FORM_PARTS). */
  maxFormParts: number | null;
  /** Each file; none by default. */
  maxFileSize?: number | null;
  /** Files larger than this go to a temp file. Default 500 kB. */
  spoolThreshold?: number;
}

/**
 * An uploaded file, as Werkzeug's FileStorage: small ones in memory, larger ones in a temp file (mode 0600) that is
 * removed when the request ends. `filename` is what the browser sent, reduced to its last path component; never use
 * it as a path (see `secureFilename`).
 *
 * @example
 * const avatar = (await req.files()).get('avatar');
 * if (avatar) await avatar.save(join(uploads, secureFilename(avatar.filename) || 'upload'));
 */
export class FileStorage {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly #bytes: Uint8Array | null;
  readonly #path: string | null;

  constructor(name: string, filename: string, contentType: string, size: number, content: { bytes: Uint8Array } | { path: string }) {
    this.name = name;
    this.filename = filename;
    this.contentType = contentType;
    this.size = size;
    this.#bytes = 'bytes' in content ? content.bytes : null;
    this.#path = 'path' in content ? content.path : null;
  }

  /** Whether the content is in a temp file rather than memory. */
  get spooled(): boolean {
    return this.#path !== null;
  }

  async bytes(): Promise<Uint8Array> {
    return this.#bytes ?? new Uint8Array(await readFile(this.#path!));
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  /** The content as a stream of chunks. */
  stream(): AsyncIterable<Uint8Array> {
    if (this.#bytes !== null) {
      const bytes = this.#bytes;
      return (async function* () { yield bytes; })();
    }
    return createReadStream(this.#path!);
  }

  /** Writes the content to `destination` (a trusted path). */
  async save(destination: string): Promise<void> {
    if (this.#path !== null) await copyFile(this.#path, destination);
    else await writeFile(destination, this.#bytes!);
  }
}

/**
 * What parsing a multipart body gives: fields, files, and the cleanup that removes temp files.
 *
 * @example
 * const { form, files, cleanup } = await parseMultipart(environ, contentType, limits);
 * try { use(form, files); } finally { await cleanup(); }
 */
export interface ParsedMultipart {
  form: MultiDict<string>;
  files: MultiDict<FileStorage>;
  cleanup(): Promise<void>;
}

/** The last component of a path a browser may send as a filename (IE sends `C:\\dir\\file.txt`). */
function basename(filename: string): string {
  const parts = filename.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/** A busboy parser under Flagon's limits; a content type busboy refuses (no boundary) is a 400. */
function createParser(contentType: string, limits: MultipartLimits): busboy.Busboy {
  try {
    return busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      preservePath: true,
      // busboy counts reaching a limit as passing it; Werkzeug accepts a value of exactly the limit, so we do too.
      limits: {
        fieldSize: (limits.maxFormMemorySize ?? Infinity) + 1,
        parts: (limits.maxFormParts ?? Infinity) + 1,
        fileSize: (limits.maxFileSize ?? Infinity) + 1,
      },
    });
  } catch (error) {
    throw new BadRequest(`The multipart body cannot be read: ${(error as Error).message}.`);
  }
}

/**
 * Feeds `tsgi.input` into the parser within MAX_CONTENT_LENGTH, waiting for `drain` when it is full (back-pressure to
 * the socket), until the input ends or `stop()` says a failure already happened; either way it `end()`s the parser.
 */
async function feedParser(environ: Environ, parser: busboy.Busboy, limit: number | null, stop: () => boolean, closed: Promise<void>): Promise<void> {
  let total = 0;
  for await (const chunk of environ['tsgi.input']) {
    total += chunk.byteLength;
    if (limit !== null && total > limit) throw new RequestEntityTooLarge(`The request body passed the limit of ${limit} bytes.`);
    if (stop()) break; // still end() the parser below, so open file streams finish
    if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), closed]);
  }
  parser.end();
}

/**
 * Parses a multipart/form-data body from `tsgi.input` under `limits`. Limits answer 413, a body that is not valid
 * multipart answers 400; in both cases every temp file made so far is removed before the error is thrown.
 *
 * @example
 * const { form, files, cleanup } = await parseMultipart(environ, contentType, limits);
 */
export async function parseMultipart(environ: Environ, contentType: string, limits: MultipartLimits): Promise<ParsedMultipart> {
  const form = new MultiDict<string>();
  const files = new MultiDict<FileStorage>();
  const temps: string[] = [];
  const open = new Set<WriteStream>();
  const cleanup = async (): Promise<void> => {
    for (const stream of open) stream.destroy();
    await Promise.all(temps.splice(0).map((path) => rm(path, { force: true })));
  };
  const parser = createParser(contentType, limits);
  const threshold = limits.spoolThreshold ?? 500_000;
  let failure: Error | null = null;
  const fail = (error: Error): void => {
    failure ??= error;
  };
  const pending: Array<Promise<void>> = [];

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new RequestEntityTooLarge(`The form field '${name}' passed the limit of ${limits.maxFormMemorySize} bytes.`));
    else form.add(name, value);
  });
  parser.on('file', (name, stream, info) => {
    pending.push((async () => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      let spool: WriteStream | null = null;
      let path: string | null = null;
      stream.on('limit', () => fail(new RequestEntityTooLarge(`The file '${name}' passed the limit of ${limits.maxFileSize} bytes.`)));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (spool === null && size > threshold) {
          path = join(tmpdir(), `flagon-upload-${randomBytes(12).toString('hex')}`);
          temps.push(path);
          spool = createWriteStream(path, { mode: 0o600 });
          open.add(spool);
          for (const earlier of chunks.splice(0)) spool.write(earlier);
        }
        if (spool !== null) {
          if (!spool.write(chunk)) await once(spool, 'drain');
        } else {
          chunks.push(chunk);
        }
      }
      if (spool !== null) {
        spool.end();
        await once(spool, 'close');
        open.delete(spool);
      }
      const content = path !== null ? { path } : { bytes: chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks)) };
      files.add(name, new FileStorage(name, basename(info.filename ?? ''), info.mimeType, size, content));
    })().catch((error: Error) => fail(error)));
  });
  parser.on('partsLimit', () => fail(new RequestEntityTooLarge(`The form has more than ${limits.maxFormParts} parts.`)));
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', (error: Error) => reject(new BadRequest(`The multipart body is malformed: ${error.message}.`)));
  });
  finished.catch(() => undefined); // handled below, after the input is read

  try {
    await feedParser(environ, parser, limits.maxContentLength, () => failure !== null, finished);
    if (!failure) await finished;
    await Promise.all(pending);
    if (failure) throw failure;
  } catch (error) {
    parser.destroy();
    await Promise.allSettled(pending);
    await cleanup();
    if (error instanceof BadRequest || error instanceof RequestEntityTooLarge) throw error;
    throw new BadRequest(`The multipart body could not be read: ${(error as Error).message}.`, { cause: error });
  }
  return { form, files, cleanup };
}

/**
 * One part of a streamed multipart body: a field with its value, or a file with a stream of its bytes.
 *
 * @example
 * for await (const part of req.parts()) if (part.kind === 'file') await pipeline(part.stream, createWriteStream(dest));
 */
export type MultipartPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string; contentType: string; stream: AsyncIterable<Uint8Array> };

/**
 * Streams a multipart body part by part, buffering nothing: each file's bytes flow through `part.stream` as they
 * arrive, and reading stops while the consumer does not read (back-pressure down to the socket). A file stream left
 * unread is drained when the next part is asked for. The same limits as {@link parseMultipart} answer 413; a
 * malformed body answers 400.
 *
 * @example
 * for await (const part of streamMultipart(environ, contentType, limits)) console.log(part.kind, part.name);
 */
export async function* streamMultipart(environ: Environ, contentType: string, limits: MultipartLimits): AsyncGenerator<MultipartPart> {
  const parser = createParser(contentType, limits);
  const queue: MultipartPart[] = [];
  let failure: Error | null = null;
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  const fail = (error: Error): void => {
    failure ??= error;
    notify();
  };
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new RequestEntityTooLarge(`The form field '${name}' passed the limit of ${limits.maxFormMemorySize} bytes.`));
    else queue.push({ kind: 'field', name, value });
    notify();
  });
  parser.on('file', (name, stream, info) => {
    stream.on('limit', () => fail(new RequestEntityTooLarge(`The file '${name}' passed the limit of ${limits.maxFileSize} bytes.`)));
    queue.push({ kind: 'file', name, filename: basename(info.filename ?? ''), contentType: info.mimeType, stream });
    notify();
  });
  parser.on('partsLimit', () => fail(new RequestEntityTooLarge(`The form has more than ${limits.maxFormParts} parts.`)));
  parser.on('error', (error: Error) => fail(new BadRequest(`The multipart body is malformed: ${error.message}.`)));
  parser.on('close', () => {
    closed = true;
    notify();
  });
  const ended = new Promise<void>((resolve) => parser.on('close', resolve));

  // Feed the parser while the consumer reads parts; write() returning false pauses the socket reads.
  const feeding = (async () => {
    try {
      await feedParser(environ, parser, limits.maxContentLength, () => failure !== null, ended);
    } catch (error) {
      fail(error instanceof BadRequest || error instanceof RequestEntityTooLarge ? error : new BadRequest(`The multipart body could not be read: ${(error as Error).message}.`));
    }
  })();

  try {
    for (;;) {
      if (failure) throw failure;
      const part = queue.shift();
      if (part) {
        yield part;
        if (part.kind === 'file') (part.stream as NodeJS.ReadableStream).resume(); // drain what the consumer left
        continue;
      }
      if (closed) break;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
    await feeding;
    if (failure) throw failure;
  } finally {
    if (!closed) parser.destroy();
  }
}
