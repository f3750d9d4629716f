/** @module multipart/form-data bodies (layer L2): busboy parses (the one file that imports it); Flagon adds limits that answer 413, spooling to temp files, and their cleanup on every path. */
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Environ } from '../gateway/types.js';
import { BadRequest, HTTPError, InsufficientStorage, RequestEntityTooLarge } from '../http/errors.js';
import { MultiDict } from '../http/multidict.js';
import { readInput } from './body.js';

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
  /** Where temp files go. Default: `os.tmpdir()` when the file is spooled (TMPDIR). */
  tempDir?: string;
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

  constructor(
    name: string,
    filename: string,
    contentType: string,
    size: number,
    content: { bytes: Uint8Array } | { path: string },
  ) {
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
      return (async function* () {
        yield bytes;
      })();
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

/** Temp files not yet removed; what a request could not remove (the process ends first) goes at process exit. */
const liveTemps = new Set<string>();
let exitHookInstalled = false;

function registerTemp(path: string): void {
  liveTemps.add(path);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' also runs after an uncaught exception; a SIGKILL or an unhandled signal leaves nothing to run.
  process.on('exit', function removeUploadTemps() {
    for (const temp of liveTemps) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // exiting: nothing left to report to
      }
    }
    liveTemps.clear();
  });
}

/**
 * One upload's temp file. Every stream error is caught here (a write stream without an 'error' listener takes the
 * process down) and comes back from the next `write()` or `finish()` as a 507, with the reason in `tsgi.errors`.
 */
class Spool {
  readonly path: string;
  readonly #stream: WriteStream;
  readonly #closed: Promise<void>;
  readonly #environ: Environ;
  readonly #field: string;
  #error: HTTPError | null = null;
  #discarded = false;

  constructor(dir: string, environ: Environ, field: string) {
    this.path = join(dir, `flagon-upload-${randomBytes(12).toString('hex')}`);
    this.#environ = environ;
    this.#field = field;
    registerTemp(this.path);
    this.#stream = createWriteStream(this.path, { mode: 0o600, flags: 'wx' });
    this.#stream.on('error', (error) => this.#fail(error));
    this.#closed = new Promise((resolve) => this.#stream.once('close', resolve));
  }

  #fail(error: Error): void {
    // A write still in flight when discard() destroys the stream fails with ERR_STREAM_DESTROYED: expected, not news.
    if (this.#error || this.#discarded) return;
    this.#error = new InsufficientStorage(`The file '${this.#field}' could not be stored.`, { cause: error });
    try {
      this.#environ['tsgi.errors'].write(
        `[flagon] cannot write the upload temp file ${this.path}: ${error.message}; answering 507 (set TMPDIR to a writable directory with free space)\n`,
      );
    } catch {
      // a broken error stream must not hide the 507
    }
  }

  /** Writes a chunk, waiting for `drain` when the stream is full (back-pressure from the disk to the socket). */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    if (!this.#stream.write(chunk)) {
      // an error destroys the stream, so 'close' ends the wait when 'drain' never comes
      await Promise.race([once(this.#stream, 'drain').catch(() => undefined), this.#closed]);
    }
    if (this.#error) throw this.#error;
  }

  /** Flushes and closes the file. */
  async finish(): Promise<void> {
    if (this.#error) throw this.#error;
    this.#stream.end();
    await this.#closed;
    if (this.#error) throw this.#error;
  }

  /** Stops writing and removes the file; after the stream has closed, so a pending open cannot recreate it. */
  async discard(): Promise<void> {
    this.#discarded = true;
    this.#stream.destroy();
    await this.#closed;
    try {
      await rm(this.path, { force: true });
      liveTemps.delete(this.path);
    } catch {
      // kept in liveTemps: the exit hook tries again
    }
  }
}

/** Reads one file part into memory, or past `threshold` into a temp file from `openSpool`. */
async function receiveFile(
  stream: Readable,
  threshold: number,
  openSpool: () => Spool,
): Promise<{ size: number; content: { bytes: Uint8Array } | { path: string } }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let spool: Spool | null = null;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (spool === null && size > threshold) {
      spool = openSpool();
      for (const earlier of chunks.splice(0)) await spool.write(earlier);
    }
    if (spool !== null) await spool.write(chunk);
    else chunks.push(chunk);
  }
  if (spool !== null) {
    await spool.finish();
    return { size, content: { path: spool.path } };
  }
  return { size, content: { bytes: chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks)) } };
}

/** An HTTPError as it is; anything else from reading a multipart body is a 400. */
function asHTTPError(error: unknown): HTTPError {
  if (error instanceof HTTPError) return error;
  return new BadRequest(`The multipart body could not be read: ${(error as Error).message}.`, { cause: error });
}

/**
 * Feeds `tsgi.input` into the parser within MAX_CONTENT_LENGTH, waiting for `drain` when it is full (back-pressure to
 * the socket), until the input ends (then it `end()`s the parser) or `stop()` says a failure already happened or the
 * parser is done. `stopped` settles when that happens, so a wait for `drain` that would never come ends too.
 */
async function feedParser(
  environ: Environ,
  parser: busboy.Busboy,
  limit: number | null,
  stop: () => boolean,
  stopped: Promise<void>,
): Promise<void> {
  for await (const chunk of readInput(environ, limit)) {
    if (stop()) return;
    if (!parser.write(chunk)) await Promise.race([once(parser, 'drain').catch(() => undefined), stopped]);
  }
  if (!stop()) parser.end();
}

