/** @module The instance folder (layer L3): where an app keeps what is neither code nor in version control (config with secrets, a SQLite file), Flask's `instance_path`. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlagonError } from './errors.js';

/**
 * An app's root folder from the first argument of `new App(…)`: the folder of a `file:` module URL, else the current
 * directory (a `data:` or `http:` module has no folder). Anything but a string is refused with the fix, since a
 * Flask user may write `new App({ … })` or `new App()` where `Flask(__name__)` takes the module's name.
 *
 * @example
 * rootPathOf('file:///srv/notes/src/app.js'); // '/srv/notes/src'
 */
export function rootPathOf(importMetaUrl: unknown): string {
  if (typeof importMetaUrl !== 'string')
    throw new FlagonError(
      'FLAGON_ERR_BAD_ARGUMENT',
      `new App() takes the module's URL first, as Flask(__name__) takes its name, and the options second: new App(import.meta.url, { … }), not new App(${importMetaUrl === undefined ? '' : typeof importMetaUrl})`,
    );
  return importMetaUrl.startsWith('file:') ? dirname(fileURLToPath(importMetaUrl)) : process.cwd();
}

/**
 * The instance folder of an app whose module is in `rootPath`. Given: resolved from `rootPath`. Otherwise
 * `instance` beside the app's package, as Flask puts it beside the package rather than inside it: in the nearest
 * folder from `rootPath` up that holds a `package.json` (so `src/app.ts` gets `<project>/instance`, not
 * `src/instance`), else in `rootPath`. Nothing is created: as in Flask, make the folder when you need it.
 *
 * @example
 * instancePathFor('/srv/notes/src');             // '/srv/notes/instance' when /srv/notes/package.json exists
 * instancePathFor('/srv/notes/src', '/var/notes'); // '/var/notes'
 */
export function instancePathFor(rootPath: string, given?: string): string {
  if (given !== undefined) return resolve(rootPath, given);
  for (let dir = rootPath; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'instance');
    if (dirname(dir) === dir) return join(rootPath, 'instance');
  }
}
