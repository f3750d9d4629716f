import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from 'flagon';
import { ConfigStore, type DEFAULT_CONFIG } from 'flagon/app';
import { app as fixture } from './fixture-app/app.js';

describe('config', () => {
  it("starts from Flask's defaults", () => {
    const config = new ConfigStore() as ConfigStore & typeof DEFAULT_CONFIG;
    expect([
      config.DEBUG,
      config.SESSION_COOKIE_NAME,
      config.PERMANENT_SESSION_LIFETIME,
      config.MAX_FORM_MEMORY_SIZE,
      config.APPLICATION_ROOT,
      config.PREFERRED_URL_SCHEME,
    ]).toEqual([false, 'session', 2678400, 500000, '/', 'http']);
  });

  it('loads objects, JSON files and FLAGON_ variables, and names a wrong key', () => {
    const app = new App(import.meta.url, {
      config: { SECRET_KEY: 'dev', MY_SETTING: 3, lower: 'ignored' },
      staticFolder: null,
    });
    expect([app.config.SECRET_KEY, app.config.MY_SETTING, app.config.lower]).toEqual(['dev', 3, undefined]);
    const dir = mkdtempSync(join(tmpdir(), 'flagon-config-'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ MAX_CONTENT_LENGTH: 1024, TRUSTED_HOSTS: ['example.com'] }),
    );
    app.config.fromFile(join(dir, 'config.json'));
    expect([app.config.MAX_CONTENT_LENGTH, app.config.TRUSTED_HOSTS]).toEqual([1024, ['example.com']]);
    app.config.fromPrefixedEnv('FLAGON', {
      FLAGON_DEBUG: 'true',
      FLAGON_DB__HOST: 'db.local',
      FLAGON_DB__PORT: '5432',
      FLAGON_NAME: 'not json',
      OTHER: 'x',
    });
    expect([app.config.DEBUG, app.config.DB, app.config.NAME]).toEqual([
      true,
      { HOST: 'db.local', PORT: 5432 },
      'not json',
    ]);
    expect(() => app.config.fromObject({ DEBUG: 'yes' })).toThrow(
      /invalid config from an object:\n {2}DEBUG: Invalid input: expected boolean, received string/,
    );
    expect(() => app.config.fromPrefixedEnv('FLAGON', { FLAGON_SESSION_COOKIE_SAMESITE: 'sometimes' })).toThrow(
      /SESSION_COOKIE_SAMESITE/,
    );
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(() => app.config.fromFile(join(dir, 'bad.json'))).toThrow(/cannot load config file .*bad.json/);
  });

  it("has Flask's config.get(key, default), which reads only settings", () => {
    const config = new ConfigStore({ MAIL_SERVER: 'smtp.example.com' });
    expect(config.get('MAIL_SERVER', 'localhost')).toBe('smtp.example.com');
    expect(config.get('MAIL_PORT', 25)).toBe(25);
    expect(config.get('MAIL_PORT')).toBeUndefined();
    expect(config.get('DEBUG')).toBe(false);
    // Methods and the folder are not settings.
    expect(config.get('fromObject', 'none')).toBe('none');
    expect(config.get('rootPath', 'none')).toBe('none');
  });

  it("loads a config class with the static fields it inherits, the subclass's value winning (Flask's pattern)", () => {
    class Settings {
      static DEBUG = false;
      static DATABASE = 'dev.db';
      static lowercase = 'ignored';
    }
    class Production extends Settings {
      static override DATABASE = '/var/lib/app/app.db';
      static WORKERS = 4;
    }
    const app = new App(import.meta.url, { staticFolder: null });
    app.config.DEBUG = true;
    app.config.fromObject(Production);
    expect([app.config.DEBUG, app.config.DATABASE, app.config.WORKERS, app.config.lowercase]).toEqual([
      false,
      '/var/lib/app/app.db',
      4,
      undefined,
    ]);
    expect(Object.keys(app.config)).not.toContain('prototype');
    class FromEnvironment extends Production {
      static get SERVER_NAME() {
        return 'example.com';
      }
    }
    app.config.fromObject(FromEnvironment);
    expect([app.config.SERVER_NAME, app.config.DATABASE]).toEqual(['example.com', '/var/lib/app/app.db']);
    class Broken extends Settings {
      static MAX_CONTENT_LENGTH = 'lots';
    }
    expect(() => app.config.fromObject(Broken, 'Broken')).toThrow(
      /invalid config from Broken:\n {2}MAX_CONTENT_LENGTH/,
    );
  });
});

describe('the app folder', () => {
  it('takes its root from import.meta.url and serves static/ at /static', async () => {
    expect(fixture.name).toBe('fixture-app');
    expect(fixture.staticFolder).toMatch(/fixture-app[\\/]static$/);
    const client = fixture.testClient();
    const css = await client.get('/static/site.css');
    expect([css.status, css.headers.get('Content-Type'), css.text]).toEqual([
      200,
      'text/css; charset=utf-8',
      'body { color: red }\n',
    ]);
    expect((await client.get('/static/../app.ts')).status).toBe(404);
  });
});
