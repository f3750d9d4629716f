/** @module sendFile and sendFromDirectory (layer L2): files as responses with the right type, disposition, caching and ranges. */
import { stat } from 'node:fs/promises';
import { NotFound } from '../http/errors.js';
import { mimeTypeFor } from '../http/mime.js';
import { safeJoin } from '../http/safe-join.js';
import type { Request } from './request.js';
import { Response } from './response.js';

/**
 * Options of {@link sendFile}, Flask's names in camelCase.
 *
 * @example
 * const options: SendFileOptions = { asAttachment: true, downloadName: 'report.pdf', maxAge: 3600, request };
 */
export interface SendFileOptions {
  /** Default: from `downloadName` or the path's extension. */
  mimetype?: string;
  /** `Content-Disposition: attachment`: the browser saves instead of showing. */
  asAttachment?: boolean;
  /** The file name the browser sees; non-ASCII names are sent as RFC 8187 `filename*`. */
  downloadName?: string;
  /** Apply If-None-Match, If-Modified-Since, Range… against `request`. Default true (needs `request`). */
  conditional?: boolean;
  /** `true` (default) derives a tag from the file's mtime and size; a string is used as the tag; `false` sends none. */
  etag?: boolean | string;
  /** Seconds browsers may cache the file: `Cache-Control: public, max-age=N`. Default: `no-cache` (revalidate). */
  maxAge?: number | null;
  /** Default: the file's mtime. */
  lastModified?: Date | number | null;
  /** The request, for conditional responses and ranges. */
  request?: Request;
}

/**
 * A Content-Disposition value; a non-ASCII name gets an ASCII fallback and RFC 8187 `filename*` (RFC 6266 §4.3).
 *
 * @example
 * contentDisposition('attachment', 'résumé.pdf'); // `attachment; filename="resume.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`
 */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const quote = (text: string): string => `"${text.replace(/[\\"]/g, '\\$&')}"`;
  if (/^[\x20-\x7e]*$/.test(name)) return `${kind}; filename=${quote(name)}`;
  const fallback = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename=${quote(fallback)}; filename*=UTF-8''${encoded}`;
}

/**
 * A response that sends a file from disk or a stream, as Flask's `send_file`: media type from the name,
 * `Content-Disposition` when asked, ETag and Last-Modified from the file, `Cache-Control: no-cache` unless `maxAge`
 * is given, and with a `request`, conditional answers (304, 412) and, for files, byte ranges (206, 416). A stream
 * needs a `mimetype` or `downloadName`. The path is trusted: for paths from a URL, use {@link sendFromDirectory}.
 *
 * @example
 * return sendFile('reports/2026.pdf', { asAttachment: true, request });
 */
export async function sendFile(source: string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: SendFileOptions = {}): Promise<Response> {
  const path = typeof source === 'string' ? source : null;
  const info = path === null ? null : await stat(path);
  if (path !== null && !info!.isFile()) throw new TypeError(`sendFile(): ${path} is not a file`);
  const named = options.downloadName ?? path;
  if (options.mimetype === undefined && named === null) {
    throw new TypeError('sendFile() of a stream needs a mimetype or a downloadName to know what it sends');
  }
  const response = new Response(null, { mimetype: options.mimetype ?? mimeTypeFor(named!) });
  if (path !== null) response.setFile(path, info!.size);
  else response.setData(source as AsyncIterable<Uint8Array>);
  if (options.asAttachment || options.downloadName !== undefined) {
    if (named === null) throw new TypeError('sendFile() as an attachment of a stream needs a downloadName');
    const name = options.downloadName ?? named.split('/').pop()!;
    response.headers.set('Content-Disposition', contentDisposition(options.asAttachment ? 'attachment' : 'inline', name));
  }
  const maxAge = options.maxAge ?? null;
  if (maxAge !== null && maxAge > 0) {
    response.headers.set('Cache-Control', `public, max-age=${Math.floor(maxAge)}`);
    response.headers.set('Expires', new Date(Date.now() + maxAge * 1000).toUTCString());
  } else {
    response.headers.set('Cache-Control', 'no-cache');
  }
  // A stream has no mtime or size to derive validators from: only those given are sent.
  const lastModified = options.lastModified === undefined ? (info?.mtime ?? null) : options.lastModified;
  if (lastModified !== null) response.lastModified = lastModified;
  const etag = options.etag ?? true;
  if (typeof etag === 'string') response.setEtag(etag);
  else if (etag && info) response.setEtag(`${Math.floor(info.mtimeMs).toString(16)}-${info.size.toString(16)}`);
  if ((options.conditional ?? true) && options.request) response.makeConditional(options.request);
  return response;
}

/**
 * Sends `path` (from the URL, untrusted) from inside `directory`: a path `safeJoin` refuses, one that does not exist,
 * or one that is not a regular file gives 404, never 403, so the answer tells an attacker nothing.
 *
 * @example
 * app.get('/uploads/<path:name>', (req) => sendFromDirectory('uploads', req.params.name, { request: req }));
 */
export async function sendFromDirectory(directory: string, path: string, options: SendFileOptions = {}): Promise<Response> {
  const full = safeJoin(directory, path);
  if (full === null) throw new NotFound();
  const info = await stat(full).catch(() => null);
  if (!info?.isFile()) throw new NotFound();
  return sendFile(full, options);
}
