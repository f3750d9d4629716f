/** The app loader's decisions: which module system a file is in, the resolve hook, and where .flagonenv/.env come from. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runSettings } from '../../src/cli/run.js';
import { importApp, readDotenv } from '../../src/dev/app-loader.js';
import { makeProject } from '../helpers/dev-server.js';
import {
  commonJsProblem,
  formatHooksUrl,
  hasModuleSyntax,
  moduleFormat,
  packageType,
} from '../../src/dev/module-format.js';

const scratch = mkdtempSync(join(tmpdir(), 'flagon-loader-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function write(path: string, text: string): string {
  const file = join(scratch, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const ESM_APP = "import { App } from 'flagon';\nexport const app = new App(import.meta.url);\n";
const CJS_APP =
  "const { App } = require('flagon');\nmodule.exports = new App(require('node:url').pathToFileURL(__filename).href);\n";

describe('hasModuleSyntax', () => {
  it('sees import/export statements and import.meta', () => {
    for (const source of [
      ESM_APP,
      "import './side-effect.js';",
      'export default app;',
      'export { app };',
      'const here = import.meta.url;',
      "x();\nimport * as path from 'node:path';",
      'export async function createApp() {}',
    ] as const) {
      expect(hasModuleSyntax(source), source).toBe(true);
    }
  });

  it('does not take CommonJS, comments, dynamic import() or look-alike names for it', () => {
    for (const source of [
      CJS_APP,
      "// import { App } from 'flagon';\nmodule.exports = 1;",
      '/*\n * export const x = 1;\n */',
      "const m = await import('./x.js');",
      'important = exported + 1;',
      "import fs = require('node:fs');\nexport = app;",
    ] as const) {
      expect(hasModuleSyntax(source), source).toBe(false);
    }
  });
});

describe('moduleFormat', () => {
  it('imports .mts/.mjs and files written with import/export whatever the package type; requires the rest', () => {
    write('cjs/package.json', JSON.stringify({ type: 'commonjs' }));
    write('esm/package.json', JSON.stringify({ type: 'module' }));
    write('untyped/package.json', JSON.stringify({ name: 'untyped' }));
    for (const project of ['cjs', 'esm', 'untyped']) {
      expect(moduleFormat(write(`${project}/app.ts`, ESM_APP))).toBe('module');
      expect(moduleFormat(write(`${project}/app.js`, ESM_APP))).toBe('module');
      expect(moduleFormat(write(`${project}/app.mts`, CJS_APP))).toBe('module'); // the extension decides, as in Node
      expect(moduleFormat(write(`${project}/app.cts`, ESM_APP))).toBe('commonjs');
      expect(moduleFormat(write(`${project}/app.cjs`, CJS_APP))).toBe('commonjs');
    }
    expect(moduleFormat(write('cjs/legacy.ts', CJS_APP))).toBe('commonjs');
    expect(moduleFormat(write('untyped/legacy.js', CJS_APP))).toBe('commonjs');
    // In a module package Node runs it as ESM; loading it there is what produces the error that names the fix.
    expect(moduleFormat(write('esm/legacy.ts', CJS_APP))).toBe('module');
  });

  it('reads the nearest package.json, as Node does', () => {
    expect(packageType(write('esm/src/deep/app.ts', ESM_APP))).toBe('module');
    expect(packageType(write('untyped/app.ts', ESM_APP))).toBe('commonjs');
  });
});

describe('commonJsProblem', () => {
  it('names the fix for import.meta in a file loaded as CommonJS, and passes the rest', () => {
    expect(commonJsProblem('/srv/app.cts', ESM_APP)).toMatch(
      /^\/srv\/app\.cts uses import\.meta, which only ES modules have, but \.cts files are CommonJS\. Rename it to \/srv\/app\.ts .*new App\(require\('node:url'\)\.pathToFileURL\(__filename\)\.href\)/,
    );
    expect(commonJsProblem('/srv/app.cjs', ESM_APP)).toMatch(/Rename it to \/srv\/app\.mjs/);
    expect(commonJsProblem('/srv/app.cts', CJS_APP)).toBeNull();
  });
});

