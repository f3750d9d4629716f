/** The types of `g`, the session and the config: loose until an app declares them, then exactly what it declared. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { App, currentApp, type g, type session, type Config } from 'flagon';
import type { App as LayeredApp } from 'flagon/app';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('declared types', () => {
  it('give an app that declares AppGlobals, AppSession and AppConfig exactly those types (tsc over a fixture)', async () => {
    // Every `@ts-expect-error` line in the fixture must be an error, and every other line must compile.
    const tsc = run(process.execPath, [
      `${root}node_modules/typescript/bin/tsc`,
      '-p',
      `${root}test/fixtures/typed-app`,
    ]);
    await expect(tsc).resolves.toMatchObject({ stdout: '' });
  }, 60_000);

  it('leave g and the session open to any key, as unknown, while nothing is declared', () => {
    expectTypeOf<typeof g>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<typeof session.anything>().toEqualTypeOf<unknown>();
    expectTypeOf<typeof session.modified>().toEqualTypeOf<boolean>();
  });

  it("type currentApp as flagon/app's App, so its config has Flask's keys with their types", async () => {
    expectTypeOf<typeof currentApp>().toEqualTypeOf<LayeredApp>();
    expectTypeOf<typeof currentApp.config>().toEqualTypeOf<Config>();
    expectTypeOf<typeof currentApp.config.SECRET_KEY>().toEqualTypeOf<string | null>();
    const app = new App(import.meta.url, { config: { SECRET_KEY: 'k', DATABASE: 'x.db' }, staticFolder: null });
    const seen = await app
      .appContext()
      .run(() => [currentApp === app, currentApp.config.DATABASE, currentApp.config.SECRET_KEY]);
    expect(seen).toEqual([false, 'x.db', 'k']); // a proxy to the app, not the app itself
  });
});
