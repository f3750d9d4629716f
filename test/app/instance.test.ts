/** The instance folder (`instancePath`, `instanceRelativeConfig`) and optional config files read from it. */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { App, Blueprint } from 'flagon';
import { ConfigStore } from 'flagon/app';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'flagon-instance-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A project folder with the given files; returns its path. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(base, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const moduleUrl = (dir: string, file = 'app.ts') => pathToFileURL(join(dir, file)).href;

describe('the root folder from new App(url)', () => {
  it("is the module's folder for a file: URL and the working folder for another URL", () => {
    const dir = project('rooted', { 'package.json': '{}' });
    expect(new App(moduleUrl(dir), { staticFolder: null }).rootPath).toBe(dir);
    expect(new App('data:text/javascript,', { staticFolder: null }).rootPath).toBe(process.cwd());
  });

  it('refuses a missing or non-string URL with the fix, not a TypeError from inside', () => {
    const misuse = [[], [{ config: {} }]] as unknown as Array<[string]>;
    for (const args of misuse)
      expect(() => new App(...args)).toThrow(
        expect.objectContaining({
          code: 'FLAGON_ERR_BAD_ARGUMENT',
          message: expect.stringContaining('new App(import.meta.url, { … })'),
        }),
      );
  });
});

describe('app.instancePath', () => {
  it("defaults to instance/ beside the app's package (the nearest package.json), not inside src/", () => {
    const dir = project('packaged', { 'package.json': '{}', 'src/app.ts': '' });
    expect(new App(moduleUrl(dir, 'src/app.ts'), { staticFolder: null }).instancePath).toBe(join(dir, 'instance'));
    expect(new App(moduleUrl(dir), { staticFolder: null }).instancePath).toBe(join(dir, 'instance'));
  });

  const packageAboveTmp = base
    .split('/')
    .some((_, i, parts) => existsSync(join('/', ...parts.slice(0, i), 'package.json')));
  it.skipIf(packageAboveTmp)("is instance/ in the app's folder when no package.json is above it", () => {
    const dir = project('loose', { 'app.ts': '' });
    expect(new App(moduleUrl(dir), { staticFolder: null }).instancePath).toBe(join(dir, 'instance'));
  });

  it("takes an absolute path, or one relative to the app's folder", () => {
    const dir = project('given', { 'package.json': '{}' });
    expect(new App(moduleUrl(dir), { staticFolder: null, instancePath: '/var/lib/notes' }).instancePath).toBe(
      '/var/lib/notes',
    );
    expect(new App(moduleUrl(dir), { staticFolder: null, instancePath: '../shared-instance' }).instancePath).toBe(
      join(base, 'shared-instance'),
    );
  });

  it('is never created, as in Flask', () => {
    const dir = project('untouched', { 'package.json': '{}' });
    const app = new App(moduleUrl(dir), { staticFolder: null, instanceRelativeConfig: true });
    app.config.fromFile('config.json', { silent: true });
    expect(existsSync(app.instancePath)).toBe(false);
  });
});

describe('config files from the instance folder', () => {
  it('loads an optional config.json with instanceRelativeConfig, once it exists', () => {
    const dir = project('relative', { 'package.json': '{}' });
    const app = new App(moduleUrl(dir), {
      staticFolder: null,
      instanceRelativeConfig: true,
      config: { SECRET_KEY: 'dev' },
    });
    app.config.fromFile('config.json', { silent: true });
    expect(app.config.SECRET_KEY).toBe('dev');
    mkdirSync(join(dir, 'instance'));
    writeFileSync(join(dir, 'instance', 'config.json'), JSON.stringify({ SECRET_KEY: 'from the instance folder' }));
    app.config.fromFile('config.json', { silent: true });
    expect(app.config.SECRET_KEY).toBe('from the instance folder');
    expect(app.config.rootPath).toBe(join(dir, 'instance'));
  });

  it("names the missing file's full path and the fix when it is not optional", () => {
    const dir = project('missing', { 'package.json': '{}' });
    const app = new App(moduleUrl(dir), { staticFolder: null, instanceRelativeConfig: true });
    expect(() => app.config.fromFile('config.json')).toThrow(
      `Unable to load configuration file: ${join(dir, 'instance', 'config.json')} does not exist. Create it, or pass { silent: true } to make it optional.`,
    );
    mkdirSync(join(dir, 'instance', 'config.json'), { recursive: true }); // a folder where the file should be
    expect(() => app.config.fromFile('config.json', { silent: true })).not.toThrow();
  });

  it("reads relative names from the app's folder without instanceRelativeConfig, whatever the working folder", () => {
    const dir = project('app-relative', { 'package.json': '{}', 'settings.json': '{ "GREETING": "hello" }' });
    const app = new App(moduleUrl(dir), { staticFolder: null });
    expect(process.cwd()).not.toBe(dir);
    expect(app.config.fromFile('settings.json').GREETING).toBe('hello');
    expect(new ConfigStore().rootPath).toBe(process.cwd());
  });

  it('parses other formats with load', () => {
    const dir = project('ini', { 'app.cfg': 'SECRET_KEY = abc\nMAX_CONTENT_LENGTH = 1024\n' });
    const parseLines = (text: string) =>
      Object.fromEntries(
        text
          .trim()
          .split('\n')
          .map((line) => line.split(' = '))
          .map(([key, value]) => [key!, /^\d+$/.test(value!) ? Number(value) : value]),
      );
    const app = new App(moduleUrl(dir), { staticFolder: null });
    app.config.fromFile('app.cfg', { load: parseLines });
    expect([app.config.SECRET_KEY, app.config.MAX_CONTENT_LENGTH]).toEqual(['abc', 1024]);
  });

  it("loads a .ts module's upper-case exports with fromModule (Flask's from_pyfile)", async () => {
    const dir = project('module', {
      'package.json': '{ "type": "module" }',
      'instance/config.ts':
        "export default { SECRET_KEY: 'default', DATABASE: 'notes.db' };\nexport const SECRET_KEY: string = 'named wins';\nexport const lower = 'ignored';\n",
      'instance/bad.ts': "export const DEBUG = 'yes';\n",
    });
    const app = new App(moduleUrl(dir), { staticFolder: null, instanceRelativeConfig: true });
    await app.config.fromModule('config.ts');
    expect([app.config.SECRET_KEY, app.config.DATABASE, app.config.lower]).toEqual([
      'named wins',
      'notes.db',
      undefined,
    ]);
    await expect(app.config.fromModule('absent.ts', { silent: true })).resolves.toBe(app.config);
    await expect(app.config.fromModule('absent.ts')).rejects.toThrow(
      `${join(dir, 'instance', 'absent.ts')} does not exist`,
    );
    await expect(app.config.fromModule('bad.ts')).rejects.toThrow(/invalid config from .*bad\.ts:\n {2}DEBUG/);
  });
});

describe('openResource', () => {
  it("opens a file beside the app's or the blueprint's module, whatever the working folder", async () => {
    const root = project('resources', {
      'schema.sql': 'create table t (id int);',
      'admin/seed.sql': 'insert into t values (1);',
    });
    const app = new App(moduleUrl(root), { staticFolder: null });
    const admin = new Blueprint('admin', moduleUrl(root, 'admin/views.ts'));
    await using schema = await app.openResource('schema.sql');
    await using seed = await admin.openResource('seed.sql', 'r');
    expect([await schema.readFile('utf8'), await seed.readFile('utf8')]).toEqual([
      'create table t (id int);',
      'insert into t values (1);',
    ]);
    await expect(app.openResource('missing.sql')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
