/**
 * Port of Flask's tests/test_instance_config.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to the App's `instancePath`. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt.
 *
 * Flask's `modules_tmp_path` (a folder on sys.path) is a throwaway project folder, with a package.json as every Node
 * project has; its modules are written there and imported. A Python package (`__init__.py`) is a folder with an
 * `index.ts`. Installed modules, in `<sys.prefix>/lib/pythonX.Y/site-packages`, are packages in `node_modules`:
 * npm's global layout, `<prefix>/lib/node_modules`, or a project's own; the prefix is then the folder that holds
 * `lib/node_modules` (or `node_modules`).
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from 'flagon';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'flagon-instance-config-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let count = 0;
/** Flask's `tmp_path`: a new folder for each test. */
function tmpPath(): string {
  const dir = join(base, String(++count));
  mkdirSync(dir);
  return dir;
}

/** Flask's `modules_tmp_path`: a project folder (with its package.json) where modules are written. */
function modulesTmpPath(): string {
  const dir = join(tmpPath(), 'modules_tmp');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'modules-tmp', type: 'module', private: true }));
  return dir;
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const APP_MODULE = "import { App } from 'flagon';\nexport const app = new App(import.meta.url);\n";

/** `from module import app`. */
async function importedApp(file: string): Promise<App> {
  return ((await import(pathToFileURL(file).href)) as { app: App }).app;
}

/** An installed package: its package.json and its index.ts, in `nodeModules/name`. */
function installPackage(nodeModules: string, name: string): string {
  const dir = join(nodeModules, name);
  write(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', main: 'index.ts' }));
  write(join(dir, 'index.ts'), APP_MODULE);
  return join(dir, 'index.ts');
}

describe('flask tests/test_instance_config.py', () => {
  // DIFFERENCE: Flask refuses a relative instance_path (ValueError: "If an instance path is provided it must be
  // absolute."); Flagon resolves it from the app's folder (`instancePath: 'instance'` is `<app folder>/instance`), as
  // it does the template and static folders.
  it.fails('test_explicit_instance_paths (relative)', () => {
    expect(() => new App(import.meta.url, { instancePath: 'instance', staticFolder: null })).toThrow(
      /must be absolute/,
    );
  });

  it('test_explicit_instance_paths (absolute)', () => {
    const modulesTmp = modulesTmpPath();
    const app = new App(import.meta.url, { instancePath: modulesTmp, staticFolder: null });
    expect(app.instancePath).toBe(modulesTmp);
  });

  it('test_uninstalled_module_paths', async () => {
    const modulesTmp = modulesTmpPath();
    write(
      join(modulesTmp, 'config_module_app.ts'),
      "import { dirname } from 'node:path';\nimport { fileURLToPath } from 'node:url';\nimport { App } from 'flagon';\nexport const here = dirname(fileURLToPath(import.meta.url));\nexport const app = new App(import.meta.url);\n",
    );
    const app = await importedApp(join(modulesTmp, 'config_module_app.ts'));
    expect(app.instancePath).toBe(join(modulesTmp, 'instance'));
  });

  it('test_uninstalled_package_paths', async () => {
    const modulesTmp = modulesTmpPath();
    const app = join(modulesTmp, 'config_package_app');
    write(
      join(app, 'index.ts'),
      "import { dirname } from 'node:path';\nimport { fileURLToPath } from 'node:url';\nimport { App } from 'flagon';\nexport const here = dirname(fileURLToPath(import.meta.url));\nexport const app = new App(import.meta.url);\n",
    );
    expect((await importedApp(join(app, 'index.ts'))).instancePath).toBe(join(modulesTmp, 'instance'));
  });

  it('test_uninstalled_namespace_paths', async () => {
    const tmp = tmpPath();
    // A namespace package split over two projects: each project has its package.json, and namespace/<package>/.
    const createNamespace = (name: string): string => {
      const project = join(tmp, `project-${name}`);
      write(join(project, 'package.json'), JSON.stringify({ name: `project-${name}`, type: 'module' }));
      write(join(project, 'namespace', name, 'index.ts'), APP_MODULE);
      return project;
    };
    createNamespace('package1');
    const project2 = createNamespace('package2');
    const app = await importedApp(join(project2, 'namespace', 'package2', 'index.ts'));
    expect(app.instancePath).toBe(join(project2, 'instance'));
  });

  // MISSING: an installed app's instance folder: Flask puts it under the prefix (`<prefix>/var/site_app-instance`),
  // outside the installed code; Flagon has no notion of an installed package: the nearest package.json is the
  // installed package's own, so it is `<prefix>/lib/node_modules/site_app/instance`, inside node_modules.
  it.fails('test_installed_module_paths', async () => {
    const prefix = modulesTmpPath();
    const file = installPackage(join(prefix, 'lib', 'node_modules'), 'site_app');
    expect((await importedApp(file)).instancePath).toBe(join(prefix, 'var', 'site_app-instance'));
  });

  // MISSING: as above, for a package installed in a project's node_modules (Flask: a package on a sys.path folder
  // under the prefix): Flagon gives `<project>/node_modules/installed_package/instance`.
  it.fails('test_installed_package_paths', async () => {
    const modulesTmp = modulesTmpPath();
    const file = installPackage(join(modulesTmp, 'node_modules'), 'installed_package');
    expect((await importedApp(file)).instancePath).toBe(join(modulesTmp, 'var', 'installed_package-instance'));
  });

  // MISSING: as above, for a package in the prefix's packages (site-packages; npm's `<prefix>/lib/node_modules`).
  it.fails('test_prefix_package_paths', async () => {
    const prefix = modulesTmpPath();
    const file = installPackage(join(prefix, 'lib', 'node_modules'), 'site_package');
    const sitePackage = (await import(pathToFileURL(file).href)) as { app: App };
    expect(sitePackage.app.instancePath).toBe(join(prefix, 'var', 'site_package-instance'));
  });
});