describe('the resolve hook', () => {
  it("turns tsx's commonjs into module for the user's ESM files only", () => {
    const esm = pathToFileURL(write('cjs/hooked.ts', ESM_APP)).href;
    const cjs = pathToFileURL(write('cjs/hooked-legacy.ts', CJS_APP)).href;
    const library = pathToFileURL(write('cjs/node_modules/lib/index.js', ESM_APP)).href;
    const explicit = pathToFileURL(write('cjs/hooked.cts', ESM_APP)).href;
    // Run in plain Node: the hook is a data: URL module that Node's hooks thread imports.
    const script = `const { resolve } = await import(${JSON.stringify(formatHooksUrl())});
const formats = [];
for (const url of ${JSON.stringify([esm, cjs, library, explicit, 'node:fs'])}) {
  const next = async () => ({ url, format: url.startsWith('node:') ? 'builtin' : 'commonjs' });
  formats.push((await resolve(url, {}, next)).format);
}
console.log(JSON.stringify(formats));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(['module', 'commonjs', 'commonjs', 'commonjs', 'builtin']);
  });
});

describe('.flagonenv and .env', () => {
  it('are read from the current folder first, so that they can set FLAGON_APP', () => {
    const project = join(scratch, 'dotenv');
    write('dotenv/package.json', '{}');
    write('dotenv/web/server.ts', ESM_APP);
    write('dotenv/.flagonenv', 'FLAGON_APP=web/server.ts\nGREETING=flagonenv\nPORT_NOTE=flagonenv\n');
    write('dotenv/.env', 'GREETING=dotenv\n');
    const env: NodeJS.ProcessEnv = { PORT_NOTE: 'shell' };
    const settings = runSettings({}, project, env);
    expect(settings.spec.file).toBe(join(project, 'web/server.ts'));
    expect(env).toMatchObject({ FLAGON_APP: 'web/server.ts', GREETING: 'dotenv', PORT_NOTE: 'shell' });
    expect(settings.dotenvFiles).toEqual([join(project, '.flagonenv'), join(project, '.env')]);
    // A variable already in the environment still wins, FLAGON_APP included.
    write('dotenv/other.ts', ESM_APP);
    expect(runSettings({}, project, { FLAGON_APP: 'other.ts' }).spec.file).toBe(join(project, 'other.ts'));
  });

  it("add the app folder's files after the current folder's, which win", () => {
    write('layered/package.json', '{}');
    write('layered/.env', 'WHO=cwd\n');
    const app = write('layered/api/package.json', '{}').replace('package.json', 'app.ts');
    write('layered/api/app.ts', ESM_APP);
    write('layered/api/.flagonenv', 'WHO=app\nONLY_APP=yes\n');
    const { values, files } = readDotenv(app, {}, join(scratch, 'layered'));
    expect(values).toEqual({ WHO: 'cwd', ONLY_APP: 'yes' });
    expect(files).toEqual([join(scratch, 'layered/.env'), join(scratch, 'layered/api/.flagonenv')]);
    // From the app's own folder, each file is read once.
    expect(readDotenv(app, {}, join(scratch, 'layered/api')).files).toEqual([join(scratch, 'layered/api/.flagonenv')]);
  });
});

describe('importApp', () => {
  // DIFFERENCE from Flask's find_best_app, which counts names (two names for one Flask are "multiple applications"):
  // an ES module re-exports under a second name often (`export { web as server }`), and the App is the same one.
  it('takes one App exported under two names as that app, and still refuses two Apps', async () => {
    const project = makeProject({
      'aliased.ts':
        "import { App } from 'flagon';\nconst web = new App(import.meta.url, { name: 'web' });\nexport { web, web as server };\n",
      'two.ts':
        "import { App } from 'flagon';\nexport const a = new App(import.meta.url);\nexport const b = new App(import.meta.url);\n",
    });
    try {
      const module = await import(pathToFileURL(join(project.dir, 'aliased.ts')).href);
      expect(await importApp({ file: join(project.dir, 'aliased.ts'), name: null })).toBe(module.web);
      await expect(importApp({ file: join(project.dir, 'two.ts'), name: null })).rejects.toThrow(
        /exports several apps \(a, b\): name the one to use with --app .*two\.ts:NAME/,
      );
    } finally {
      project.remove();
    }
  });
});
