/** @module `flagon static` (layer L5): serve a folder with listings, as `python -m http.server`, on sharedData and serve(). */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { GatewayApp } from '../gateway/types.js';
import { quotePath } from '../gateway/url.js';
import { HTTPError, MethodNotAllowed, NotFound } from '../http/errors.js';
import { escapeHtml } from '../http/html.js';
import { safeJoin } from '../http/safe-join.js';
import { sharedData } from '../middleware/shared-data.js';
import { logRequests } from '../dev/request-log.js';
import { serve } from '../serving/serve.js';
import { Request } from '../wrappers/request.js';
import { Response } from '../wrappers/response.js';
import { sendFromDirectory } from '../wrappers/send-file.js';
import { UsageError } from './run.js';

/**
 * Options of {@link folderApp}.
 *
 * @example
 * const options: FolderOptions = { followSymlinks: true };
 */
export interface FolderOptions {
  /** Serve and list what links in the folder point to outside it. Default false, as `sendFromDirectory`. */
  followSymlinks?: boolean;
}

/** One row of a listing. */
interface Entry {
  name: string;
  directory: boolean;
  link: boolean;
  size: number | null;
  modified: Date | null;
}

/** The files a folder answers with instead of a listing, in order, as http.server. */
const INDEX_FILES = ['index.html', 'index.htm'];

const isBeneath = (root: string, path: string): boolean =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
const twoDigits = (n: number): string => String(n).padStart(2, '0');
const showDate = (date: Date): string =>
  `${date.getUTCFullYear()}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())} ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}`;

/**
 * The rows of a folder. A link is shown as what it points to, unless that is outside the root and links are not
 * followed: then, like a dangling link, it is a bare `name@`, so the page says nothing of files it will not serve.
 */
async function readEntries(directory: string, realRoot: string, followSymlinks: boolean): Promise<Entry[]> {
  const names = await readdir(directory);
  const entries = await Promise.all(
    names.map(async (name): Promise<Entry> => {
      const path = `${directory}${sep}${name}`;
      const own = await lstat(path).catch(() => null);
      let info: Stats | null = own;
      if (own?.isSymbolicLink()) {
        const target = await realpath(path).catch(() => null);
        info =
          target !== null && (followSymlinks || isBeneath(realRoot, target))
            ? await stat(target).catch(() => null)
            : null;
      }
      return {
        name,
        directory: info?.isDirectory() ?? false,
        link: own?.isSymbolicLink() ?? false,
        size: info?.isFile() ? info.size : null,
        modified: info?.mtime ?? null,
      };
    }),
  );
  // http.server's order: by name, ignoring case; then by the exact name, so the order never depends on readdir.
  return entries.sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** The listing page: every name HTML-escaped, every link percent-encoded, `..` first except at the root. */
function listingPage(urlPath: string, entries: Entry[]): string {
  const title = `Directory listing for ${escapeHtml(urlPath)}`;
  const rows = entries.map((entry) => {
    const shown = entry.name + (entry.directory ? '/' : entry.link ? '@' : ''); // http.server's marks
    const href = encodeURIComponent(entry.name) + (entry.directory ? '/' : '');
    const modified =
      entry.modified === null
        ? ''
        : `<time datetime="${entry.modified.toISOString()}">${showDate(entry.modified)}</time>`;
    return `<tr><td><a href="${escapeHtml(href)}">${escapeHtml(shown)}</a></td><td>${entry.size ?? '-'}</td><td>${modified}</td></tr>`;
  });
  if (urlPath !== '/') rows.unshift('<tr><td><a href="../">../</a></td><td>-</td><td></td></tr>');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${title}</title>`,
    '<style>td, th { padding: 0 1em 0 0; text-align: left } td:nth-child(2) { text-align: right }</style></head>',
    `<body><h1>${title}</h1><hr>`,
    '<table><tr><th>Name</th><th>Size (bytes)</th><th>Last modified (UTC)</th></tr>',
    ...rows,
    '</table><hr></body></html>',
    '',
  ].join('\n');
}

/**
 * What answers when no file does: a folder's `index.html`, else its listing; a folder asked for without its slash
 * is redirected to it (301, as http.server), so relative links in the page resolve. Anything else is a 404: a path
 * `safeJoin` refuses (`..`), a name that does not exist, a folder reached through a link out of the root.
 */
function listingApp(root: string, realRoot: string, options: FolderOptions): GatewayApp {
  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new MethodNotAllowed(['GET', 'HEAD']);
    const path = request.environ.PATH_INFO;
    const relative = path.replace(/^\/+/, '');
    const directory = safeJoin(root, relative);
    if (directory === null) throw new NotFound();
    const real = await realpath(directory).catch(() => null);
    if (real === null || (!options.followSymlinks && !isBeneath(realRoot, real))) throw new NotFound();
    if (!(await stat(real).catch(() => null))?.isDirectory()) throw new NotFound();
    if (!path.endsWith('/')) {
      const query = request.environ.QUERY_STRING;
      // One leading slash: `//evil.example/` would send the browser to another site (http.server collapses them too).
      const location = `${quotePath(`${request.environ.SCRIPT_NAME}/${relative}`)}/${query ? `?${query}` : ''}`;
      return new Response(null, { status: 301, headers: { Location: location } });
    }
    for (const name of INDEX_FILES) {
      try {
        return await sendFromDirectory(root, relative + name, {
          request,
          followSymlinks: options.followSymlinks ?? false,
        });
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
      }
    }
    const entries = await readEntries(real, realRoot, options.followSymlinks ?? false).catch(() => null);
    if (entries === null) throw new NotFound(); // unreadable: as missing, as http.server answers
    const response = new Response(listingPage(request.environ.SCRIPT_NAME + path, entries));
    response.headers.set('Cache-Control', 'no-cache');
    return response;
  };
  return Request.application(async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof HTTPError) return error;
      throw error;
    }
  });
}

