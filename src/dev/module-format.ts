/** @module Which module system an app's file is written in (layer L4), and a resolve hook that loads ES-module syntax as ESM in any project. */
// npm 11's `npm init -y` writes `"type": "commonjs"`, and a project without `type` is CommonJS too, so tsx's loader
// hands an app written with `import`/`export` to Node's CommonJS loader, which meets ESM syntax while the ES loader
// is still importing the same file: ERR_REQUIRE_CYCLE_MODULE (issue 14). The file's own syntax says what its author
// meant, and a CommonJS loader could not run `import.meta` or top-level await anyway, so the user's files (outside
// node_modules) that use ESM syntax are loaded as ES modules whatever the package says; node_modules keep Node's rules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

/**
 * An `import` or `export` statement at the start of a line, or `import.meta`. Lines inside comments start with `//`
 * or `*` and do not match; a template string holding such a line would, which is rare enough to accept.
 */
const MODULE_SYNTAX =
  /(?:^|[\n;])[ \t]*(?:import(?:[ \t]+[\w$*{"']|[ \t]*[{*"'])|export(?:[ \t]+[\w$*{]|[ \t]*[{*]))|\bimport\.meta\b/;
/** TypeScript's own CommonJS forms: `export = app` and `import fs = require('node:fs')`. */
const COMMONJS_TS_SYNTAX = /(?:^|[\n;])[ \t]*(?:export[ \t]*=[^=>]|import[ \t]+[\w$]+[ \t]*=[ \t]*require[ \t]*\()/;
/** Extensions whose module system depends on the package (`.mts`/`.mjs` are always ESM, `.cts`/`.cjs` never). */
const AMBIGUOUS = /\.[jt]sx?$/;

/**
 * Whether source text is written as an ES module: it has an `import`/`export` statement or uses `import.meta`, and
 * none of TypeScript's CommonJS forms (`export =`, `import x = require()`).
 *
 * @example
 * hasModuleSyntax("import { App } from 'flagon';");   // true
 * hasModuleSyntax("module.exports = require('./app');"); // false
 */
export function hasModuleSyntax(source: string): boolean {
  return MODULE_SYNTAX.test(source) && !COMMONJS_TS_SYNTAX.test(source);
}

/**
 * Why a file that Flagon will require as CommonJS cannot run, or null: `import.meta` exists only in ES modules, and
 * `new App(import.meta.url)` in a `.cts`/`.cjs` file would get `undefined`. The message names both ways out.
 *
 * @example
 * commonJsProblem('/srv/app.cts', 'export const app = new App(import.meta.url);'); // "/srv/app.cts uses import.meta, …"
 */
export function commonJsProblem(file: string, source: string): string | null {
  if (!/\bimport\.meta\b/.test(source)) return null;
  const extension = extname(file);
  const why =
    extension === '.cts' || extension === '.cjs' ? `${extension} files are CommonJS` : 'the file is loaded as CommonJS';
  const renamed = file.slice(0, file.length - extension.length) + (extension.includes('t') ? '.ts' : '.mjs');
  return `${file} uses import.meta, which only ES modules have, but ${why}. Rename it to ${renamed} (an ES module in any project), or write it as CommonJS throughout: new App(require('node:url').pathToFileURL(__filename).href) and module.exports = app.`;
}

/**
 * The `type` of the nearest package.json above a file (`'commonjs'` when it has none, or when there is no
 * package.json at all), as Node reads it.
 *
 * @example
 * packageType('/srv/notes/app.ts'); // 'module' when /srv/notes/package.json says "type": "module"
 */
export function packageType(file: string): 'module' | 'commonjs' {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module'
          ? 'module'
          : 'commonjs';
      } catch {
        return 'commonjs'; // Node reports a broken package.json itself when it loads the file
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

/**
 * How Flagon loads an app's file: `.mts`/`.mjs` and files with ES-module syntax are imported as ES modules; `.cts`,
 * `.cjs` and files without it are required as CommonJS, unless the package is `"type": "module"` (where Node would
 * treat them as ESM, and a file that uses `module.exports` there needs renaming to `.cts`/`.cjs`).
 *
 * @example
 * moduleFormat('/srv/notes/app.ts'); // 'module' for `export const app = new App(import.meta.url)`, any package type
 */
export function moduleFormat(file: string): 'module' | 'commonjs' {
  const extension = extname(file);
  if (extension === '.mts' || extension === '.mjs') return 'module';
  if (extension === '.cts' || extension === '.cjs') return 'commonjs';
  if (hasModuleSyntax(readFileSync(file, 'utf8'))) return 'module';
  return AMBIGUOUS.test(file) && packageType(file) === 'module' ? 'module' : 'commonjs';
}

/**
 * The source of a module-customization hook (for `module.register`, as a `data:` URL, so that it needs no file of
 * its own next to either src/ or dist/). Chained after tsx's, it sees the format tsx decided and turns `commonjs`
 * into `module` for the user's `.ts`/`.js` files written as ES modules.
 *
 * @example
 * register(formatHooksUrl(), import.meta.url);
 */
export function formatHooksUrl(): string {
  const source = `import { readFileSync } from 'node:fs';
const moduleSyntax = new RegExp(${JSON.stringify(MODULE_SYNTAX.source)});
const commonjsSyntax = new RegExp(${JSON.stringify(COMMONJS_TS_SYNTAX.source)});
const ambiguous = new RegExp(${JSON.stringify(AMBIGUOUS.source)});
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.format !== 'commonjs' || !resolved.url.startsWith('file:')) return resolved;
  const path = new URL(resolved.url).pathname;
  if (!ambiguous.test(path) || path.includes('/node_modules/')) return resolved;
  let text = '';
  try { text = readFileSync(new URL(resolved.url), 'utf8'); } catch { return resolved; }
  return moduleSyntax.test(text) && !commonjsSyntax.test(text) ? { ...resolved, format: 'module' } : resolved;
}
`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}
