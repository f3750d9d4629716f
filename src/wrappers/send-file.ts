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
 * A response that sends a file from disk, as Flask's `send_file`: media type from the name, `Content-Disposition`
 * when asked, ETag and Last-Modified from the file, `Cache-Control: no-cache` unless `maxAge` is given, and with a
 * `request`, conditional answers (304, 412) and byte ranges (206, 416). The path is trusted: for paths that come
 * from a URL, use {@link sendFromDirectory}.
 *
 * @example
 * return sendFile('reports/2026.pdf', { asAttachment: true, request });
 */
export async function sendFile(path: string, options: SendFileOptions = {}): Promise<Response> {
  const info = await stat(path);
  if (!info.isFile()) throw new TypeError(`sendFile(): ${path} is not a file`);
  const response = new Response(null, { mimetype: options.mimetype ?? mimeTypeFor(options.downloadName ?? path) });
  response.setFile(path, info.size);
  if (options.asAttachment || options.downloadName !== undefined) {
    const name = options.downloadName ?? path.split('/').pop()!;
    response.headers.set('Content-Disposition', contentDisposition(options.asAttachment ? 'attachment' : 'inline', name));
  }
  const maxAge = options.maxAge ?? null;
  if (maxAge !== null && maxAge > 0) {
    response.headers.set('Cache-Control', `public, max-age=${Math.floor(maxAge)}`);
    response.headers.set('Expires', new Date(Date.now() + maxAge * 1000).toUTCString());
  } else {
    response.headers.set('Cache-Control', 'no-cache');
  }
  const lastModified = options.lastModified === undefined ? info.mtime : options.lastModified;
  if (lastModified !== null) response.lastModified = lastModified;
  const etag = options.etag ?? true;
  if (etag !== false) response.setEtag(etag === true ? `${Math.floor(info.mtimeMs).toString(16)}-${info.size.toString(16)}` : etag);
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