/**
 * The TSGI app of `flagon static`: the files of `root` through {@link sharedData} (ETags, 304, ranges, no links
 * out of the folder unless `followSymlinks`), revalidated on every use (`no-cache`), since a folder being served is
 * usually one being edited; folders answer with their `index.html` or a listing.
 *
 * @example
 * import { serve } from 'flagon/serving';
 * await serve(folderApp('site'), { port: 8000 });
 */
export function folderApp(root: string, options: FolderOptions = {}): GatewayApp {
  const absolute = resolve(root);
  const realRoot = realpathSync(absolute);
  return sharedData(
    listingApp(absolute, realRoot, options),
    { '/': absolute },
    { maxAge: null, followSymlinks: options.followSymlinks ?? false },
  );
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * `flagon static [DIR] [--port N] [--bind HOST]`: serves DIR (default: the current folder) until a signal. Port 8000
 * and 127.0.0.1 by default: http.server's port, but only this machine, since a folder often holds more than meant.
 *
 * @example
 * // $ flagon static public --port 0
 * process.exitCode = await staticCommand(['public', '--port', '0']);
 */
export async function staticCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      bind: { type: 'string', short: 'b' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length > 1)
    throw new UsageError(`flagon static serves one folder, got ${positionals.length}: ${positionals.join(' ')}`);
  const directory = resolve(positionals[0] ?? '.');
  if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(
      `flagon static serves a folder, and ${directory} is not one; give the folder to serve: flagon static DIR`,
    );
  }
  const rawPort = values.port ?? '8000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65_535)
    throw new UsageError(`--port must be a number from 0 to 65535 (0 picks a free port), not '${rawPort}'`);
  const host = values.bind ?? '127.0.0.1';
  const server = await serve(folderApp(directory), { host, port });
  logRequests(server.server);
  const lines = [` * Serving the folder ${directory}`];
  if (!LOOPBACK.has(host))
    lines.push(
      `WARNING: Listening on ${host}, beyond this machine: anyone who can reach it can read every file in this folder.`,
    );
  lines.push(` * Running on ${server.url}`, 'Press CTRL+C to quit');
  process.stdout.write(`${lines.join('\n')}\n`);
  const quit = (): void => void server.close().finally(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  return new Promise<number>(() => undefined); // serves until a signal
}
