/** @module Flask's `send_file` and `send_from_directory` (layer L3): the toolkit's, with the current app and request filled in. */
import { isAbsolute, join } from 'node:path';
import type { Response } from '../wrappers/response.js';
import {
  sendFile as sendFileFrom,
  sendFromDirectory as sendFromFolder,
  type SendFileOptions,
  type SendFromDirectoryOptions,
} from '../wrappers/send-file.js';
import type { App } from './app.js';
import { staticFollowsSymlinks } from './app-options.js';
import { currentContext, type Context } from './context.js';
import { FlagonError } from './errors.js';

function requestContext(what: string): Context & { app: App } {
  const context = currentContext();
  if (context === undefined || context.request === null) {
    throw new FlagonError(
      'FLAGON_ERR_NO_CONTEXT',
      `Working outside of request context: ${what} from 'flagon' answers the current request (its paths are relative ` +
        "to the app's root folder). Call it in a view or a hook; outside a request, import it from 'flagon/wrappers' " +
        'and pass an absolute path.',
    );
  }
  return context as Context & { app: App };
}

/** Flask's defaults: the request for 304, 412 and ranges, and `SEND_FILE_MAX_AGE_DEFAULT` when no `maxAge` is given. */
function withAppDefaults<O extends SendFileOptions>(context: Context & { app: App }, options: O): O {
  return {
    ...options,
    request: options.request ?? context.request!,
    maxAge: options.maxAge === undefined ? context.app.config.SEND_FILE_MAX_AGE_DEFAULT : options.maxAge,
  };
}

/**
 * Flask's `send_file`: a file as the response to the current request. A relative path is read from the app's root
 * folder (where the file that made the App lives), not from the working folder; the request is used for conditional
 * answers (304, 412) and byte ranges (206, 416) without being passed; `maxAge` defaults to the app's
 * `SEND_FILE_MAX_AGE_DEFAULT`. Only in a request: elsewhere, use `sendFile` from `flagon/wrappers`, which takes
 * everything as options. The path is trusted: for a path from the URL, use {@link sendFromDirectory}.
 *
 * @example
 * app.get('/report', () => sendFile('reports/2026.pdf', { asAttachment: true }));
 */
export async function sendFile(
  source: string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: SendFileOptions = {},
): Promise<Response> {
  const context = requestContext('sendFile()');
  const path = typeof source === 'string' && !isAbsolute(source) ? join(context.app.rootPath, source) : source;
  return sendFileFrom(path, withAppDefaults(context, options));
}

/**
 * Flask's `send_from_directory`: sends `path`, from the URL and so untrusted, from inside `directory`; a relative
 * `directory` is in the app's root folder. A path that leaves the folder (`..`, an absolute path, a symlink out)
 * or names no regular file is a 404. The request and `maxAge` are filled in as for {@link sendFile}.
 *
 * @example
 * app.get('/uploads/<path:name>', (req) => sendFromDirectory('uploads', req.params.name));
 */
export async function sendFromDirectory(
  directory: string,
  path: string,
  options: SendFromDirectoryOptions = {},
): Promise<Response> {
  const context = requestContext('sendFromDirectory()');
  const folder = isAbsolute(directory) ? directory : join(context.app.rootPath, directory);
  return sendFromFolder(folder, path, withAppDefaults(context, options));
}

/**
 * Flask's `app.send_static_file`: a file from the app's static folder, as its `static` route sends it (a path that
 * leaves the folder is a 404; `maxAge` defaults to `SEND_FILE_MAX_AGE_DEFAULT`). The usual use: the page of a
 * single-page app for every path the browser router owns.
 *
 * @example
 * app.get('/app/<path:rest>', () => sendStaticFile('index.html'));
 */
export async function sendStaticFile(filename: string, options: SendFromDirectoryOptions = {}): Promise<Response> {
  const context = requestContext('sendStaticFile()');
  const folder = context.app.staticFolder;
  if (folder === null)
    throw new FlagonError(
      'FLAGON_ERR_CONFIG',
      `sendStaticFile('${filename}') reads the app's static folder, and this app has none: create the folder ('static' beside the module that makes the App, or the staticFolder option names it), or use sendFromDirectory(folder, '${filename}')`,
    );
  const followSymlinks = options.followSymlinks ?? staticFollowsSymlinks(context.app.config);
  return sendFromFolder(folder, filename, withAppDefaults(context, { ...options, followSymlinks }));
}
