/** @module sendFile and sendFromDirectory (layer L2): files as responses with the right type, disposition, caching and ranges. */
import { constants, type Stats } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { NotFound, ServiceUnavailable } from '../http/errors.js';
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
 * Options of {@link sendFromDirectory}: those of {@link sendFile}, and whether to follow links out of the directory.
 *
 * @example
 * const options: SendFromDirectoryOptions = { request, maxAge: 3600, followSymlinks: false };
 */
export interface SendFromDirectoryOptions extends SendFileOptions {
  /**
   * Serve a file whose real path (symlinks resolved) is outside the directory. Default `false`: such a file is a 404,
   * as nginx's `disable_symlinks` does, so a link planted in the folder (an unpacked archive, an upload, a careless
   * deploy) cannot publish `/etc/passwd` or the app's secrets. Links that stay inside the directory always work.
   */
  followSymlinks?: boolean;
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
 * `Content-Disposition` (`inline; filename=…` for a file from disk, `attachment` when asked), ETag and Last-Modified from the file, `Cache-Control: no-cache` unless `maxAge`
 * is given, and with a `request`, conditional answers (304, 412) and, for files, byte ranges (206, 416). A stream
 * needs a `mimetype` or `downloadName`. The path is trusted: for paths from a URL, use {@link sendFromDirectory}.
 *
 * @example
 * return sendFile('reports/2026.pdf', { asAttachment: true, request });
 */
export async function sendFile(
  source: string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: SendFileOptions = {},
): Promise<Response> {
  const path = typeof source === 'string' ? source : null;
  const info = path === null ? null : await stat(path);
  if (path !== null && !info!.isFile()) throw new TypeError(`sendFile(): ${path} is not a file`);
  return fileResponse(path ?? (source as AsyncIterable<Uint8Array>), path, info, options);
}

/** The response of sendFile: `name` gives the type and download name, `info` the length and validators. */
function fileResponse(
  source: string | FileHandle | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  name: string | null,
  info: Stats | null,
  options: SendFileOptions,
): Response {
  const named = options.downloadName ?? name;
  if (options.mimetype === undefined && named === null) {
    throw new TypeError('sendFile() of a stream needs a mimetype or a downloadName to know what it sends');
  }
  const response = new Response(null, { mimetype: options.mimetype ?? mimeTypeFor(named!) });
  if (typeof source === 'string') response.setFile(source, info!.size);
  else if (info !== null) response.setFile(name!, info.size, source as FileHandle);
  else response.setData(source as AsyncIterable<Uint8Array>);
  // A file from disk is named inline too, as Werkzeug's send_file names it (the name a browser saves it under).
  if (options.asAttachment || options.downloadName !== undefined || name !== null) {
    if (named === null) throw new TypeError('sendFile() as an attachment of a stream needs a downloadName');
    const name = options.downloadName ?? named.split('/').pop()!;
    response.headers.set(
      'Content-Disposition',
      contentDisposition(options.asAttachment ? 'attachment' : 'inline', name),
    );
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

const isBeneath = (root: string, path: string): boolean => path.startsWith(root.endsWith(sep) ? root : root + sep);

// O_NOFOLLOW: the real path's last part was no link when checked; if it has become one since, the open fails.
// O_NONBLOCK: a FIFO planted in the folder cannot hang the thread pool in open(); it is then refused as no file.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * A file the server could not open for want of descriptors or memory exists all the same: saying 404 would be a lie
 * that caches. It is a 503, which tells the client to come back.
 */
function outOfResources(error: unknown): void {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'EMFILE' || code === 'ENFILE')
    throw new ServiceUnavailable('The server is out of file descriptors; try again shortly.');
  if (code === 'ENOMEM') throw new ServiceUnavailable('The server is out of memory; try again shortly.');
}

/**
 * Opens the regular file at `path` if its real path lies inside the real path of `root`, else `null`. The file opened
 * is the real path checked, never `path` again, and on Linux what was opened is checked once more through
 * `/proc/self/fd`, so a directory swapped for a link between the check and the open is caught.
 */
async function openBeneath(root: string, path: string): Promise<{ handle: FileHandle; info: Stats } | null> {
  let realRoot: string;
  let real: string;
  try {
    [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
  } catch (error) {
    outOfResources(error);
    return null; // missing, a dangling link, a loop, no permission: all a 404
  }
  if (!isBeneath(realRoot, real)) return null;
  const handle = await open(real, OPEN_FLAGS).catch((error: unknown) => {
    outOfResources(error);
    return null;
  });
  if (handle === null) return null;
  try {
    const [info, opened] = await Promise.all([handle.stat(), readlink(`/proc/self/fd/${handle.fd}`).catch(() => null)]);
    if (info.isFile() && (opened === null || isBeneath(realRoot, opened))) return { handle, info };
  } catch {
    // fall through: closed below, answered 404
  }
  await handle.close().catch(() => undefined);
  return null;
}

/**
 * Sends `path` (from the URL, untrusted) from inside `directory`: a path `safeJoin` refuses, one that does not exist,
 * one that is not a regular file, and (unless `followSymlinks`) one whose real path leaves the directory through a
 * symlink give 404, never 403, so the answer tells an attacker nothing. The type and download name come from the name
 * asked for, not from a link's target.
 *
 * @example
 * app.get('/uploads/<path:name>', (req) => sendFromDirectory('uploads', req.params.name, { request: req }));
 */
export async function sendFromDirectory(
  directory: string,
  path: string,
  options: SendFromDirectoryOptions = {},
): Promise<Response> {
  // 'style.css/' names a folder, not the file: 404, as Werkzeug (isfile) and nginx answer.
  if (path.endsWith('/')) throw new NotFound();
  const full = safeJoin(directory, path);
  if (full === null) throw new NotFound();
  if (options.followSymlinks === true) {
    const info = await stat(full).catch(() => null);
    if (!info?.isFile()) throw new NotFound();
    return sendFile(full, options);
  }
  const opened = await openBeneath(directory, full);
  if (opened === null) throw new NotFound();
  try {
    return fileResponse(opened.handle, full, opened.info, options);
  } catch (error) {
    await opened.handle.close().catch(() => undefined);
    throw error;
  }
}
