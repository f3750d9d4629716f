/** @module sharedData (layer L2): files from folders (or single files) in front of an app, as Werkzeug's SharedDataMiddleware. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Body, Environ, GatewayApp, StartResponse } from '../gateway/types.js';
import { HTTPError, NotFound } from '../http/errors.js';
import { mimeTypeFor } from '../http/mime.js';
import { Request } from '../wrappers/request.js';
import type { Response } from '../wrappers/response.js';
import { sendFile, sendFromDirectory, type SendFileOptions } from '../wrappers/send-file.js';

/**
 * Options of {@link sharedData}.
 *
 * @example
 * const options: SharedDataOptions = { maxAge: 3600, isAllowed: (path) => !path.split('/').some((part) => part.startsWith('.')) };
 */
export interface SharedDataOptions {
  /**
   * Seconds browsers may keep a file without asking again (`Cache-Control: public, max-age=N` and `Expires`).
   * Default 43200, Werkzeug's twelve hours. `0` or `null`: `Cache-Control: no-cache`, so every use revalidates
   * with the ETag (a 304 when unchanged), which is what a folder you are editing wants.
   */
  maxAge?: number | null;
  /**
   * Serve a file whose real path leaves its folder through a symlink. Default `false`, as `sendFromDirectory`: such
   * a file falls through to the app (a 404), so a link planted in the folder cannot publish what it points to.
   */
  followSymlinks?: boolean;
  /** The media type of a file whose extension is unknown. Default `application/octet-stream`, as Werkzeug. */
  fallbackMimetype?: string;
  /**
   * Whether a file may be served, given its path below the mount (`'css/site.css'`; `''` for a mounted file).
   * Refused files fall through to the app. Werkzeug's `is_allowed`/`disallow`. Default: every file.
   */
  isAllowed?: (path: string) => boolean;
}

/** One export: the URL prefix (no trailing `/`, `''` for the root), and a folder or a single file. */
interface Export {
  prefix: string;
  target: string;
  kind: 'directory' | 'file';
}

const DEFAULT_MAX_AGE = 12 * 60 * 60;

function compileExports(exports: Readonly<Record<string, string>>): Export[] {
  const table: Export[] = [];
  for (const [key, target] of Object.entries(exports)) {
    if (!key.startsWith('/'))
      throw new TypeError(`sharedData(): the URL prefix '${key}' must start with '/'; write '/${key}'`);
    if (typeof target !== 'string' || target === '')
      throw new TypeError(
        `sharedData(): '${key}' maps to ${JSON.stringify(target)}; give the path of a folder or a file`,
      );
    // As Werkzeug: what is a file now is served as one file, anything else (a folder, or nothing yet) as a folder.
    const kind = statSync(target, { throwIfNoEntry: false })?.isFile() ? 'file' : 'directory';
    table.push({ prefix: key.replace(/\/+$/, ''), target: resolve(target), kind });
  }
  // Longest prefix first, so '/static/img' is tried before '/static'; a miss falls through to the next one.
  return table.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The part of `path` below an export, or `null` when the export does not cover it. */
function below(entry: Export, path: string): string | null {
  if (entry.kind === 'file') return path === entry.prefix ? '' : null;
  if (path.startsWith(`${entry.prefix}/`)) return path.slice(entry.prefix.length + 1);
  return null;
}

/**
 * Serves files from folders, and single files, in front of a TSGI app, as Werkzeug's `SharedDataMiddleware`:
 * `{ '/static': 'public' }` answers `GET /static/css/site.css` from `public/css/site.css`, with its media type, an
 * ETag and Last-Modified, `Cache-Control` per `maxAge`, and conditional requests (304, 412) and byte ranges (206,
 * 416). Everything else goes to `app`: paths outside the exports, files that do not exist, folders, paths that
 * try to leave the folder (`..`, an absolute path, a link out of it unless `followSymlinks`), and methods other
 * than GET and HEAD. Files are opened and answered by `sendFromDirectory` and `sendFile`, so the rules of both hold.
 *
 * @example
 * import { sharedData } from 'flagon/middleware';
 * app.gatewayApp = sharedData(app.gatewayApp, { '/static': 'public', '/favicon.ico': 'public/favicon.ico' });
 */
export function sharedData(
  app: GatewayApp,
  exports: Readonly<Record<string, string>>,
  options: SharedDataOptions = {},
): GatewayApp {
  if (typeof app !== 'function')
    throw new TypeError(
      'sharedData(app, exports): app is not a TSGI app; pass app.gatewayApp for a Flagon App, or a 404 app',
    );
  const table = compileExports(exports);
  const maxAge = options.maxAge === undefined ? DEFAULT_MAX_AGE : options.maxAge;
  const fileOptions: SendFileOptions = { maxAge: maxAge !== null && maxAge > 0 ? maxAge : null };
  const followSymlinks = options.followSymlinks ?? false;
  const fallbackMimetype = options.fallbackMimetype;
  const isAllowed = options.isAllowed ?? ((): boolean => true);

  async function find(environ: Environ): Promise<Response | null> {
    const path = environ.PATH_INFO;
    for (const entry of table) {
      const rest = below(entry, path);
      if (rest === null || !isAllowed(rest)) continue;
      const request = new Request(environ);
      const name = entry.kind === 'file' ? entry.target : rest;
      const mimetype =
        fallbackMimetype !== undefined && mimeTypeFor(name) === 'application/octet-stream'
          ? fallbackMimetype
          : undefined;
      const send = { ...fileOptions, request, ...(mimetype === undefined ? {} : { mimetype }) };
      try {
        return entry.kind === 'file'
          ? await sendFile(entry.target, send)
          : await sendFromDirectory(entry.target, rest, { ...send, followSymlinks });
      } catch (error) {
        // Missing, not a file, refused: the next export may have it, else the app answers.
        if (error instanceof NotFound) continue;
        // A mounted file removed (or replaced by a folder) since the middleware was made: as missing.
        const code = (error as NodeJS.ErrnoException).code;
        if (entry.kind === 'file' && (code === 'ENOENT' || code === 'ENOTDIR' || error instanceof TypeError)) continue;
        throw error;
      }
    }
    return null;
  }

  return async function sharedDataApp(environ: Environ, startResponse: StartResponse): Promise<Body> {
    const method = environ.REQUEST_METHOD;
    if (method !== 'GET' && method !== 'HEAD') return app(environ, startResponse);
    let response: Response | null;
    try {
      response = await find(environ);
    } catch (error) {
      // A file that exists but cannot be opened now (out of descriptors: a 503) is answered here, not by the app.
      if (error instanceof HTTPError) return error.gatewayApp(environ, startResponse);
      throw error;
    }
    if (response === null) return app(environ, startResponse);
    return response.gatewayApp(environ, startResponse);
  };
}