/**
 * Parses a multipart/form-data body from `tsgi.input` under `limits`. Limits answer 413, a body that is not valid
 * multipart 400, a client that goes away `ClientDisconnected` (400), a temp file that cannot be written 507; in
 * every case each temp file made so far is removed before the error is thrown. Temp files of a parse that succeeded
 * go with `cleanup()`, or at process exit if nothing called it.
 *
 * @example
 * const { form, files, cleanup } = await parseMultipart(environ, contentType, limits);
 */
export async function parseMultipart(
  environ: Environ,
  contentType: string,
  limits: MultipartLimits,
): Promise<ParsedMultipart> {
  const form = new MultiDict<string>();
  const files = new MultiDict<FileStorage>();
  const spools = new Set<Spool>();
  const cleanup = async (): Promise<void> => {
    const all = [...spools];
    spools.clear();
    await Promise.all(all.map((spool) => spool.discard()));
  };
  const parser = createParser(contentType, limits);
  const threshold = limits.spoolThreshold ?? 500_000;
  let failure: Error | null = null;
  let signalFailure!: () => void;
  const failed = new Promise<void>((resolve) => {
    signalFailure = resolve;
  });
  const fail = (error: Error): void => {
    failure ??= error;
    signalFailure();
  };
  let parserClosed = false;
  const pending: Array<Promise<void>> = [];

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated)
      fail(
        new RequestEntityTooLarge(
          `The form field '${name}' passed the limit of ${limits.maxFormMemorySize} bytes (MAX_FORM_MEMORY_SIZE).`,
        ),
      );
    else form.add(name, value);
  });
  parser.on('file', (name, stream, info) => {
    stream.on('error', () => undefined); // receiveFile sees the error; this keeps a stream torn down after it from crashing
    stream.on('limit', () =>
      fail(new RequestEntityTooLarge(`The file '${name}' passed the limit of ${limits.maxFileSize} bytes.`)),
    );
    const openSpool = (): Spool => {
      const spool = new Spool(limits.tempDir ?? tmpdir(), environ, name);
      spools.add(spool);
      return spool;
    };
    pending.push(
      receiveFile(stream, threshold, openSpool).then(
        ({ size, content }) => {
          files.add(name, new FileStorage(name, basename(info.filename ?? ''), info.mimeType, size, content));
        },
        (error: Error) => fail(error),
      ),
    );
  });
  parser.on('partsLimit', () =>
    fail(new RequestEntityTooLarge(`The form has more than ${limits.maxFormParts} parts (MAX_FORM_PARTS).`)),
  );
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('close', () => {
      parserClosed = true;
      resolve();
    });
    parser.on('error', (error: Error) => reject(new BadRequest(`The multipart body is malformed: ${error.message}.`)));
  });
  finished.catch(() => undefined); // handled below, after the input is read
  const stopped = Promise.race([finished.catch(() => undefined), failed]);

  try {
    await feedParser(environ, parser, limits.maxContentLength, () => failure !== null || parserClosed, stopped);
    await Promise.race([finished, failed]);
    // A file whose temp file fails stops reading its stream, so busboy may never finish: a failure ends the wait.
    await Promise.race([Promise.all(pending), failed]);
    if (failure) throw failure;
  } catch (error) {
    const reason = failure ?? error; // the first failure, not what tearing the parser down causes
    parser.destroy(); // ends the file stream being read, so every pending file settles
    await Promise.allSettled(pending);
    await cleanup();
    throw asHTTPError(reason);
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
export async function* streamMultipart(
  environ: Environ,
  contentType: string,
  limits: MultipartLimits,
): AsyncGenerator<MultipartPart> {
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
    if (failure) return;
    failure = error;
    notify();
    // A consumer reading a part's stream is not waiting on this generator: ending the parser with the failure ends
    // that stream with it. Not from inside busboy's own event (it goes on using its state), hence the microtask.
    queueMicrotask(() => parser.destroy(error));
  };
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated)
      fail(
        new RequestEntityTooLarge(
          `The form field '${name}' passed the limit of ${limits.maxFormMemorySize} bytes (MAX_FORM_MEMORY_SIZE).`,
        ),
      );
    else queue.push({ kind: 'field', name, value });
    notify();
  });
  parser.on('file', (name, stream, info) => {
    stream.on('error', () => undefined); // a part left unread when the parser is torn down must not crash the process
    stream.on('limit', () =>
      fail(new RequestEntityTooLarge(`The file '${name}' passed the limit of ${limits.maxFileSize} bytes.`)),
    );
    queue.push({ kind: 'file', name, filename: basename(info.filename ?? ''), contentType: info.mimeType, stream });
    notify();
  });
  parser.on('partsLimit', () =>
    fail(new RequestEntityTooLarge(`The form has more than ${limits.maxFormParts} parts (MAX_FORM_PARTS).`)),
  );
  parser.on('error', (error: Error) => fail(new BadRequest(`The multipart body is malformed: ${error.message}.`)));
  parser.on('close', () => {
    closed = true;
    notify();
  });
  const ended = new Promise<void>((resolve) => parser.on('close', resolve));

  // Feed the parser while the consumer reads parts; write() returning false pauses the socket reads.
  const feeding = (async () => {
    try {
      await feedParser(environ, parser, limits.maxContentLength, () => failure !== null || closed, ended);
    } catch (error) {
      fail(asHTTPError(error));
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
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    await feeding;
    if (failure) throw failure;
  } finally {
    if (!closed) parser.destroy();
  }
}
